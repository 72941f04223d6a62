// `wirelens explain`, run as the built CLI (node dist/cli.js; `node esbuild.mjs` builds it).
import * as assert from 'node:assert/strict';
import { ensureCliBuilt, runCliSync, type CliRun } from '../support/cli';

const run = (...args: string[]): CliRun => runCliSync(['explain', ...args]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

describe('cli: wirelens explain', function () {
  before(function () {
    ensureCliBuilt();
  });

  it('explains a status code in words', () => {
    const r = run('status', '418');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^418 \(Unused\)/);
    assert.match(r.stdout, /RFC 9110, Section 15\.5\.19/);
  });

  it('explains a status code as JSON, including unregistered ones', () => {
    const r = run('status', '520', '--json');
    assert.equal(r.code, 0);
    const j: unknown = JSON.parse(r.stdout);
    assert.ok(isRecord(j));
    assert.equal(j.code, 520);
    assert.equal(j.registered, false);
  });

  it('explains a header case-insensitively, in text and JSON', () => {
    const r = run('header', 'cache-control');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Cache-Control/);
    assert.match(r.stdout, /Syntax:/);
    const j: unknown = JSON.parse(run('header', 'Cache-Control', '--json').stdout);
    assert.ok(isRecord(j));
    assert.equal(j.name, 'Cache-Control');
    assert.equal(j.reference, 'RFC 9111, Section 5.2');
  });

  it('explains a check', () => {
    const r = run('check', 'cors-wildcard-credentials', '--json');
    assert.equal(r.code, 0);
    const j: unknown = JSON.parse(r.stdout);
    assert.ok(isRecord(j));
    assert.equal(j.level, 'bad');
  });

  it('lists statuses, headers and checks as JSON with the documented fields and counts', () => {
    const r = run('--list', '--json');
    assert.equal(r.code, 0);
    const j: unknown = JSON.parse(r.stdout);
    assert.ok(isRecord(j) && Array.isArray(j.statuses) && Array.isArray(j.headers) && Array.isArray(j.checks));
    assert.ok(j.headers.length >= 150);
    assert.ok(j.checks.length >= 120);
    assert.ok(j.statuses.length >= 64);
    for (const s of j.statuses)
      assert.ok(isRecord(s) && typeof s.code === 'number' && typeof s.name === 'string' && typeof s.reference === 'string' && s.reference);
    for (const h of j.headers)
      assert.ok(isRecord(h) && typeof h.name === 'string' && typeof h.description === 'string' && typeof h.reference === 'string' && h.reference);
    for (const c of j.checks)
      assert.ok(
        isRecord(c) && typeof c.id === 'string' && typeof c.level === 'string' && typeof c.category === 'string' && typeof c.summary === 'string',
      );
  });

  it('explains an error code with its phase, likely causes and reference, in text and JSON', () => {
    const r = run('error', 'ECONNREFUSED');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ECONNREFUSED\n\nThe server refused the connection\./);
    assert.match(r.stdout, /Likely causes:\n    - Nothing is listening on that port/);
    assert.match(r.stdout, /Phase: connect \(while opening the TCP connection\)/);
    assert.match(r.stdout, /Reference: /);
    const j: unknown = JSON.parse(run('error', 'WL_CLIENT_CERT', '--json').stdout);
    assert.ok(isRecord(j) && Array.isArray(j.causes) && Array.isArray(j.phases));
    assert.equal(j.code, 'WL_CLIENT_CERT');
    assert.deepEqual(j.phases, ['tls']);
  });

  it('explains an OpenSSL reason code by its family', () => {
    const r = run('error', 'ERR_SSL_WRONG_VERSION_NUMBER');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ERR_SSL_WRONG_VERSION_NUMBER\n/);
    assert.match(r.stdout, /Family: ERR_SSL_\*/);
  });

  it('lists the error codes with --list, in text and JSON', () => {
    assert.match(run('--list').stdout, /Error codes \(\d+\):\n(.*\n)*  ECONNREFUSED +connect(,messages)? +The server refused the connection\./);
    const j: unknown = JSON.parse(run('--list', '--json').stdout);
    assert.ok(isRecord(j) && Array.isArray(j.errors));
    const codes = j.errors.map((e: unknown) => (isRecord(e) ? e.code : null));
    for (const c of ['ECONNREFUSED', 'ETIMEDOUT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'HPE_INVALID_CONSTANT', 'WL_CLIENT_CERT', 'cancelled', 'ERR_SSL_*'])
      assert.ok(codes.includes(c), c);
  });

  it('lists in text form', () => {
    const r = run('--list');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Status codes \(\d+\)/);
    assert.match(r.stdout, /Checks \(\d+\)/);
  });

  it('exits 1 with a clear message for an unknown status, header or check', () => {
    for (const args of [
      ['status', '299'],
      ['header', 'X-Not-A-Thing'],
      ['check', 'nope'],
      ['error', 'EWHATEVER'],
    ]) {
      const r = run(...args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /unknown (status code|header field|check|error code)/);
      assert.equal(r.stdout, '');
    }
  });

  it('exits 2 on usage errors', () => {
    for (const args of [[], ['status'], ['status', 'abc'], ['error'], ['weather', 'x'], ['--bogus'], ['--list', 'x']]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /Usage: wirelens explain/);
    }
    // A lone unknown word is named as an unknown topic, not taken for a topic missing its argument.
    assert.match(run('weather').stderr, /unknown topic 'weather'/);
  });
});
