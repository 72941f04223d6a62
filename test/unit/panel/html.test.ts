// The webview's HTML shell: strict CSP, a fresh nonce per render, nothing remote.
import * as assert from 'node:assert/strict';
import { makeNonce, renderShell } from '../../../src/panel/html';

const res = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://x/webview.js',
  styleUri: 'https://x/panel.css',
  codiconUri: 'https://x/codicon.css',
};

function csp(html: string): string {
  const m = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  return m[1];
}

describe('panel/html: shell', () => {
  it('starts from default-src none and allows only the nonce script', () => {
    const html = renderShell(res, 'abc123');
    const policy = csp(html);
    assert.match(policy, /^default-src 'none'; /);
    assert.match(policy, /script-src 'nonce-abc123'/);
    assert.match(policy, /base-uri 'none'/);
    assert.match(policy, /form-action 'none'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/webview\.js"><\/script>/);
  });
  it('makes a fresh, unguessable nonce each time', () => {
    const seen = new Set(Array.from({ length: 50 }, () => makeNonce()));
    assert.equal(seen.size, 50);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
    assert.notEqual(csp(renderShell(res)), csp(renderShell(res)));
  });
});
