// The demo origin: a small loopback HTTP/HTTPS server that the examples, `npm start` and the tests talk to.
// Loopback only. Every route is documented in `ROUTES` (served at `/`).
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { makeSelfSigned } from './certs';
import { attachWebSocketEcho, startTimeServer, startUdpEcho } from './sockets';

export interface DemoServerOptions {
  host?: string;
  port?: number;
  /** Port of the self-signed TLS listener; null for none. */
  tlsPort?: number | null;
  /** HTTP/2 over TLS (ALPN h2, http/1.1 also accepted) with the lecture's `/` → 302 `/posts`; null or absent: none. */
  h2Port?: number | null;
  /** HTTP/2 without TLS (h2c, prior knowledge), the same routes; null or absent: none. */
  h2cPort?: number | null;
  /** The lecture's TCP time server, and the UDP echo; null for none (default: any free port). */
  timePort?: number | null;
  udpPort?: number | null;
}

export interface DemoServer {
  url: string;
  tlsUrl: string | null;
  port: number;
  tlsPort: number | null;
  /** PEM of the TLS port's certificate, so clients can trust it explicitly. */
  certificate: string | null;
  /** The HTTP/2 listeners (issue 11): `https://…` with ALPN h2, `http://…` with h2c. */
  h2Url: string | null;
  h2cUrl: string | null;
  /** TCP time server and UDP echo ports (the WebSocket echo is ws://…/ws on `port`). */
  timePort: number | null;
  udpPort: number | null;
  close(): Promise<void>;
}

/** On the HTTP/2 ports `/` is the lecture's first exchange; the route list moves to `/routes`. */
export const H2_ROUTES: Record<string, string> = {
  '/': "302 with location: /posts (the lecture's exchange)",
  '/posts': 'an HTML page',
  '/routes': 'the list of every other route, which works here too',
};

export const ROUTES: Record<string, string> = {
  '/': 'this list',
  '/echo': 'any method: the request as received, as JSON (method, path, headers in order, body)',
  '/status/{code}': 'answers with that status code',
  '/redirect/{n}': 'redirects n times (302) and ends at /echo',
  '/redirect-to?url=U&status=S': 'one redirect to U with status S (default 302)',
  '/chunked?chunks=N&size=S': 'chunked body of N chunks of S bytes, with a trailer',
  '/gzip /deflate /br': 'JSON compressed with that coding',
  '/delay/{ms}': 'waits, then answers (max 60 s)',
  '/drip?bytes=N&delay=MS': 'sends N bytes one at a time, MS apart',
  '/bytes/{n}': 'n bytes of application/octet-stream, streamed (up to 4 GiB)',
  '/cookies': 'the cookies the client sent, as JSON',
  '/cookies/set?name=value': 'sets cookies, then shows them',
  '/json /html /xml /text /image.png': 'sample bodies of each kind',
  '/cache?max-age=N': 'a cacheable response with validators',
  '/headers/insecure': 'an HTML page missing the usual security headers',
};

/** A 32x32 RGBA PNG drawn at start-up (a blue ring), so the demo ships no binary files. */
function makePng(): Buffer {
  const size = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - 15.5, y - 15.5);
      const on = r > 9 && r < 14;
      row.set(on ? [0x89, 0xb4, 0xfa, 0xff] : [0, 0, 0, 0], 1 + x * 4);
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG = makePng();

function sendBody(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(buf.length), ...extra });
  res.end(buf);
}

function readBody(req: http.IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > limit) {
        req.destroy();
        reject(new Error('body too large'));
        return;
      }
      parts.push(d);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function headerPairs(req: http.IncomingMessage): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) out.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  return out;
}

const SAMPLE_JSON = { name: 'Wire Lens', kind: 'demo', items: [1, 2, 3], nested: { ok: true, nothing: null, pi: 3.14159 } };

const POSTS_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Posts</title></head>\n<body><h1>Posts</h1>\n<ul><li><a href="/posts/1">HTTP/2, frame by frame</a></li><li><a href="/posts/2">HPACK in one page</a></li></ul>\n</body></html>\n';

async function handle(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean, lecture = false): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const path = url.pathname;
  const q = url.searchParams;
  let m: RegExpExecArray | null;

  if (lecture) {
    if (path === '/') {
      res.writeHead(302, { location: '/posts', 'content-length': '0' });
      res.end();
      return;
    }
    if (path === '/posts') return sendBody(res, 200, 'text/html; charset=utf-8', POSTS_HTML, { 'cache-control': 'max-age=60' });
    if (path === '/routes') return sendBody(res, 200, 'application/json', JSON.stringify({ http2: H2_ROUTES, routes: ROUTES }, null, 2));
  }
  if (path === '/') return sendBody(res, 200, 'application/json', JSON.stringify({ routes: ROUTES }, null, 2));
  if (path === '/echo' || path.startsWith('/echo/')) {
    const body = await readBody(req);
    return sendBody(
      res,
      200,
      'application/json; charset=utf-8',
      JSON.stringify(
        {
          method: req.method,
          path: req.url,
          httpVersion: req.httpVersion,
          secure,
          headers: headerPairs(req),
          body: body.toString('utf8'),
          bodySize: body.length,
        },
        null,
        2,
      ),
    );
  }
  if ((m = /^\/status\/(\d{3})$/.exec(path))) {
    const code = Number(m[1]);
    const extra: Record<string, string> = {};
    if (code >= 300 && code < 400 && code !== 304) extra.Location = '/echo';
    if (code === 401) extra['WWW-Authenticate'] = 'Basic realm="demo"';
    if (code === 405) extra.Allow = 'GET, HEAD';
    if (code === 204 || code === 304) {
      res.writeHead(code, extra);
      res.end();
      return;
    }
    return sendBody(res, code, 'text/plain; charset=utf-8', `${code} ${http.STATUS_CODES[code] ?? ''}\n`, extra);
  }
  if ((m = /^\/redirect\/(\d+)$/.exec(path))) {
    const n = Math.min(Number(m[1]), 50);
    res.writeHead(302, { Location: n > 1 ? `/redirect/${n - 1}` : '/echo', 'Content-Length': '0' });
    res.end();
    return;
  }
  if (path === '/redirect-to') {
    const status = Number(q.get('status') ?? 302);
    res.writeHead(status, { Location: q.get('url') ?? '/echo', 'Content-Length': '0' });
    res.end();
    return;
  }
  if (path === '/chunked') {
    const chunks = Math.min(Number(q.get('chunks') ?? 5), 10_000);
    const size = Math.min(Number(q.get('size') ?? 16), 1 << 20);
    // HTTP/2 has no chunked coding (and forbids the header): DATA frames carry the pieces there.
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      ...(req.httpVersionMajor === 2 ? {} : { 'Transfer-Encoding': 'chunked' }),
      Trailer: 'X-Checksum',
    });
    for (let i = 0; i < chunks; i++) res.write(String.fromCharCode(97 + (i % 26)).repeat(size));
    res.addTrailers({ 'X-Checksum': `chunks=${chunks}` });
    res.end();
    return;
  }
  if (path === '/gzip' || path === '/deflate' || path === '/br') {
    const json = Buffer.from(JSON.stringify({ ...SAMPLE_JSON, coding: path.slice(1) }, null, 2));
    const body = path === '/gzip' ? zlib.gzipSync(json) : path === '/deflate' ? zlib.deflateSync(json) : zlib.brotliCompressSync(json);
    return sendBody(res, 200, 'application/json', body, { 'Content-Encoding': path.slice(1), Vary: 'Accept-Encoding' });
  }
  if ((m = /^\/delay\/(\d+)$/.exec(path))) {
    const ms = Math.min(Number(m[1]), 60_000);
    const timer = setTimeout(() => sendBody(res, 200, 'application/json', JSON.stringify({ delayed: ms })), ms);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (path === '/drip') {
    const total = Math.min(Number(q.get('bytes') ?? 10), 10_000);
    const delay = Math.min(Number(q.get('delay') ?? 100), 10_000);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(total) });
    let sent = 0;
    const timer = setInterval(() => {
      res.write('*');
      if (++sent >= total) {
        clearInterval(timer);
        res.end();
      }
    }, delay);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if ((m = /^\/bytes\/(\d+)$/.exec(path))) {
    const total = Math.min(Number(m[1]), 4 * 1024 ** 3);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(total) });
    const block = Buffer.alloc(64 * 1024, 0x61);
    let left = total;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!res.write(n === block.length ? block : block.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  if (path === '/cookies') return sendBody(res, 200, 'application/json', JSON.stringify({ cookies: req.headers.cookie ?? null }));
  if (path === '/cookies/set') {
    const cookies = [...q.entries()].map(([k, v]) => `${k}=${v}; Path=/; HttpOnly; SameSite=Lax`);
    res.setHeader('Set-Cookie', cookies);
    return sendBody(res, 200, 'application/json', JSON.stringify({ set: cookies }));
  }
  if (path === '/json') return sendBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(SAMPLE_JSON, null, 2));
  if (path === '/html') {
    return sendBody(
      res,
      200,
      'text/html; charset=utf-8',
      '<!doctype html><html><head><title>Demo</title></head><body><h1>Hello</h1><script>alert(1)</script></body></html>\n',
      {
        'Content-Security-Policy': "default-src 'self'",
        'X-Content-Type-Options': 'nosniff',
        'Strict-Transport-Security': 'max-age=63072000',
      },
    );
  }
  if (path === '/xml')
    return sendBody(res, 200, 'application/xml; charset=utf-8', '<?xml version="1.0"?><root><item id="1">one</item><item id="2">two</item></root>\n');
  if (path === '/text') return sendBody(res, 200, 'text/plain; charset=utf-8', 'plain text\nsecond line\n');
  if (path === '/image.png') return sendBody(res, 200, 'image/png', PNG, { 'Cache-Control': 'public, max-age=86400' });
  if (path === '/cache') {
    const maxAge = Number(q.get('max-age') ?? 60);
    return sendBody(res, 200, 'application/json', '{"cached":true}', {
      'Cache-Control': `public, max-age=${maxAge}`,
      ETag: '"v1"',
      'Last-Modified': new Date(0).toUTCString(),
      Date: new Date().toUTCString(),
    });
  }
  if (path === '/headers/insecure') {
    return sendBody(res, 200, 'text/html', '<html><body>no security headers here</body></html>', {
      'Set-Cookie': 'session=abc',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Credentials': 'true',
    });
  }
  return sendBody(res, 404, 'application/json', JSON.stringify({ error: 'no such route', path, routes: Object.keys(ROUTES) }));
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error('The demo origin listens on loopback only');
  const handler =
    (secure: boolean) =>
    (req: http.IncomingMessage, res: http.ServerResponse): void => {
      handle(req, res, secure).catch((e: unknown) => {
        if (!res.headersSent) sendBody(res, 500, 'text/plain', String(e));
        else res.destroy();
      });
    };
  const plain = http.createServer(handler(false));
  attachWebSocketEcho(plain);
  const port = await listen(plain, host, opts.port ?? 0);
  const time = opts.timePort === null ? null : await startTimeServer(host, opts.timePort ?? 0);
  const udp = opts.udpPort === null ? null : await startUdpEcho(host, opts.udpPort ?? 0);
  let tlsServer: https.Server | null = null;
  let tlsPort: number | null = null;
  let certificate: string | null = null;
  // One certificate for every TLS listener, so a client trusts them all with one CA.
  const wantsH2 = opts.h2Port !== null && opts.h2Port !== undefined;
  const cert = opts.tlsPort !== null || wantsH2 ? await makeSelfSigned() : null;
  if (cert) certificate = cert.cert;
  if (opts.tlsPort !== null && cert) {
    tlsServer = https.createServer({ key: cert.key, cert: cert.cert }, handler(true));
    tlsPort = await listen(tlsServer, host, opts.tlsPort ?? 0);
  }
  // HTTP/2: Node's http2 compatibility API hands the same handler request/response objects with the same surface.
  const h2Servers: (http2.Http2SecureServer | http2.Http2Server)[] = [];
  const h2Sessions = new Set<http2.Http2Session>();
  const h2Handler =
    (secure: boolean) =>
    (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void => {
      const r = req as unknown as http.IncomingMessage;
      const w = res as unknown as http.ServerResponse;
      handle(r, w, secure, true).catch((e: unknown) => {
        if (!res.headersSent) sendBody(w, 500, 'text/plain', String(e));
        else res.stream.close();
      });
    };
  const listenH2 = (server: http2.Http2SecureServer | http2.Http2Server, p: number): Promise<number> => {
    h2Servers.push(server);
    server.on('session', (sess: http2.Http2Session) => {
      h2Sessions.add(sess);
      sess.on('close', () => h2Sessions.delete(sess));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => resolve((server.address() as AddressInfo).port));
    });
  };
  let h2Port: number | null = null;
  let h2cPort: number | null = null;
  if (wantsH2 && cert)
    h2Port = await listenH2(http2.createSecureServer({ key: cert.key, cert: cert.cert, allowHTTP1: true }, h2Handler(true)), opts.h2Port ?? 0);
  if (opts.h2cPort !== null && opts.h2cPort !== undefined) h2cPort = await listenH2(http2.createServer(h2Handler(false)), opts.h2cPort);
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${h}:${port}`,
    tlsUrl: tlsPort === null ? null : `https://${h}:${tlsPort}`,
    port,
    tlsPort,
    certificate,
    h2Url: h2Port === null ? null : `https://${h}:${h2Port}`,
    h2cUrl: h2cPort === null ? null : `http://${h}:${h2cPort}`,
    timePort: time ? (time.address() as AddressInfo).port : null,
    udpPort: udp ? udp.address().port : null,
    async close() {
      const closeOne = (s: http.Server): Promise<void> =>
        new Promise((r) => {
          s.closeAllConnections();
          s.close(() => r());
        });
      for (const sess of h2Sessions) sess.destroy();
      await Promise.all([
        closeOne(plain),
        ...(tlsServer ? [closeOne(tlsServer)] : []),
        ...(time ? [new Promise<void>((r) => time.close(() => r()))] : []),
        ...(udp ? [new Promise<void>((r) => udp.close(() => r()))] : []),
        ...h2Servers.map((s) => new Promise<void>((r) => s.close(() => r()))),
      ]);
    },
  };
}

/** `node dist/demo-server.js [--port N] [--tls-port N] [--host H]` */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? process.env.WIRELENS_DEMO_PORT ?? 0);
  // The socket servers sit next to the HTTP ports (8765 → time 8767, UDP echo 8768) unless told otherwise.
  const near = (offset: number): number => (port ? port + offset : 0);
  const s = await startDemoServer({
    host: arg('--host') ?? '127.0.0.1',
    port,
    tlsPort: Number(arg('--tls-port') ?? process.env.WIRELENS_DEMO_TLS_PORT ?? 0),
    timePort: Number(arg('--time-port') ?? process.env.WIRELENS_DEMO_TIME_PORT ?? near(2)),
    udpPort: Number(arg('--udp-port') ?? process.env.WIRELENS_DEMO_UDP_PORT ?? near(3)),
    // HTTP/2 next to them: over TLS (ALPN) on 8769, h2c on 8770 by default.
    h2Port: Number(arg('--h2-port') ?? process.env.WIRELENS_DEMO_H2_PORT ?? near(4)),
    h2cPort: Number(arg('--h2c-port') ?? process.env.WIRELENS_DEMO_H2C_PORT ?? near(5)),
  });
  process.stdout.write(
    `${JSON.stringify({ url: s.url, tlsUrl: s.tlsUrl, timePort: s.timePort, udpPort: s.udpPort, h2Url: s.h2Url, h2cUrl: s.h2cUrl })}\n`,
  );
  const stop = (): void => {
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`demo server: ${String(e)}\n`);
    process.exit(1);
  });
}
