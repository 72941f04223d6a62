// HTTP/2 in a real VS Code: the lecture's 302 → /posts → 200 over h2 (TLS, ALPN) and h2c, shown with its
// status line as HTTP/2 prints it and the Frames section; the assertions read the webview's own report.
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { makeSelfSigned } from '../../../src/demo/certs';
import type { Exchange } from '../../../src/shared/exchange';
import type { RenderReport, RenderedSection } from '../../../src/shared/protocol';
import type { ResolvedRequest } from '../../../src/shared/request';
import { api, closeAllEditors } from '../support/workbench';

function request(url: string, extra: Partial<ResolvedRequest> = {}): ResolvedRequest {
  return { method: 'GET', url, httpVersion: 'HTTP/2', headers: [], body: null, options: { insecure: true }, ...extra };
}

async function send(req: ResolvedRequest): Promise<{ exchange: Exchange; report: RenderReport }> {
  const wl = await api();
  const before = wl.panels.lastRender()?.seq ?? 0;
  const exchange = await wl.commands.run(req);
  const report = await wl.panels.waitForRender((r) => r.view === 'exchange' && r.seq > before);
  return { exchange, report };
}

function section(report: RenderReport, id: string): RenderedSection {
  const s = report.sections.find((x) => x.id === id);
  assert.ok(s, `section ${id} is shown (have: ${report.sections.map((x) => x.id).join(', ')})`);
  return s;
}

const lecture = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void => {
  if (req.url === '/') {
    res.writeHead(302, { location: '/posts' });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>Posts</title><h1>Posts</h1>');
};

describe('HTTP/2 in the panel', function () {
  this.timeout(120_000);
  let tls: http2.Http2SecureServer;
  let h2c: http2.Http2Server;
  let tlsBase: string;
  let h2cBase: string;
  before(async () => {
    const cert = await makeSelfSigned();
    tls = http2.createSecureServer({ key: cert.key, cert: cert.cert }, lecture);
    h2c = http2.createServer(lecture);
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => h2c.listen(0, '127.0.0.1', r));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    h2cBase = `http://127.0.0.1:${(h2c.address() as AddressInfo).port}`;
  });
  after(async () => {
    await closeAllEditors();
    await new Promise<void>((r) => tls.close(() => r()));
    await new Promise<void>((r) => h2c.close(() => r()));
  });

  it("shows the lecture's 302 → /posts → 200 over h2 with the status line HTTP/2 200 and the Frames section", async () => {
    const { exchange, report } = await send(request(`${tlsBase}/`));
    assert.equal(exchange.error, null, JSON.stringify(exchange.error));
    assert.equal(report.statusLine, 'HTTP/2 200');
    const frames = section(report, 'frames');
    assert.equal(frames.expanded, true);
    assert.ok((frames.count ?? 0) >= 6, `frames: ${frames.count}`);
    for (const t of ['SETTINGS', 'HEADERS', 'DATA', 'WINDOW_UPDATE', 'GOAWAY', 'Stream 1', 'Connection (stream 0)', ':status: 200'])
      assert.ok(frames.text.includes(t), `Frames shows ${t}: ${frames.text.slice(0, 400)}`);
    const redirects = section(report, 'redirects');
    assert.ok(redirects.text.includes('302'), redirects.text.slice(0, 300));
    const headers = section(report, 'headers');
    assert.ok(headers.text.startsWith(':status'), 'pseudo-headers first');
    assert.ok(section(report, 'summary').text.includes('HTTP/2 200'));
    assert.ok(section(report, 'connection').text.includes('h2'), 'ALPN h2 shown');
  });

  it('shows an h2c (prior knowledge) exchange the same way', async () => {
    const { exchange, report } = await send(request(`${h2cBase}/posts`));
    assert.equal(exchange.response?.httpVersion, '2');
    assert.equal(report.statusLine, 'HTTP/2 200');
    assert.ok(section(report, 'frames').text.includes('HEADERS'));
  });

  it('explains an HTTP/2 refusal (server without h2 on TLS) in plain words', async () => {
    const { exchange, report } = await send(request(`${h2cBase}/posts`, { url: `${tlsBase.replace('https', 'http')}/` }));
    assert.ok(exchange.error, 'a plain-http HTTP/2 request to a TLS port fails');
    assert.ok(section(report, 'error').text.length > 0);
  });
});
