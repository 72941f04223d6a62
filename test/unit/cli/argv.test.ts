// The argv walk both commands share, and `wirelens test`'s own flags on top of it.
import * as assert from 'node:assert/strict';
import { walkArgv, wholeNumber, UsageError } from '../../../src/cli/argv';
import { parseTestArgs } from '../../../src/cli/test';

describe('cli: argv walk', () => {
  it('gives flags their value after = or as the next argument, and operands in order', () => {
    const seen: string[] = [];
    walkArgv(
      ['a.http', '--env=dev', '--out', 'r.xml', '-', '--', '--not-a-flag', 'b.http'],
      (f) => {
        seen.push(`${f.name}=${f.value()}`);
        return true;
      },
      (o) => seen.push(`operand ${o}`),
    );
    assert.deepEqual(seen, ['operand a.http', '--env=dev', '--out=r.xml', 'operand -', 'operand --not-a-flag', 'operand b.http']);
  });

  it('names an unknown flag and a flag that misses its value', () => {
    assert.throws(
      () =>
        walkArgv(
          ['--what'],
          () => false,
          () => undefined,
        ),
      (e: unknown) => e instanceof UsageError && /unknown option '--what'/.test(e.message),
    );
    assert.throws(
      () =>
        walkArgv(
          ['--env'],
          (f) => f.value() !== '',
          () => undefined,
        ),
      /--env needs a value/,
    );
  });

  it('checks whole numbers with the message the flag needs', () => {
    assert.equal(wholeNumber('--line', '3', { allowZero: false }), 3);
    assert.throws(() => wholeNumber('--line', '0', { allowZero: false }), /--line needs a positive whole number, got '0'/);
    assert.throws(
      () => wholeNumber('--timeout', '2s', { allowZero: true, what: 'whole number of milliseconds' }),
      /needs a whole number of milliseconds, got '2s'/,
    );
  });

  it('parses wirelens test options', () => {
    const a = parseTestArgs(['api', '--grep', 'users?', '--var', 'host=localhost:1', '--timeout=0', '--reporter', 'junit', '--bail', '--', '-odd']);
    assert.deepEqual(a.paths, ['api', '-odd']);
    assert.equal(a.grep?.test('USER'), true);
    assert.deepEqual(a.vars, { host: 'localhost:1' });
    assert.equal(a.timeoutMs, 0);
    assert.equal(a.reporter, 'junit');
    assert.equal(a.bail, true);
    assert.throws(() => parseTestArgs(['api', '--reporter', 'tap']), /--reporter needs pretty, json or junit/);
    assert.throws(() => parseTestArgs(['--bail']), /missing FILE or DIR/);
    assert.equal(parseTestArgs(['--help']).help, true);
  });
});
