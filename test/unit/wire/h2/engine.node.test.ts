// HTTP/2 against Node's own http2 server (a peer Wire Lens did not write): TLS with ALPN, h2c with prior
// knowledge, redirects, bodies both ways, decoding, trailers, limits, and the record's frames.
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { makeSelfSigned, type GeneratedCert } from '../../../../src/demo/certs';
import { send } from '../../../../src/wire';
import { request } from '../servers';

type Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

interface Peer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http2.Http2Server | http2.Http2SecureServer, proto: string, host = '127.0.0.1'): Promise<Peer> {
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${proto}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function routes(): Handler {
  return (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/') {
      res.writeHead(302, { location: '/posts' });
      res.end();
      return;
    }
    if (u.pathname === '/posts') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<h1>Posts</h1>');
      return;
    }
    if (u.pathname === '/echo') {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        const b = Buffer.concat(parts);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, length: b.length, sha: b.toString('base64').slice(0, 16), headers: req.headers }));
      });
      return;
    }
    if (u.pathname === '/big') {
      const n = Number(u.searchParams.get('n') ?? '1048576');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(n) });
      const chunk = Buffer.alloc(65536, 0x61);
      let left = n;
      const pump = (): void => {
        while (left > 0) {
          const c = chunk.subarray(0, Math.min(left, chunk.length));
          left -= c.length;
          if (!res.write(c)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    if (u.pathname === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(Buffer.from('hello compressed world')));
      return;
    }
    if (u.pathname === '/trailers') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.addTrailers({ 'x-checksum': 'abc' });
      res.end('body');
      return;
    }
    if (u.pathname === '/cookie') {
      res.writeHead(302, { location: '/show-cookie', 'set-cookie': 'sid=42; Path=/' });
      res.end();
      return;
    }
    if (u.pathname === '/show-cookie') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(String(req.headers.cookie ?? 'none'));
      return;
    }
    if (u.pathname === '/slow') {
      res.writeHead(200);
      res.write('x');
      return;
    }
    res.writeHead(404);
    res.end();
  };
}

describe('wire/h2: Node http2 server', function () {
  this.timeout(30000);
  let cert: GeneratedCert;
  let tlsPeer: Peer;
  let h2cPeer: Peer;
  before(async () => {
    cert = await makeSelfSigned();
    tlsPeer = await listen(http2.createSecureServer({ key: cert.key, cert: cert.cert, allowHTTP1: true }, routes()), 'https');
    h2cPeer = await listen(http2.createServer(routes()), 'http');
  });
  after(async () => {
    await tlsPeer.close();
    await h2cPeer.close();
  });

  it("negotiates h2 by ALPN and follows the lecture's 302 to /posts", async () => {
    const ex = await send(request(`${tlsPeer.url}/`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.httpVersion, '2');
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.response?.body.text, '<h1>Posts</h1>');
    assert.equal(ex.connection?.tls?.alpn, 'h2');
    assert.equal(ex.redirects.length, 1);
    const first = ex.redirects[0];
    assert.equal(first.response?.status, 302);
    assert.deepEqual(first.response?.headers[0], [':status', '302']);
    assert.ok(first.response?.headers.some(([n, v]) => n === 'location' && v === '/posts'));
    // The request went out with pseudo-headers first.
    assert.deepEqual(
      ex.request.headers.slice(0, 4).map(([n]) => n),
      [':method', ':scheme', ':authority', ':path'],
    );
    assert.equal(ex.request.httpVersion, 'HTTP/2');
    // Frames both ways: preface SETTINGS first, the server's SETTINGS, HEADERS with HPACK facts.
    const frames = ex.frames ?? [];
    assert.equal(frames[0].direction, 'sent');
    assert.equal(frames[0].type, 'SETTINGS');
    assert.ok(frames.some((f) => f.direction === 'received' && f.type === 'SETTINGS' && !f.flagNames.includes('ACK')));
    assert.ok(frames.some((f) => f.direction === 'received' && f.type === 'SETTINGS' && f.flagNames.includes('ACK')));
    const sentHeaders = frames.find((f) => f.direction === 'sent' && f.type === 'HEADERS');
    assert.ok(sentHeaders?.fields?.some((f) => f.name === ':method' && f.representation === 'indexed' && f.table === 'static'));
    const got = frames.find((f) => f.direction === 'received' && f.type === 'HEADERS');
    assert.ok(got?.fields?.some((f) => f.name === ':status'));
    assert.ok(got?.flagNames.includes('END_HEADERS'));
    assert.ok(frames.some((f) => f.direction === 'received' && f.type === 'DATA' && f.flagNames.includes('END_STREAM')));
    // The raw bytes of the connection: the preface starts what was sent.
    assert.ok(Buffer.from(ex.request.rawBase64, 'base64').toString('latin1').startsWith('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
    assert.ok((ex.response?.receivedBytes ?? 0) > 0);
  });

  it('uses prior knowledge (h2c) for http:// with HTTP/2', async () => {
    const ex = await send(request(`${h2cPeer.url}/posts`, { httpVersion: 'HTTP/2' }));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.httpVersion, '2');
    assert.equal(ex.response?.body.text, '<h1>Posts</h1>');
    assert.equal(ex.connection?.tls, null);
  });

  it('negotiate mode uses h2 when offered and HTTP/1.1 is kept for a request that writes it', async () => {
    const a = await send(request(`${tlsPeer.url}/posts`, { httpVersion: '' }), { ca: [cert.cert], http2: 'negotiate' });
    assert.equal(a.response?.httpVersion, '2');
    const b = await send(request(`${tlsPeer.url}/posts`, { httpVersion: 'HTTP/1.1' }), { ca: [cert.cert], http2: 'negotiate' });
    assert.equal(b.response?.httpVersion, '1.1');
    assert.equal(b.connection?.tls?.alpn, 'http/1.1');
    const c = await send(request(`${tlsPeer.url}/posts`, { httpVersion: '' }), { ca: [cert.cert] });
    assert.equal(c.response?.httpVersion, '1.1', 'never is the default');
  });

  it('sends a request body under flow control and the server receives all of it', async () => {
    const big = Buffer.alloc(300_000, 0x62);
    const ex = await send(
      request(`${tlsPeer.url}/echo`, {
        httpVersion: 'HTTP/2',
        method: 'POST',
        headers: [
          ['Content-Type', 'application/octet-stream'],
          ['X-Mixed-Case', 'v'],
        ],
        body: [{ kind: 'bytes', data: big }],
      }),
      { ca: [cert.cert] },
    );
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    const echoed = JSON.parse(ex.response?.body.text ?? '{}') as { length: number; method: string; headers: Record<string, string> };
    assert.equal(echoed.method, 'POST');
    assert.equal(echoed.length, big.length);
    assert.equal(echoed.headers['x-mixed-case'], 'v');
    assert.equal(ex.request.bodySize, big.length);
    assert.ok((ex.frames ?? []).filter((f) => f.direction === 'received' && f.type === 'WINDOW_UPDATE').length > 0, 'the server opened its window');
  });

  it('downloads a large body with WINDOW_UPDATEs and keeps the record bounded', async () => {
    const n = 40 * 1024 * 1024;
    const ex = await send(request(`${tlsPeer.url}/big?n=${n}`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.size, n);
    assert.ok((ex.frames ?? []).some((f) => f.direction === 'sent' && f.type === 'WINDOW_UPDATE'));
    const frames = ex.frames ?? [];
    assert.ok(frames.length <= 2000);
    // Every DATA frame is still in the record: the first ones each as an entry, the rest in runs.
    assert.equal(ex.framesOmitted, undefined);
    const data = frames.filter((f) => f.direction === 'received' && f.type === 'DATA');
    assert.ok(
      data.some((f) => (f.run?.count ?? 0) > 1),
      'long runs of DATA are coalesced',
    );
    assert.equal(
      data.reduce((s, f) => s + (f.run ? f.run.bytes : f.length), 0),
      n,
    );
    for (const f of data.filter((x) => x.run)) {
      const run = f.run as NonNullable<typeof f.run>;
      assert.equal(
        run.lengths.reduce((s, [, c]) => s + c, 0),
        run.count,
      );
      assert.ok(run.lastTime >= f.time);
    }
    assert.equal(ex.response?.rawTruncated, true);
  });

  it('decodes content codings and keeps trailers', async () => {
    const g = await send(request(`${tlsPeer.url}/gzip`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(g.response?.body.text, 'hello compressed world');
    assert.deepEqual(g.response?.body.decodedFrom, ['gzip']);
    const t = await send(request(`${tlsPeer.url}/trailers`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(t.response?.body.text, 'body');
    assert.deepEqual(t.response?.trailers, [['x-checksum', 'abc']]);
  });

  it('stores cookies across a redirect and sends them never-indexed', async () => {
    const { CookieJar } = await import('../../../../src/wire');
    const ex = await send(request(`${tlsPeer.url}/cookie`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert], cookieJar: new CookieJar() });
    assert.equal(ex.response?.body.text, 'sid=42');
    const h = (ex.frames ?? []).find((f) => f.direction === 'sent' && f.type === 'HEADERS');
    assert.equal(h?.fields?.find((f) => f.name === 'cookie')?.representation, 'literal-never-indexed');
  });

  it('keeps the body limit and the idle timeout of HTTP/1.1', async () => {
    const a = await send(request(`${tlsPeer.url}/big?n=2000000`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert], maxBodyBytes: 100_000 });
    assert.equal(a.error?.code, 'WL_BODY_TOO_LARGE');
    assert.equal(a.response?.body.truncated, true);
    assert.ok((a.frames ?? []).some((f) => f.direction === 'sent' && f.type === 'RST_STREAM' && f.errorCode === 'CANCEL'));
    const b = await send(request(`${tlsPeer.url}/slow`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert], idleTimeoutMs: 1500 });
    assert.equal(b.error?.code, 'ETIMEDOUT');
    assert.equal(b.response?.status, 200);
  });

  it('cancels with RST_STREAM CANCEL', async () => {
    // Cancelled once the response is arriving (never on a timer: the machine may be slow).
    const ac = new AbortController();
    const ex = await send(request(`${tlsPeer.url}/slow`, { httpVersion: 'HTTP/2' }), {
      ca: [cert.cert],
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading') ac.abort();
      },
    });
    assert.equal(ex.error?.code, 'cancelled');
    assert.ok((ex.frames ?? []).some((f) => f.direction === 'sent' && f.type === 'RST_STREAM'));
  });

  it('refuses connection-specific headers before sending', async () => {
    for (const [n, v] of [
      ['Connection', 'keep-alive'],
      ['Transfer-Encoding', 'chunked'],
      ['Upgrade', 'h2c'],
      ['TE', 'gzip'],
      ['Keep-Alive', '5'],
      ['Proxy-Connection', 'x'],
    ]) {
      const ex = await send(request(`${tlsPeer.url}/posts`, { httpVersion: 'HTTP/2', headers: [[n, v]] }), { ca: [cert.cert] });
      assert.equal(ex.error?.code, 'WL_H2_FORBIDDEN_HEADER', n);
      assert.equal(ex.error?.phase, 'resolve');
      assert.equal(ex.connection, null);
    }
    const ok = await send(request(`${tlsPeer.url}/posts`, { httpVersion: 'HTTP/2', headers: [['TE', 'trailers']] }), { ca: [cert.cert] });
    assert.equal(ok.error, null);
  });
});
