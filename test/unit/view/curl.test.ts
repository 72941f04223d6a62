// Copy as cURL: checked by letting bash parse the command and comparing the arguments it would pass to curl.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote, toCurl } from '../../../src/view/curl';

/** The argv bash builds from the command line (curl replaced by a function that prints its arguments). */
function argv(command: string): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}\n`;
  const out = execFileSync('bash', ['-c', script], { encoding: 'latin1' });
  return out.split('\0').slice(0, -1);
}

describe('panel/curl', () => {
  it('writes a GET with its headers, skipping what curl computes', () => {
    const cmd = toCurl({
      method: 'GET',
      url: 'http://127.0.0.1:8080/a?b=c&d=e',
      headers: [
        ['Host', '127.0.0.1:8080'],
        ['Accept', 'application/json'],
        ['X-Empty', ''],
        ['Content-Length', '0'],
      ],
      body: null,
    });
    assert.deepEqual(argv(cmd), ['--http1.1', 'http://127.0.0.1:8080/a?b=c&d=e', '-H', 'Accept: application/json', '-H', 'X-Empty;']);
  });
  it('keeps a Host header that differs from the URL', () => {
    const cmd = toCurl({ method: 'GET', url: 'http://127.0.0.1/', headers: [['Host', 'example.test']], body: null });
    assert.deepEqual(argv(cmd).slice(2), ['-H', 'Host: example.test']);
  });
  it('follows redirects with --location when asked', () => {
    const cmd = toCurl({ method: 'GET', url: 'http://127.0.0.1/r', headers: [], body: null, location: true, insecure: true });
    assert.deepEqual(argv(cmd), ['--http1.1', 'http://127.0.0.1/r', '--location', '--insecure']);
  });
  it('quotes bodies with quotes, dollars and newlines exactly', () => {
    const body = `{"it's":"$HOME \`x\` \\\\ ok"}\nline2`;
    const cmd = toCurl({
      method: 'POST',
      url: 'http://127.0.0.1/p',
      headers: [['Content-Type', 'application/json']],
      body: new TextEncoder().encode(body),
    });
    assert.deepEqual(argv(cmd), ['--http1.1', 'http://127.0.0.1/p', '-H', 'Content-Type: application/json', '--data-binary', body]);
  });
  it('names the method when curl would not guess it', () => {
    assert.deepEqual(argv(toCurl({ method: 'DELETE', url: 'http://127.0.0.1/x', headers: [], body: null })), [
      '--http1.1',
      '-X',
      'DELETE',
      'http://127.0.0.1/x',
    ]);
    assert.deepEqual(argv(toCurl({ method: 'PUT', url: 'http://127.0.0.1/x', headers: [], body: new Uint8Array([0x61]) })), [
      '--http1.1',
      '-X',
      'PUT',
      'http://127.0.0.1/x',
      '--data-binary',
      'a',
    ]);
  });
  it('keeps binary bodies byte for byte', () => {
    const bytes = new Uint8Array([0, 1, 0x27, 0x5c, 0xff, 0x0a, 0x41]);
    const args = argv(toCurl({ method: 'POST', url: 'http://127.0.0.1/', headers: [], body: bytes }));
    assert.equal(args[2], '--data-binary');
    // bash cannot pass NUL in an argument: it ends the string there, as curl would read it. Check the rest.
    const cmd = toCurl({ method: 'POST', url: 'http://127.0.0.1/', headers: [], body: bytes.subarray(1) });
    assert.deepEqual([...Buffer.from(argv(cmd)[3], 'latin1')], [...bytes.subarray(1)]);
  });
  it('quotes header values carrying shell syntax and non-ASCII', () => {
    const v = "a'b $(rm -rf /) ü";
    const args = argv(toCurl({ method: 'GET', url: 'http://127.0.0.1/', headers: [['X-Weird', v]], body: null }));
    assert.equal(Buffer.from(args[3], 'latin1').toString('utf8'), `X-Weird: ${v}`);
    assert.equal(shellQuote('simple-value'), 'simple-value');
  });
  it('adds --insecure when the request skipped verification', () => {
    assert.match(toCurl({ method: 'GET', url: 'https://127.0.0.1/', headers: [], body: null, insecure: true }), /--insecure$/);
  });
});
