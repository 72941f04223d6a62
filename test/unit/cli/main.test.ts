// The CLI's entry: usage and exit codes of the dispatcher (each subcommand has its own tests).
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d;
  });
  stderr.on('data', (d: Buffer) => {
    err += d;
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('cli: the wirelens dispatcher', () => {
  it('prints usage and exits 2 without a command', async () => {
    const t = io();
    assert.equal(await main([], t.io), 2);
    assert.match(t.out(), /Usage: wirelens <command>/);
  });

  it('prints its version (from package.json) and exits 0 for --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const t = io();
      assert.equal(await main([flag], t.io), 0);
      assert.match(t.out(), /^wirelens \d+\.\d+\.\d+\S* \(node v\d+/);
    }
  });

  it('prints usage and exits 0 for --help', async () => {
    const t = io();
    assert.equal(await main(['--help'], t.io), 0);
    assert.match(t.out(), /send FILE/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const t = io();
    assert.equal(await main(['frobnicate'], t.io), 2);
    assert.match(t.err(), /unknown command 'frobnicate'/);
  });
});
