// The script sandbox: QuickJS in WebAssembly. What scripts can and cannot reach, limits, and typed failures.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Sandbox, SCRIPT_ERRORS, type ScriptInput } from '../../../src/run/sandbox/sandbox';

const host = {
  lookup: (scope: 'env' | 'var', name: string): string | null => (scope === 'env' && name === 'host' ? 'api.test' : null),
  substitute: (t: string): string => t.replace('{{host}}', 'api.test'),
};

const input = (over: Partial<ScriptInput> = {}): ScriptInput => ({
  dialect: 'jetbrains',
  phase: 'post',
  globals: {},
  requestVars: {},
  request: { method: 'GET', url: 'http://{{host}}/x', headers: [['Accept', 'application/json']], body: null },
  response: {
    status: 200,
    reason: 'OK',
    body: '{"token":"abc","items":[1,2,3]}',
    durationMs: 5,
    headers: [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ],
    contentType: { mimeType: 'application/json', charset: 'utf-8' },
  },
  ...over,
});

describe('run: the script sandbox', function () {
  this.timeout(60000);
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.create({ timeoutMs: 300 });
  });
  after(() => sb.dispose());

  it('runs the JetBrains API: globals, tests, asserts, logs, headers, content type', () => {
    const out = sb.run(
      [
        'client.global.set("token", response.body.token);',
        'client.test("ok", function () { client.assert(response.status === 200, "status"); });',
        'client.test("fails", function () {',
        '  client.assert(response.status === 201, "want 201");',
        '});',
        'client.log("cookies", response.headers.valuesOf("SET-COOKIE"), response.headers.valueOf("content-type"), response.contentType.mimeType, response.contentType.charset);',
      ].join('\n'),
      input(),
      host,
    );
    assert.equal(out.error, null);
    assert.deepEqual(out.globals, { token: 'abc' });
    assert.deepEqual(out.globalsSet, ['token']);
    assert.deepEqual(
      out.tests.map((t) => [t.name, t.passed, t.message, t.line]),
      [
        ['ok', true, null, 0],
        ['fails', false, 'want 201', 4],
      ],
    );
    assert.deepEqual(out.logs, ['cookies ["a=1","b=2"] application/json; charset=utf-8 application/json utf-8']);
  });

  it('gives pre-request scripts request.variables, request.environment and the request as written', () => {
    const out = sb.run(
      'request.variables.set("id", 42); client.log(request.method, request.url.getRaw(), request.url.tryGetSubstituted(), request.headers.findByName("accept").getRawValue(), request.environment.get("host"), request.environment.get("nope"))',
      input({ phase: 'pre', response: null }),
      host,
    );
    assert.equal(out.error, null);
    assert.deepEqual(out.requestVars, { id: '42' });
    assert.deepEqual(out.logs, ['GET http://{{host}}/x http://api.test/x application/json api.test null']);
  });

  it('computes the documented crypto digests on the host (sha1/sha256/sha512/md5, HMAC, hex and base64)', () => {
    const out = sb.run(
      [
        'client.log(crypto.sha256().updateWithText("abc").digest().toHex());',
        'client.log(crypto.md5().updateWithText("abc").digest().toBase64());',
        'client.log(crypto.sha1().updateWithHex("616263").digest().toHex());',
        'client.log(crypto.sha512().updateWithBase64("YWJj").digest().toHex());',
        'client.log(crypto.hmac.sha256().withTextSecret("key").updateWithText("msg").digest().toBase64());',
      ].join('\n'),
      input(),
      host,
    );
    const h = (alg: string): crypto.Hash => crypto.createHash(alg).update('abc');
    assert.deepEqual(out.logs, [
      h('sha256').digest('hex'),
      h('md5').digest('base64'),
      h('sha1').digest('hex'),
      h('sha512').digest('hex'),
      crypto.createHmac('sha256', 'key').update('msg').digest('base64'),
    ]);
  });

  it('has $random helpers', () => {
    const out = sb.run(
      'client.log($random.uuid, $random.integer(1, 5), $random.alphabetic(4).length, $random.hexadecimal(6).length, typeof $random.email)',
      input(),
      host,
    );
    const [uuid, n, a, h, e] = out.logs[0].split(' ');
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(Number(n) >= 1 && Number(n) < 5);
    assert.deepEqual([a, h, e], ['4', '6', 'string']);
  });

  it('contains scripts: no require, process, host objects; constructor and prototype tricks stay inside', () => {
    const out = sb.run(
      [
        'client.log(typeof require, typeof process, typeof module, typeof globalThis.fetch, typeof __wl_host_digest, typeof __wl_host_lookup);',
        'client.log(globalThis.constructor.constructor("return typeof process")());',
        'client.log((function () { return this; })().constructor.constructor("return typeof require")());',
        'try { client.log(String(import("fs"))); } catch (e) { client.log("import", e.name); }',
      ].join('\n'),
      input(),
      host,
    );
    assert.equal(out.error, null, JSON.stringify(out.error));
    assert.deepEqual(out.logs.slice(0, 3), ['undefined undefined undefined undefined undefined undefined', 'undefined', 'undefined']);
    // Prototype pollution inside the sandbox does not reach the host's objects.
    const polluted = sb.run('Object.prototype.polluted = "yes"; Array.prototype.push = function () { return 0; };', input(), host);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(typeof polluted, 'object');
    // Nor the next script of the same file: a script that changed the built-ins leaves its context behind.
    const after = sb.run('client.test("clean", function () { client.assert(({}).polluted === undefined, "polluted"); });', input(), host);
    assert.equal(after.error, null);
    assert.deepEqual(
      after.tests.map((t) => [t.name, t.passed]),
      [['clean', true]],
    );
  });

  it('a script that runs again is not compiled again, and each run sees its own input', () => {
    const code = 'client.test("status " + response.status, function () { client.assert(response.status < 400, "got " + response.status); });';
    const first = sb.run(code, input(), host);
    const second = sb.run(code, input({ response: { ...(input().response as NonNullable<ScriptInput['response']>), status: 503 } }), host);
    assert.deepEqual(
      [first, second].map((o) => o.tests.map((t) => [t.name, t.passed, t.message])),
      [[['status 200', true, null]], [['status 503', false, 'got 503']]],
    );
  });

  it('the API objects are shared by the scripts of a file but frozen: a script cannot change them for the next one', () => {
    const tamper = sb.run(
      [
        'client.test = function () {}; client.global.set = null; request.variables.get = null; console.log = null;',
        'client.log("still", typeof client.test, typeof client.global.set);',
      ].join('\n'),
      input(),
      host,
    );
    assert.equal(tamper.error, null, JSON.stringify(tamper.error));
    assert.deepEqual(tamper.logs, ['still function function']);
    const strict = sb.run('"use strict"; client.assert = null;', input(), host);
    assert.match(strict.error?.message ?? '', /TypeError/);
    const next = sb.run('client.global.set("n", "1"); client.test("works", function () { client.assert(true); });', input(), host);
    assert.deepEqual(next.globals, { n: '1' });
    assert.deepEqual(
      next.tests.map((t) => [t.name, t.passed]),
      [['works', true]],
    );
  });

  it('ends an endless loop with WL_SCRIPT_TIMEOUT, and the next script runs normally', () => {
    const out = sb.run('\nwhile (true) {}', input(), host);
    assert.equal(out.error?.code, SCRIPT_ERRORS.TIMEOUT);
    const next = sb.run('client.test("after", function () {});', input(), host);
    assert.equal(next.error, null);
    assert.deepEqual(
      next.tests.map((t) => t.passed),
      [true],
    );
  });

  it('ends a memory hog with WL_SCRIPT_MEMORY', async () => {
    const small = await Sandbox.create({ timeoutMs: 5000, memoryBytes: 8 * 1024 * 1024 });
    try {
      const out = small.run('var a = []; while (true) a.push({ n: a.length, list: [1, 2, 3] });', input(), host);
      assert.equal(out.error?.code, SCRIPT_ERRORS.MEMORY, JSON.stringify(out.error));
      assert.equal(small.run('client.log(1)', input(), host).error, null);
    } finally {
      small.dispose();
    }
  });

  it('reports syntax errors and thrown errors with their line', () => {
    assert.equal(sb.run('client.log(', input(), host).error?.code, SCRIPT_ERRORS.SYNTAX);
    const thrown = sb.run('\n\nthrow new Error("boom")', input(), host);
    assert.deepEqual([thrown.error?.code, thrown.error?.message, thrown.error?.line], [SCRIPT_ERRORS.ERROR, 'Error: boom', 3]);
  });

  it('runs httpyac scripts: exports, top-level names, response.parsedBody / headers, test(), console.log', () => {
    const out = sb.run(
      [
        'exports.token = response.parsedBody.token;',
        'const count = response.parsedBody.items.length;',
        'test("json", () => { if (!response.headers["content-type"].includes("json")) throw new Error("not json"); });',
        'console.log("n", count, base);',
      ].join('\n'),
      input({ dialect: 'httpyac', variables: { base: 'http://x' } }),
      host,
    );
    assert.equal(out.error, null, JSON.stringify(out.error));
    assert.deepEqual(out.exports, { token: 'abc', count: '3' });
    assert.deepEqual(
      out.tests.map((t) => [t.name, t.passed]),
      [['json', true]],
    );
    assert.deepEqual(out.logs, ['n 3 http://x']);
  });

  it('values cross as JSON: a script cannot hand a function or host reference out', () => {
    const out = sb.run('client.global.set("f", function () {}); client.global.set("o", { a: 1 });', input(), host);
    assert.deepEqual(out.globals, { f: 'function () {}', o: '{"a":1}' });
  });
});
