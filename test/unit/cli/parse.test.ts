// `wirelens parse FILE --json`, run as the built CLI (node dist/cli.js; `node esbuild.mjs` builds it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES } from '../language/helpers';
import { ensureCliBuilt, runCliSync, type CliRun } from '../support/cli';

const run = (...args: string[]): CliRun => runCliSync(['parse', ...args]);

describe('cli: wirelens parse', function () {
  let dir: string;
  before(function () {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-parse-'));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the document as written, in the documented shape', () => {
    const file = path.join(dir, 'a.http');
    fs.writeFileSync(
      file,
      [
        '@host = example.test',
        '',
        '### Login',
        '# @name login',
        '# @no-redirect',
        'POST https://{{host}}/login',
        '    ?a=1',
        '    &b=2',
        'Content-Type: application/json',
        '',
        '{"u": "{{user}}"}',
        '',
        '###',
        'GET /x',
        'Host: h',
        'Oops no colon',
      ].join('\n'),
    );
    const r = run(file, '--json');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as unknown;
    assert.deepEqual(json, {
      requests: [
        {
          name: 'login',
          title: 'Login',
          method: 'POST',
          url: 'https://{{host}}/login?a=1&b=2',
          httpVersion: null,
          headers: [['Content-Type', 'application/json']],
          body: '{"u": "{{user}}"}',
          line: 6,
          metadata: { name: 'login', 'no-redirect': '' },
        },
        { name: null, title: null, method: 'GET', url: '/x', httpVersion: null, headers: [['Host', 'h']], body: null, line: 14, metadata: {} },
      ],
      variables: [{ name: 'host', value: 'example.test', line: 1 }],
      diagnostics: [{ line: 16, severity: 'error', message: 'Not a header (expected Name: value): Oops no colon' }],
    });
  });

  it('parses every corpus file and exits 0', () => {
    const corpus = path.join(FIXTURES, 'corpus');
    const expectations = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8')) as Record<
      string,
      { requests: { url: string }[] }
    >;
    for (const f of ['01-integration-tests-demos.http', '21-hyades-apiserver.http', '27-httpyac-methods.http']) {
      const r = run(path.join(corpus, f), '--json');
      assert.equal(r.code, 0, f);
      const doc = JSON.parse(r.stdout) as { requests: { url: string }[] };
      assert.deepEqual(
        doc.requests.map((x) => x.url),
        expectations[f].requests.map((x) => x.url),
      );
    }
  });

  it('exits 2 when the file cannot be read', () => {
    const missing = run(path.join(dir, 'missing.http'), '--json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
    assert.equal(run(dir, '--json').code, 2);
    assert.equal(run().code, 2);
    assert.equal(run('--bogus', 'x').code, 2);
  });

  it('exits 0 with diagnostics and prints them in text mode', () => {
    const file = path.join(dir, 'bad.http');
    fs.writeFileSync(file, 'this is not a request\n');
    const r = run(file);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /bad\.http:1: error: Not a request line/);
  });
});
