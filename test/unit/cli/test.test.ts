// `wirelens test` as CI runs it: `node dist/cli.js test …` on .http files against a loopback node:http server.
// Chains through handler globals, failing client.test and ?? asserts, timeouts, escapes, every reporter, exit codes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestReport } from '../../../src/view/testReport';
import { CLI, ROOT, runCli, ensureCliBuilt, type CliRun } from '../support/cli';

const cli = (args: string[], cwd: string): Promise<CliRun> => runCli(['test', ...args], { cwd, env: { FORCE_COLOR: undefined } });

describe('cli: wirelens test', function () {
  this.timeout(120000);
  let dir: string;
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text.replace(/BASE/g, base));
    return p;
  };

  before(async () => {
    ensureCliBuilt([CLI, path.join(ROOT, 'dist', 'quickjs.wasm')]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-test-'));
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/login') return res.end(JSON.stringify({ token: 'tok-1' }));
      if (req.url === '/me') {
        const ok = req.headers.authorization === 'Bearer tok-1';
        res.statusCode = ok ? 200 : 401;
        return res.end(JSON.stringify({ user: ok ? 'ann' : null, roles: ['a', 'b'] }));
      }
      if (req.url === '/untyped') {
        res.removeHeader('Content-Type');
        return res.end('plain');
      }
      if (req.url === '/boom') {
        res.statusCode = 500;
        return res.end('{"error":"boom"}');
      }
      res.end(JSON.stringify({ url: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    file(
      'suite/chain.http',
      [
        '### login',
        'POST BASE/login',
        '',
        '> {%',
        '  client.global.set("token", response.body.token);',
        '  client.log("logged in");',
        '%}',
        '',
        '### me',
        'GET BASE/me',
        'Authorization: Bearer {{token}}',
        '',
        '> {%',
        '  client.test("is ann", function () {',
        '    client.assert(response.body.user === "ann", "user is " + response.body.user);',
        '  });',
        '%}',
        '?? status == 200',
        '?? body $.roles isArray',
        '?? header content-type includes json',
        '',
      ].join('\n'),
    );
    file(
      'suite/failing.http',
      [
        '### boom',
        'GET BASE/boom',
        '?? status == 200',
        '',
        '> {%',
        'client.test("no error", function () {',
        '  client.assert(response.status < 500, "server error " + response.status);',
        '});',
        '%}',
        '',
        '### spin',
        'GET BASE/spin',
        '',
        '> {%',
        'while (true) {}',
        '%}',
        '',
        '### escape',
        'GET BASE/escape',
        '',
        '> {%',
        'client.test("no host", function () {',
        '  client.assert(typeof require === "undefined" && typeof process === "undefined", "host reachable");',
        '  client.assert(globalThis.constructor.constructor("return typeof process")() === "undefined", "escape through constructor");',
        '});',
        '%}',
        '',
        '###',
        '# @disabled',
        'GET BASE/never',
        '',
      ].join('\n'),
    );
    file('node_modules/ignored.http', 'GET BASE/ignored\n');
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes a chain whose token comes from a handler, exit 0, pretty output', async () => {
    const r = await cli(['suite/chain.http'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ login/);
    assert.match(r.stdout, /✓ is ann/);
    assert.match(r.stdout, /✓ status == 200/);
    assert.match(r.stdout, /2 requests in 1 file, 4 tests: 4 passed, 0 failed, 0 errors, 0 skipped/);
    assert.ok(seen.includes('GET /me Bearer tok-1'), seen.join('\n'));
  });

  it('fails on a failing client.test, a ?? assert and a script timeout; contains escapes; exit 1; JSON report shape', async () => {
    const r = await cli(['suite', '--reporter', 'json', '--script-timeout', '300'], dir);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as TestReport;
    assert.deepEqual(Object.keys(report.summary), ['files', 'requests', 'tests', 'passed', 'failed', 'errors', 'skipped', 'durationMs']);
    assert.deepEqual(
      report.files.map((f) => f.file),
      ['suite/chain.http', 'suite/failing.http'],
      'node_modules skipped, relative paths',
    );
    const failing = report.files[1].requests;
    assert.deepEqual(
      failing.map((q) => [q.name, q.skipped]),
      [
        ['boom', false],
        ['spin', false],
        ['escape', false],
        [null, true],
      ],
    );
    assert.deepEqual(Object.keys(failing[0]), ['name', 'title', 'line', 'method', 'url', 'status', 'durationMs', 'skipped', 'error', 'tests']);
    assert.deepEqual(
      failing[0].tests.map((t) => [t.name, t.passed, t.line]),
      [
        ['status == 200', false, 3],
        ['no error', false, 7],
      ],
    );
    assert.match(failing[0].tests[1].message ?? '', /server error 500/);
    assert.equal(failing[1].tests[0].passed, false);
    assert.match(failing[1].tests[0].message ?? '', /longer than 300 ms/);
    assert.deepEqual(
      failing[2].tests.map((t) => t.passed),
      [true],
      'require, process, constructor escape all contained',
    );
    assert.equal(report.summary.files, 2);
    assert.equal(report.summary.skipped, 1);
    assert.equal(report.summary.failed, 3);
    assert.ok(!seen.some((s) => s.startsWith('GET /never')), '@disabled is never sent');
  });

  it('writes JUnit XML with --out, one testsuite per file and a testcase per test', async () => {
    const out = path.join(dir, 'junit.xml');
    const r = await cli(['suite', '--reporter', 'junit', '--out', out, '--script-timeout', '300'], dir);
    assert.equal(r.code, 1);
    const xml = fs.readFileSync(out, 'utf8');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 2);
    assert.match(
      xml,
      /<testcase classname="suite\/failing.http" name="boom › status == 200" time="[\d.]+"><failure message="Expected status == 200, got 500.">/,
    );
    assert.match(xml, /<testcase classname="suite\/chain.http" name="login" time="[\d.]+"\/>/);
    assert.match(xml, /<skipped message="@disabled"\/>/);
    assert.match(r.stdout, /failed/, 'a summary still goes to the terminal');
  });

  it('--grep runs the matching requests and the ones they read; --no-scripts says why scripts did not run', async () => {
    const r = await cli(['suite/chain.http', '--grep', '^login$', '--reporter', 'json'], dir);
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(r.stdout) as TestReport;
    assert.deepEqual(
      report.files[0].requests.map((q) => [q.name, q.skipped]),
      [
        ['login', false],
        ['me', true],
      ],
    );
    const n = await cli(['suite/chain.http', '--no-scripts', '--reporter', 'json'], dir);
    const nr = JSON.parse(n.stdout) as TestReport;
    assert.equal(n.code, 1, 'without the handler the token is unknown');
    assert.equal(nr.files[0].requests[0].reason, 'scripts not run: --no-scripts');
    assert.equal(nr.files[0].requests[1].error?.code, 'WL_RESOLVE');
  });

  it('--bail stops after the first failure; --var answers variables; --fail-on fails on notes', async () => {
    file('vars.http', '# @prompt who\nGET BASE/hello/{{who}}\n?? body $.url == /hello/{{who}}\n');
    const v = await cli(['vars.http', '--var', 'who=ann', '--reporter', 'json'], dir);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const b = await cli(['suite/failing.http', '--bail', '--reporter', 'json', '--script-timeout', '300'], dir);
    const br = JSON.parse(b.stdout) as TestReport;
    assert.equal(b.code, 1);
    assert.deepEqual(
      br.files[0].requests.map((q) => q.skipped),
      [false, true, true, true],
    );
    // A body without Content-Type is a warning in the knowledge base: --fail-on warning fails it, bad does not.
    file('untyped.http', 'GET BASE/untyped\n');
    const f = await cli(['untyped.http', '--fail-on', 'warning', '--reporter', 'json'], dir);
    assert.equal(f.code, 1);
    assert.equal((JSON.parse(f.stdout) as TestReport).files[0].requests[0].error?.code, 'WL_FAIL_ON');
    assert.equal((await cli(['untyped.http', '--fail-on', 'bad'], dir)).code, 0);
  });

  it('masks secrets in every reporter (private env values in the URL, in test messages); --show-secrets shows them', async () => {
    file('secret/http-client.env.json', JSON.stringify({ dev: { base: 'BASE' } }));
    file('secret/http-client.private.env.json', JSON.stringify({ dev: { apiKey: 'k3y-s3cr3t-9041' } }));
    file(
      'secret/key.http',
      [
        '### keyed',
        'GET {{base}}/keyed?key={{apiKey}}',
        '',
        '> {%',
        'client.test("key " + request.variables.get("apiKey"), function () {',
        '  client.assert(false, "saw " + request.variables.get("apiKey"));',
        '});',
        '%}',
        '?? body $.url == /nothing?key={{apiKey}}',
        '',
      ].join('\n'),
    );
    for (const reporter of ['json', 'junit', 'pretty']) {
      const r = await cli(['secret/key.http', '--env', 'dev', '--reporter', reporter], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(!r.stdout.includes('k3y-s3cr3t-9041'), `${reporter}: the secret is masked\n${r.stdout}`);
      assert.match(r.stdout, /key=••••••/, reporter);
    }
    const json = JSON.parse((await cli(['secret/key.http', '--env', 'dev', '--reporter', 'json'], dir)).stdout) as TestReport;
    const req = json.files[0].requests[0];
    assert.equal(req.url, `${base}/keyed?key=••••••`);
    assert.ok(
      req.tests.every((t) => !JSON.stringify(t).includes('k3y-s3cr3t-9041')),
      JSON.stringify(req.tests),
    );
    const shown = await cli(['secret/key.http', '--env', 'dev', '--reporter', 'json', '--show-secrets'], dir);
    assert.match(shown.stdout, /key=k3y-s3cr3t-9041/);
  });

  it('exits 2 for usage and file errors', async () => {
    assert.equal((await cli([], dir)).code, 2);
    assert.equal((await cli(['--reporter', 'tap', 'x.http'], dir)).code, 2);
    assert.equal((await cli(['missing.http'], dir)).code, 2);
    assert.equal((await cli(['suite', '--env', 'nope'], dir)).code, 2);
    const h = await cli(['--help'], dir);
    assert.equal(h.code, 0);
    for (const flag of ['--env', '--grep', '--bail', '--var', '--no-scripts', '--timeout', '--fail-on', '--reporter', '--out'])
      assert.ok(h.stdout.includes(flag), flag);
  });
});
