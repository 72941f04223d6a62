// The response panel inside a real VS Code: requests to loopback servers started here go through the extension's
// API, and the assertions read the webview's own report of what it rendered (the DOM is out of the host's reach).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeSelfSigned } from '../../../src/demo/certs';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { Exchange } from '../../../src/shared/exchange';
import { chainTotalMs, formatMs } from '../../../src/view/units';
import type { RenderReport, RenderedSection } from '../../../src/shared/protocol';
import type { ResolvedRequest } from '../../../src/shared/request';
import { api, closeAllEditors, openScratch, waitFor } from '../support/workbench';

function request(url: string, extra: Partial<ResolvedRequest> = {}): ResolvedRequest {
  return { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {}, ...extra };
}

async function listen(server: net.Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const sockets = new Map<net.Server, Set<net.Socket>>();

function track<T extends net.Server>(server: T): T {
  const set = new Set<net.Socket>();
  sockets.set(server, set);
  server.on('connection', (s: net.Socket) => {
    set.add(s);
    s.on('close', () => set.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    set.add(s);
    s.on('close', () => set.delete(s));
  });
  return server;
}

/** Closes a server and every connection still open on it (keep-alive, or a server that never answers). */
function close(server: net.Server): Promise<void> {
  for (const s of sockets.get(server) ?? []) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Sends through the extension and waits for the panel's report of the rendered exchange. */
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

function noSection(report: RenderReport, id: string): void {
  assert.equal(
    report.sections.find((x) => x.id === id),
    undefined,
    `section ${id} is not shown`,
  );
}

const CORE = ['summary', 'status', 'headers', 'body', 'timing', 'connection', 'raw', 'request'];

describe('response panel', function () {
  this.timeout(120_000);
  let demo: DemoServer;
  let tlsServer: https.Server;
  let tlsBase: string;
  let expiredServer: https.Server;
  let expiredBase: string;
  let hostile: http.Server;
  let hostileBase: string;
  const raw: net.Server[] = [];

  /** A TCP server that answers each connection with `respond`. */
  async function rawServer(respond: (s: net.Socket) => void): Promise<string> {
    const srv = track(
      net.createServer((s) => {
        s.on('error', () => undefined);
        respond(s);
      }),
    );
    raw.push(srv);
    return `http://${await listen(srv)}`;
  }

  before(async () => {
    demo = await startDemoServer({ tlsPort: null });
    const cert = await makeSelfSigned();
    tlsServer = track(
      https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"tls":true}');
      }),
    );
    tlsBase = `https://${(await listen(tlsServer)).replace('127.0.0.1', 'localhost')}`;
    const old = await makeSelfSigned({ notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    expiredServer = track(https.createServer({ key: old.key, cert: old.cert }, (_req, res) => res.end('old')));
    expiredBase = `https://${(await listen(expiredServer)).replace('127.0.0.1', 'localhost')}`;
    hostile = track(
      http.createServer((req, res) => {
        const markup = '<script>window.parent.postMessage({type:"rerun"},"*");document.title="pwned"</script><img src=x onerror="document.title=1">';
        if (req.url === '/svg') {
          res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
          res.end(`<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=2"><script>document.title=3</script></svg>`);
          return;
        }
        if (req.url === '/json') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ [markup]: markup }));
          return;
        }
        res.writeHead(200, markup.replace(/[^\x20-\x7e]/g, ''), {
          'Content-Type': 'text/html',
          'X-Evil': markup,
          [`X-<b>bold</b>`.replace(/[<>/]/g, '')]: 'x',
        });
        res.end(`<!doctype html><html><body onload="document.title=4">${markup}<iframe src="javascript:alert(1)"></iframe></body></html>`);
      }),
    );
    hostileBase = `http://${await listen(hostile)}`;
  });

  after(async () => {
    await closeAllEditors();
    await demo.close();
    await close(tlsServer);
    await close(expiredServer);
    await close(hostile);
    for (const s of raw) await close(s);
  });

  it('shows a JSON exchange: every section, status meaning, headers, pretty body', async () => {
    const sentAt = Date.now();
    const { exchange, report } = await send(request(`${demo.url}/json`, { headers: [['Accept', 'application/json']] }));
    const waited = Date.now() - sentAt;
    assert.equal(exchange.response?.status, 200);
    assert.match(report.statusLine ?? '', /^HTTP\/1\.1 200 OK$/);
    for (const id of CORE) section(report, id);
    noSection(report, 'error');
    noSection(report, 'redirects');
    assert.match(section(report, 'summary').text, /GET/);
    assert.match(section(report, 'summary').text, /200 OK/);
    assert.match(section(report, 'summary').text, new RegExp(`127\\.0\\.0\\.1:${new URL(demo.url).port}`));
    assert.match(section(report, 'status').text, /request succeeded|succeeded/i, 'the meaning of 200');
    const headers = section(report, 'headers');
    assert.equal(headers.count, exchange.response?.headers.length);
    assert.match(headers.text, /Content-Type: application\/json; charset=utf-8/);
    assert.match(headers.text, /Media type/i, 'a one-line meaning per header');
    assert.match(headers.text, /Syntax: type "\/" subtype/, 'the expanded explanation carries the syntax');
    assert.match(headers.text, /RFC 9110, Section 8\.3/, 'and the reference');
    assert.match(headers.text, /charset parameter, which has no effect/, 'and the notes tied to the header');
    assert.equal(report.bodyMode, 'pretty');
    assert.match(section(report, 'body').text, /"name"/);
    assert.match(section(report, 'timing').text, /Waiting \(TTFB\)/);
    assert.match(section(report, 'connection').text, /IPv4/);
    assert.match(section(report, 'raw').text, /GET \/json HTTP\/1\.1/);
    assert.match(section(report, 'request').text, /Accept: application\/json/);
    // The webview times this render alone (from the message to the paint), so it cannot exceed the whole wait here.
    assert.ok(report.durationMs <= waited + 1, `render measured ${report.durationMs} ms, but the test waited only ${waited} ms`);
    console.log(`[panel] JSON exchange rendered and painted in ${report.durationMs.toFixed(1)} ms (webview's own measure)`);
    assert.equal(report.scripts, 0, "no script element beyond the panel's own");
  });

  it('shows HTML as text, never rendered', async () => {
    const { report } = await send(request(`${demo.url}/html`));
    assert.equal(report.bodyMode, 'raw');
    assert.match(section(report, 'body').text, /<html|<!doctype/i);
    assert.equal(report.images, 0);
  });

  it('shows an XML body pretty-printed', async () => {
    const { report } = await send(request(`${demo.url}/xml`));
    assert.equal(report.bodyMode, 'pretty');
    assert.match(section(report, 'body').text, /<item id="1">one<\/item>\n/);
  });

  it('shows a PNG image (and only raster images)', async () => {
    const { report } = await send(request(`${demo.url}/image.png`));
    assert.equal(report.bodyMode, 'image');
    assert.equal(report.images, 1);
  });

  it('shows a binary body as a hex dump', async () => {
    const { report } = await send(request(`${demo.url}/bytes/300`));
    assert.equal(report.bodyMode, 'hex');
    assert.match(section(report, 'body').text, /00000000 {2}[0-9a-f]{2} /);
  });

  it('marks chunk boundaries and shows trailers', async () => {
    const { exchange, report } = await send(request(`${demo.url}/chunked?chunks=3&size=5`));
    assert.ok((exchange.response?.chunks?.length ?? 0) >= 3, 'the engine marked the chunks');
    assert.equal(exchange.response?.trailers.length, 1);
    assert.match(section(report, 'headers').text, /Trailers \(1\)/);
    assert.match(section(report, 'headers').text, /X-Checksum: chunks=3/);
    assert.match(section(report, 'raw').text, /chunk-size lines marked/);
    assert.match(section(report, 'raw').text, /\n5\r?\n/);
  });

  it('shows a compressed body decoded, with its wire size', async () => {
    const { exchange, report } = await send(request(`${demo.url}/gzip`));
    assert.deepEqual(exchange.response?.body.decodedFrom, ['gzip']);
    assert.match(section(report, 'body').text, /PrettyRawHexWire/, 'decoded views and the raw wire view');
    assert.match(section(report, 'body').text, /decoded from gzip \([\d.]+ k?B on the wire\)/);
    assert.equal(report.bodyMode, 'pretty');
  });

  it('pretty-prints and colours a 450 kB JSON body, and shows a larger one as received', async () => {
    const items = (n: number): string =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, ok: i % 2 === 0, tags: ['a', 'b'] })));
    const body = items(7000);
    const big = items(12000);
    const base = await rawServer((s) =>
      s.once('data', (d) => {
        const b = d.toString().startsWith('GET /big') ? big : body;
        s.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`);
      }),
    );
    const { report } = await send(request(`${base}/`));
    assert.ok(body.length > 400_000 && body.length < 512 * 1024);
    assert.equal(report.bodyMode, 'pretty');
    assert.match(section(report, 'body').text, /"id": 0,\n/);
    console.log(
      `[panel] ${body.length} byte JSON pretty-printed, coloured and painted in ${report.durationMs.toFixed(1)} ms (webview's own measure)`,
    );
    const large = await send(request(`${base}/big`));
    assert.ok(big.length > 512 * 1024);
    assert.match(section(large.report, 'body').text, /too large to format/);
  });

  it('shows interim responses before the final status line', async () => {
    const base = await rawServer((s) =>
      s.once('data', () =>
        s.end('HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\nHTTP/1.1 200 all  fine, thanks\r\nContent-Length: 2\r\n\r\nok'),
      ),
    );
    const { exchange, report } = await send(request(`${base}/`));
    assert.equal(exchange.response?.interim.length, 1);
    assert.equal(report.statusLine, 'HTTP/1.1 200 all  fine, thanks', 'the final status line as received');
    const st = section(report, 'status').text;
    assert.ok(st.indexOf('103 Early Hints') >= 0 && st.indexOf('103 Early Hints') < st.indexOf('200 all'), st);
    assert.match(st, /Link: <\/style\.css>; rel=preload/);
  });

  it('lists the headers as received: in order, duplicates kept, each with its meaning', async () => {
    const base = await rawServer((s) =>
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Between: yes\r\nSet-Cookie: b=2\r\ncontent-length: 2\r\n\r\nok')),
    );
    const { report } = await send(request(`${base}/`));
    const h = section(report, 'headers');
    assert.equal(h.count, 4);
    assert.match(h.text, /Set-Cookie: a=1.*X-Between: yes.*Set-Cookie: b=2.*content-length: 2/s, 'order, duplicates and case as received');
    assert.equal(h.text.match(/Set-Cookie: /g)?.length, 2);
  });

  it('shows an IPv6 loopback exchange with a bracketed address', async () => {
    const srv = track(
      net.createServer((s) => {
        s.on('error', () => undefined);
        s.once('data', () => s.end('HTTP/1.1 204 No Content\r\n\r\n'));
      }),
    );
    raw.push(srv);
    const addr = await listen(srv, '::1');
    const { report } = await send(request(`http://${addr}/`));
    assert.match(section(report, 'summary').text, /\[::1\]:\d+/);
    assert.match(section(report, 'connection').text, /IPv6/);
    assert.equal(section(report, 'body').text, 'No body.');
  });

  it('shows the redirect chain, each hop with its own exchange', async () => {
    const { exchange, report } = await send(request(`${demo.url}/redirect/2`));
    assert.equal(exchange.redirects.length, 2);
    const r = section(report, 'redirects');
    assert.equal(r.count, 2);
    assert.match(r.text, /1\. GET .*\/redirect\/2 → 302 Found/);
    assert.match(r.text, /2\. GET .*\/redirect\/1 → 302 Found/);
    assert.match(r.text, /Location: \/echo/, 'a hop shows its own headers');
    const hop1 = r.text.slice(0, r.text.indexOf('2. GET'));
    assert.match(hop1, /Timing — [\d.]+ m?s/, 'a hop shows its own timings');
    assert.match(hop1, /Waiting \(TTFB\)/);
    assert.match(hop1, /GET \/redirect\/2 HTTP\/1\.1\nHost: /, 'a hop shows its own request bytes');
    assert.match(hop1, /HTTP\/1\.1 302 Found\nLocation: \/redirect\/1/, 'and its own response bytes');
    assert.match(report.statusLine ?? '', /200 OK/);
    // The summary's total is the whole chain's (curl's time_total), not the final hop's alone.
    const chain = formatMs(chainTotalMs(exchange));
    const summary = section(report, 'summary').text;
    assert.ok(summary.includes(chain), `summary shows ${summary}, the chain took ${chain} (final hop ${formatMs(exchange.timings.total)})`);
  });

  it("copies a redirected request as written, with --location, not the last hop's request", async () => {
    await send(request(`${demo.url}/redirect/2`, { headers: [['X-Trace', 'copy']] }));
    const curl = await vscode.commands.executeCommand<string>('wirelens.copyAsCurl');
    assert.match(curl ?? '', /^curl --http1\.1 http:\/\/127\.0\.0\.1:\d+\/redirect\/2 \\\n {2}-H 'X-Trace: copy'/);
    assert.match(curl ?? '', /--location/);
    assert.doesNotMatch(curl ?? '', /\/echo/);
  });

  it('shows TLS facts and the certificate chain for a generated certificate', async () => {
    const { exchange, report } = await send(request(`${tlsBase}/`, { options: { insecure: true } }));
    assert.equal(exchange.error, null);
    const c = section(report, 'connection');
    assert.equal(c.title, 'Connection and TLS');
    assert.match(c.text, /TLSv1\.[23]/);
    assert.match(c.text, /Certificate chain \(1\)/);
    assert.match(c.text, /localhost — leaf, valid, \d+ days? left/);
    assert.match(c.text, /self-signed/, 'verification failure in plain words even when skipped');
  });

  it('explains a TLS verification failure in plain words', async () => {
    const { exchange, report } = await send(request(`${tlsBase}/`));
    assert.ok(exchange.error, 'verification fails for a self-signed certificate');
    const e = section(report, 'error');
    assert.match(e.text, /self-signed|trust/i);
    assert.match(e.text, /Likely causes/);
    assert.match(e.text, /@insecure/);
  });

  it('explains an expired certificate', async () => {
    const { exchange, report } = await send(request(`${expiredBase}/`));
    assert.ok(exchange.error);
    assert.match(section(report, 'error').text, /expired|self-signed/i);
  });

  it('explains a refused connection, with the phase and the request that was tried', async () => {
    const srv = net.createServer();
    const addr = await listen(srv);
    await close(srv);
    const { exchange, report } = await send(request(`http://${addr}/nothing-here`));
    assert.equal(exchange.error?.code, 'ECONNREFUSED');
    assert.equal(exchange.response, null);
    const e = section(report, 'error');
    assert.match(e.text, /refused the connection/);
    assert.match(e.text, /connect/);
    assert.match(report.statusLine ?? '', /refused/, "the error title takes the status line's place");
    section(report, 'timing');
    assert.equal(section(report, 'request').title, 'Request (prepared, not sent)');
    noSection(report, 'body');
  });

  it('explains a timeout while waiting, keeping the timings so far', async () => {
    const base = await rawServer(() => undefined);
    const { exchange, report } = await send(request(`${base}/slow`, { options: { timeoutMs: 400 } }));
    assert.ok(exchange.error);
    assert.match(exchange.error.code, /TIMEDOUT|TIMEOUT/i);
    assert.match(section(report, 'error').text, /time/i);
    assert.match(section(report, 'timing').text, /TCP connect/);
  });

  it('explains a reset connection', async () => {
    const base = await rawServer((s) => s.once('data', () => s.resetAndDestroy()));
    const { exchange, report } = await send(request(`${base}/`));
    assert.ok(exchange.error);
    section(report, 'error');
  });

  it('explains a malformed response and keeps what arrived', async () => {
    const base = await rawServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Header\r\n\r\nhello')));
    const { exchange, report } = await send(request(`${base}/`));
    assert.ok(exchange.error, 'a parse error');
    assert.match(section(report, 'error').text, /Likely causes|not valid HTTP/);
  });

  it('explains an empty reply', async () => {
    const base = await rawServer((s) => s.once('data', () => s.end()));
    const { exchange, report } = await send(request(`${base}/`));
    assert.equal(exchange.error?.code, 'WL_EMPTY_REPLY');
    const e = section(report, 'error');
    assert.match(e.text, /closed the connection without sending anything/);
    assert.match(e.text, /Likely causes/);
  });

  it('explains too many redirects, keeping the hops that were followed', async () => {
    const cfg = vscode.workspace.getConfiguration('wirelens');
    await cfg.update('maxRedirects', 1, vscode.ConfigurationTarget.Global);
    try {
      const { exchange, report } = await send(request(`${demo.url}/redirect/3`));
      assert.equal(exchange.error?.code, 'WL_TOO_MANY_REDIRECTS');
      const e = section(report, 'error');
      assert.match(e.text, /Too many redirects/);
      assert.match(e.text, /redirect loop/);
      assert.match(e.text, /while following a redirect/);
      assert.ok(exchange.redirects.length >= 1, 'the engine kept the hops');
      assert.equal(section(report, 'redirects').count, exchange.redirects.length);
    } finally {
      await cfg.update('maxRedirects', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows a response cut short in its body, with the partial body', async () => {
    const base = await rawServer((s) =>
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial body')),
    );
    const { exchange, report } = await send(request(`${base}/`));
    assert.ok(exchange.error);
    assert.match(report.sections.map((s) => s.id).join(','), /error,status,headers,body/);
    assert.match(section(report, 'body').text, /partial body/);
  });

  it('shows the live phase while waiting, and Cancel ends the request', async () => {
    const wl = await api();
    const before = wl.panels.lastRender()?.seq ?? 0;
    const running = wl.commands.run(request(`${demo.url}/delay/20000`));
    const pending = await wl.panels.waitForRender((r) => r.view === 'pending' && r.seq > before);
    assert.match(section(pending, 'summary').text, /GET.*\/delay\/20000/);
    assert.match(section(pending, 'summary').text, /Cancel/);
    wl.commands.cancel();
    const ex = await running;
    assert.match(ex.error?.code ?? '', /cancel|ABORT/i);
    const done = await wl.panels.waitForRender((r) => r.view === 'exchange' && r.seq > pending.seq);
    assert.match(section(done, 'error').text, /cancelled/);
  });

  it("a request sent while another runs replaces it: the older one's end never covers the newer one", async () => {
    const wl = await api();
    const seen: RenderReport[] = [];
    const sub = wl.panels.onRender((r) => seen.push(r));
    try {
      const before = wl.panels.lastRender()?.seq ?? 0;
      const slow = wl.commands.run(request(`${demo.url}/delay/20000`));
      const firstPending = await wl.panels.waitForRender((r) => r.view === 'pending' && r.seq > before);
      const fast = wl.commands.run(request(`${demo.url}/json`));
      const slowEx = await slow;
      assert.match(slowEx.error?.code ?? '', /cancel|ABORT/i, 'the older request was cancelled');
      const fastEx = await fast;
      assert.equal(fastEx.response?.status, 200);
      await wl.panels.waitForRender((r) => r.view === 'exchange' && r.seq > firstPending.seq && /200 OK/.test(r.statusLine ?? ''));
      const after = seen.filter((r) => r.seq > firstPending.seq);
      assert.ok(
        after.some((r) => r.view === 'pending'),
        "the newer request's waiting view was shown",
      );
      assert.ok(
        !after.some((r) => /cancelled/i.test(r.statusLine ?? '')),
        `the cancelled request was not shown over the newer one: ${after.map((r) => `${r.view}:${r.statusLine}`).join(' | ')}`,
      );
      assert.match(wl.commands.statusText, /200 in \d+ ms/, 'the status bar shows the newer request');
      assert.equal(wl.commands.lastExchange?.response?.status, 200);
    } finally {
      sub.dispose();
    }
  });

  it("locks the webview down: no forms, no command links, only the extension's media, a strict CSP with a fresh nonce", async () => {
    const wl = await api();
    await send(request(`${demo.url}/json`));
    const [p] = wl.panels.openPanels();
    assert.ok(p);
    const o = p.panel.webview.options;
    assert.equal(o.enableScripts, true);
    assert.equal(o.enableForms, false);
    assert.equal(o.enableCommandUris, false);
    assert.equal(o.localResourceRoots?.length, 1);
    assert.match(o.localResourceRoots?.[0].path ?? '', /\/dist\/media$/);
    const html = p.panel.webview.html;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; /);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(urls.length, 3, 'one script and two stylesheets');
    for (const u of urls) assert.match(u, /\/dist\/media\/(webview\.js|panel\.css|codicon\.css)$/, `only the extension's media: ${u}`);
    assert.ok(
      !wl.panels
        .openPanels()
        .slice(1)
        .some((q) => q.panel.webview.html.includes(nonce)),
      'each panel has its own nonce',
    );
    // Messages from the webview go through the typed protocol: anything else is counted and dropped.
    const rejected = wl.panels.rejectedMessages();
    const receive = (p as unknown as { receive(raw: unknown): void }).receive.bind(p);
    for (const bad of [
      'openBody',
      { type: 'openBody', hop: 'x' },
      { type: 'openBody', hop: 1e9 },
      { type: 'copyHeader', hop: -1 },
      { type: 'eval', code: '1' },
      null,
    ])
      receive(bad);
    assert.equal(wl.panels.rejectedMessages(), rejected + 6, 'every malformed message rejected');
  });

  it('runs nothing from a hostile response: markup in headers and body stays text', async () => {
    const wl = await api();
    const rejected = wl.panels.rejectedMessages();
    for (const p of ['/', '/json', '/svg']) {
      const { report } = await send(request(`${hostileBase}${p}`));
      assert.equal(report.scripts, 0, `${p}: no script element was added`);
      assert.equal(report.images, 0, `${p}: no image element was added`);
      assert.equal(report.documentTitle, 'Wire Lens', `${p}: nothing changed the document`);
      if (p === '/') {
        assert.match(section(report, 'headers').text, /X-Evil: <script>window\.parent\.postMessage/);
        assert.match(section(report, 'body').text, /<img src=x onerror=/);
        assert.match(section(report, 'status').text, /<script>/, 'the reason phrase too');
      }
      if (p === '/svg') assert.notEqual(report.bodyMode, 'image', 'SVG is never shown as an image');
    }
    assert.equal(wl.panels.rejectedMessages(), rejected, 'the page posted no unexpected messages');
  });

  it('shows part of a 100 MB body with its size, without freezing, and opens it in an editor', async () => {
    const wl = await api();
    const { exchange, report } = await send(request(`${demo.url}/bytes/${100 * 1024 * 1024}`));
    assert.ok(exchange.response);
    const body = section(report, 'body');
    assert.match(body.text, /cut at the engine's size limit: [\d.]+ MB kept, the first 65\.5 kB shown here/);
    assert.match(body.text, /Open in Editor/);
    assert.equal(report.bodyMode, 'hex');
    console.log(
      `[panel] ${exchange.response.body.size} byte body rendered and painted in ${report.durationMs.toFixed(1)} ms (webview's own measure)`,
    );
    const editor = await wl.panels.openBody();
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'wirelens-body');
    assert.match(editor.document.lineAt(0).text, /^00000000 {2}/);
    await closeAllEditors();
  });

  it('keeps the webview message under the body threshold (setting)', async () => {
    const cfg = vscode.workspace.getConfiguration('wirelens.panel');
    await cfg.update('maxBodyBytes', 4096, vscode.ConfigurationTarget.Global);
    try {
      const big = await send(
        request(`${demo.url}/echo`, {
          method: 'POST',
          headers: [['Content-Type', 'text/plain']],
          body: [{ kind: 'bytes', data: new TextEncoder().encode('x'.repeat(20_000)) }],
        }),
      );
      assert.match(section(big.report, 'body').text, /Large body: showing the first 4\.1 kB/);
    } finally {
      await cfg.update('maxBodyBytes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('opens the body in a read-only editor with the right language', async () => {
    const wl = await api();
    await send(request(`${demo.url}/json`));
    const editor = await wl.panels.openBody();
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'wirelens-body');
    assert.equal(editor.document.languageId, 'json');
    assert.ok(JSON.parse(editor.document.getText()));
    await closeAllEditors();
  });

  it('saves the body and the exchange, and copies as cURL', async () => {
    const wl = await api();
    const { exchange } = await send(request(`${demo.url}/image.png`, { headers: [['X-Secret', 'hunter2-secret']], secrets: ['hunter2-secret'] }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-panel-'));
    const bodyFile = await vscode.commands.executeCommand<vscode.Uri>('wirelens.saveBody', vscode.Uri.file(path.join(dir, 'body.png')));
    assert.ok(bodyFile);
    assert.equal(fs.readFileSync(bodyFile.fsPath).toString('base64'), exchange.response?.body.base64);
    const exFile = await vscode.commands.executeCommand<vscode.Uri>('wirelens.saveExchange', vscode.Uri.file(path.join(dir, 'exchange.http')));
    assert.ok(exFile);
    const text = fs.readFileSync(exFile.fsPath, 'utf8');
    assert.match(text, /^GET http:\/\/127\.0\.0\.1:\d+\/image\.png HTTP\/1\.1$/m);
    assert.match(text, /^# HTTP\/1\.1 200 OK$/m);
    assert.ok(!text.includes('hunter2-secret'), 'secrets masked in the saved file');
    // Copy as cURL follows wirelens.copyAsCurl.includeSecrets (the default asks, which a test cannot answer).
    const cfg = vscode.workspace.getConfiguration('wirelens');
    try {
      await cfg.update('copyAsCurl.includeSecrets', 'never', vscode.ConfigurationTarget.Global);
      const masked = await vscode.commands.executeCommand<string>('wirelens.copyAsCurl');
      assert.match(masked ?? '', /^curl --http1\.1 http:\/\/127\.0\.0\.1:\d+\/image\.png \\\n {2}-H 'X-Secret: /);
      assert.ok(!(masked ?? '').includes('hunter2-secret'), 'never: the secret is masked in the cURL command');
      await cfg.update('copyAsCurl.includeSecrets', 'always', vscode.ConfigurationTarget.Global);
      const curl = await vscode.commands.executeCommand<string>('wirelens.copyAsCurl');
      assert.match(curl ?? '', /^curl --http1\.1 http:\/\/127\.0\.0\.1:\d+\/image\.png \\\n {2}-H 'X-Secret: hunter2-secret'/);
    } finally {
      await cfg.update('copyAsCurl.includeSecrets', undefined, vscode.ConfigurationTarget.Global);
    }
    const resp = await vscode.commands.executeCommand<string>('wirelens.copyResponse');
    assert.match(resp ?? '', /^HTTP\/1\.1 200 OK\nContent-Type: image\/png\n/);
    const first = exchange.response?.headers[0];
    assert.equal(await wl.panels.copyHeader(undefined, -1, 0, false), `${first?.[0]}: ${first?.[1]}`);
    const report = wl.panels.lastRender();
    assert.ok(report && !JSON.stringify(report).includes('hunter2-secret'), 'secrets masked in the panel');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens one panel per request when reuse is off', async () => {
    const wl = await api();
    const cfg = vscode.workspace.getConfiguration('wirelens.panel');
    await closeAllEditors();
    await waitFor(() => wl.panels.openPanels().length === 0, 'panels closed');
    await cfg.update('reuse', false, vscode.ConfigurationTarget.Global);
    try {
      await send(request(`${demo.url}/status/201`));
      await send(request(`${demo.url}/status/202`));
      assert.equal(wl.panels.openPanels().length, 2);
    } finally {
      await cfg.update('reuse', undefined, vscode.ConfigurationTarget.Global);
    }
    await send(request(`${demo.url}/status/203`));
    assert.equal(wl.panels.openPanels().length, 2, 'reuse on: the active panel is reused');
  });
  it('opens beside the editor without taking the focus, unless preserveFocus is off (setting)', async () => {
    const wl = await api();
    const cfg = vscode.workspace.getConfiguration('wirelens.panel');
    await closeAllEditors();
    await waitFor(() => wl.panels.openPanels().length === 0, 'panels closed');
    const editor = await openScratch('focus.http', `GET ${demo.url}/json\n`);
    await cfg.update('reuse', false, vscode.ConfigurationTarget.Global);
    try {
      await wl.commands.run(request(`${demo.url}/json`));
      const kept = await waitFor(() => wl.panels.openPanels()[0], 'a panel');
      await waitFor(() => kept.panel.viewColumn === vscode.ViewColumn.Two, 'the panel beside the editor (column two)');
      assert.equal(kept.panel.active, false, 'the panel did not take the focus');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'the editor kept it');
      await cfg.update('preserveFocus', false, vscode.ConfigurationTarget.Global);
      await wl.commands.run(request(`${demo.url}/json`));
      const taken = await waitFor(() => wl.panels.openPanels()[1], 'a second panel');
      await waitFor(() => taken.panel.active, 'the new panel has the focus');
      await waitFor(() => vscode.window.activeTextEditor === undefined, 'no text editor with the focus');
    } finally {
      await cfg.update('reuse', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('preserveFocus', undefined, vscode.ConfigurationTarget.Global);
      await closeAllEditors();
    }
  });
});
