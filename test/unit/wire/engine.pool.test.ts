// Keep-alive: the pool reuses a connection only when the response allows it, retries a stale one once for
// idempotent methods (both attempts kept), honours @new-connection, and resumes TLS sessions on new connections.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Exchange, Timings } from '../../../src/shared/exchange';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import { ConnectionPool, allowsReuse, originKey, send } from '../../../src/wire';
import { parseHttp } from '../../../src/language';
import { RunState, runRequests } from '../../../src/run';
import { rawServer, request, type TestServer } from './servers';

interface Counting {
  url: string;
  connections: number;
  close(): Promise<void>;
}

/** node:http (a server nobody here wrote), counting the connections it accepts. */
async function httpServer(handler: http.RequestListener, secure?: GeneratedCert): Promise<Counting> {
  const server = secure ? https.createServer({ key: secure.key, cert: secure.cert }, handler) : http.createServer(handler);
  const out = { url: '', connections: 0, close: async () => undefined } as Counting;
  const sockets = new Set<net.Socket>();
  server.on(secure ? 'secureConnection' : 'connection', (s: net.Socket) => {
    out.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  out.url = `${secure ? 'https://localhost' : 'http://127.0.0.1'}:${(server.address() as net.AddressInfo).port}`;
  out.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return out;
}

/** Answers the first request on a connection (keep-alive) and resets the connection on the second. */
async function staleServer(): Promise<Counting> {
  const out = { url: '', connections: 0, close: async () => undefined } as Counting;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    out.connections++;
    sockets.add(sock);
    let n = 0;
    sock.on('error', () => undefined);
    sock.on('data', (d) => {
      if (!d.includes('\r\n\r\n')) return;
      if (++n === 1) sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else sock.resetAndDestroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  out.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  out.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return out;
}

/**
 * node:https in a child process (it answers while this process is still busy, as a real server does), counting
 * the TLS connections it accepts; `connections()` asks it over stdin.
 */
async function childTlsServer(cert: GeneratedCert): Promise<{ url: string; connections(): Promise<number>; close(): void }> {
  const script = `
    const https = require('node:https');
    let n = 0;
    const s = https.createServer({ key: process.env.KEY, cert: process.env.CERT }, (req, res) => {
      req.resume();
      req.on('end', () => { res.setHeader('Content-Type', 'application/json'); res.end('{"ok":true}'); });
    });
    s.on('secureConnection', () => n++);
    s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.address().port + '\\n'));
    process.stdin.on('data', () => process.stdout.write('count ' + n + '\\n'));
    process.stdin.on('end', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, KEY: cert.key, CERT: cert.cert },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift() as string) : waiters.push(resolve)));
  const port = Number(/^port (\d+)$/.exec(await next())?.[1]);
  return {
    url: `https://localhost:${port}`,
    connections: async () => {
      child.stdin.write('?');
      return Number(/^count (\d+)$/.exec(await next())?.[1]);
    },
    close: () => child.stdin.end(),
  };
}

const hello: http.RequestListener = (_req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.end('hello');
};

describe('wire/engine: keep-alive pool', function () {
  this.timeout(30000);
  let pool: ConnectionPool;
  let srv: Counting | TestServer | undefined;
  beforeEach(() => {
    pool = new ConnectionPool({ idleMs: 10_000 });
  });
  afterEach(async () => {
    pool.close();
    await srv?.close();
    srv = undefined;
  });

  it('sends five requests over one connection and says which exchange opened it', async () => {
    const s = await httpServer(hello);
    srv = s;
    const exs: Exchange[] = [];
    for (let i = 0; i < 5; i++) exs.push(await send(request(`${s.url}/n${i}`), { pool }));
    assert.equal(s.connections, 1);
    for (const ex of exs) assert.equal(ex.error, null);
    const first = exs[0];
    assert.ok(first.id);
    assert.equal(first.connection?.reused, false);
    assert.equal(first.connection?.openedBy, first.id);
    assert.ok(first.timings.connect !== null);
    for (let i = 1; i < 5; i++) {
      const c = exs[i].connection ?? null;
      assert.equal(c?.reused, true);
      assert.equal(c?.openedBy, first.id);
      assert.equal(c?.requestsBefore, i);
      assert.equal(c?.localPort, first.connection?.localPort);
      const t: Timings = exs[i].timings;
      assert.equal(t.dns, null);
      assert.equal(t.connect, null);
      assert.equal(t.tls, null);
      assert.ok(t.send !== null && t.firstByte !== null && t.total !== null);
      assert.notEqual(exs[i].id, first.id);
    }
    assert.equal(pool.size, 1);
  });

  it('opens a new connection each time when the server closes after each response', async () => {
    const s = await rawServer((sock) => {
      sock.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    });
    srv = s;
    for (let i = 0; i < 3; i++) {
      const ex = await send(request(`${s.url}/`), { pool });
      assert.equal(ex.error, null);
      assert.equal(ex.connection?.reused, false);
    }
    assert.equal(s.connections, 3);
    assert.equal(pool.size, 0);
  });

  it('does not reuse after a close-delimited body, an HTTP/1.0 answer without keep-alive, or a Connection: close request', async () => {
    const answers = ['HTTP/1.1 200 OK\r\n\r\nuntil close', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'];
    let n = 0;
    const s = await rawServer((sock) => {
      sock.write(answers[n++ % answers.length]);
      if (n === 1) sock.end();
    });
    srv = s;
    await send(request(`${s.url}/`), { pool });
    await send(request(`${s.url}/`), { pool });
    assert.equal(pool.size, 0);
    const resp = {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [],
      trailers: [],
      interim: [],
      body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
      rawBase64: '',
    };
    assert.equal(allowsReuse('HTTP/1.1', [['Connection', 'close']], resp), false);
    assert.equal(allowsReuse('HTTP/1.1', [], resp), true);
    assert.equal(allowsReuse('HTTP/1.1', [], { ...resp, headers: [['connection', 'Close']] }), false);
    assert.equal(allowsReuse('HTTP/1.0', [], resp), false);
    assert.equal(
      allowsReuse('HTTP/1.0', [['Connection', 'keep-alive']], { ...resp, httpVersion: '1.0', headers: [['Connection', 'keep-alive']] }),
      true,
    );
    assert.equal(allowsReuse('HTTP/1.1', [], { ...resp, httpVersion: '1.0' }), false);
  });

  it('retries a stale pooled connection once on a new one for GET, and keeps both attempts', async () => {
    // The server answers the first request of each connection with keep-alive and drops the connection
    // without a word when a second request arrives on it: what a server that timed the connection out does.
    const s = await staleServer();
    srv = s;
    const first = await send(request(`${s.url}/a`), { pool });
    assert.equal(first.error, null);
    assert.equal(pool.size, 1);
    const second = await send(request(`${s.url}/b`), { pool });
    assert.equal(second.error, null, JSON.stringify(second.error));
    assert.equal(second.connection?.reused, false);
    assert.match(second.connection?.newReason ?? '', /retried once on a new one/);
    assert.equal(second.attempts?.length, 1);
    const stale = second.attempts?.[0];
    assert.equal(stale?.connection?.reused, true);
    assert.equal(stale?.connection?.openedBy, first.id);
    assert.ok(stale?.error);
    assert.equal(stale?.response, null);
    assert.equal(s.connections, 2);
  });

  it('does not retry a POST on a stale connection', async () => {
    const s = await staleServer();
    srv = s;
    await send(request(`${s.url}/a`), { pool });
    const post = await send(request(`${s.url}/b`, { method: 'POST', body: [{ kind: 'bytes', data: Buffer.from('x') }] }), { pool });
    assert.ok(post.error);
    assert.equal(post.connection?.reused, true);
    assert.equal(post.attempts, undefined);
    assert.equal(s.connections, 1);
  });

  it('# @new-connection opens a new connection although one is idle', async () => {
    const s = await httpServer(hello);
    srv = s;
    await send(request(`${s.url}/`), { pool });
    const ex = await send(request(`${s.url}/`, { options: { newConnection: true } }), { pool });
    assert.equal(ex.connection?.reused, false);
    assert.match(ex.connection?.newReason ?? '', /asked for/);
    assert.equal(s.connections, 2);
  });

  it('without a pool, or with idle time 0, every request opens its own connection', async () => {
    const s = await httpServer(hello);
    srv = s;
    await send(request(`${s.url}/`));
    await send(request(`${s.url}/`));
    const none = new ConnectionPool({ idleMs: 0 });
    await send(request(`${s.url}/`), { pool: none });
    await send(request(`${s.url}/`), { pool: none });
    assert.equal(s.connections, 4);
  });

  it('drops an idle connection the server closes, and opens a new one without an error', async () => {
    // The server's own keep-alive timeout ends idle sockets: the pool notices the close and forgets it.
    const s = await rawServer((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx');
      setTimeout(() => sock.end(), 50);
    });
    srv = s;
    await send(request(`${s.url}/`), { pool });
    for (let i = 0; i < 200 && pool.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(pool.size, 0);
    const ex = await send(request(`${s.url}/`), { pool });
    assert.equal(ex.error, null);
    assert.equal(ex.connection?.reused, false);
    assert.equal(ex.attempts, undefined);
  });

  it('closes connections whose idle time is over, one sweep for all, and hands out none past it', async () => {
    const s = await httpServer(hello);
    srv = s;
    const short = new ConnectionPool({ idleMs: 60 });
    try {
      await send(request(`${s.url}/`), { pool: short });
      await send(request(`${s.url}/`), { pool: short });
      assert.equal(s.connections, 1);
      assert.equal(short.size, 1);
      for (let i = 0; i < 200 && short.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(short.size, 0);
      const ex = await send(request(`${s.url}/`), { pool: short });
      assert.equal(ex.connection?.reused, false);
      assert.equal(s.connections, 2);
    } finally {
      short.close();
    }
  });

  it('origin keys: the same origin gives the same key; other roots, client certificate, proxy or flags give another', () => {
    const base = { protocol: 'https:', host: 'Example.TEST', port: 443, insecure: false };
    const roots = ['-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----'];
    const key = originKey({ ...base, ca: roots });
    // Computed once per set of roots and kept: asking again (same array or an equal copy) gives the same key.
    assert.equal(originKey({ ...base, ca: roots }), key);
    assert.equal(originKey({ ...base, ca: [...roots] }), key);
    assert.equal(originKey({ ...base, host: 'example.test', ca: roots }), key);
    const others = [
      originKey(base),
      originKey({ ...base, ca: ['-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----'] }),
      originKey({ ...base, ca: roots, clientCert: '{"cert":"x"}' }),
      originKey({ ...base, ca: roots, proxy: 'http://proxy.test:3128/' }),
      originKey({ ...base, ca: roots, proxy: 'http://other:pass@proxy.test:3128/' }),
      originKey({ ...base, ca: roots, insecure: true }),
      originKey({ ...base, ca: roots, port: 8443 }),
    ];
    assert.equal(new Set([key, ...others]).size, others.length + 1);
  });

  it('keeps connections per origin: another port or insecure flag is another connection', async () => {
    const a = await httpServer(hello);
    const b = await httpServer(hello);
    try {
      await send(request(`${a.url}/`), { pool });
      await send(request(`${b.url}/`), { pool });
      await send(request(`${a.url}/`), { pool });
      await send(request(`${b.url}/`), { pool });
      assert.equal(a.connections, 1);
      assert.equal(b.connections, 1);
      await send(request(`${a.url}/`), { pool, insecure: true });
      assert.equal(a.connections, 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  describe('TLS', () => {
    let cert: GeneratedCert;
    before(async () => {
      cert = await makeSelfSigned();
    });

    it('reuses a TLS connection (no handshake) and resumes the session on a new connection to the same origin', async () => {
      const s = await httpServer(hello, cert);
      srv = s;
      const a = await send(request(`${s.url}/`), { pool, ca: [cert.cert] });
      assert.equal(a.error, null);
      assert.equal(a.connection?.tls?.resumed, false);
      const b = await send(request(`${s.url}/`), { pool, ca: [cert.cert] });
      assert.equal(b.connection?.reused, true);
      assert.equal(b.timings.tls, null);
      assert.equal(b.connection?.tls?.protocol, a.connection?.tls?.protocol);
      // A new connection (forced) offers the session ticket of the first one.
      const c = await send(request(`${s.url}/`, { options: { newConnection: true } }), { pool, ca: [cert.cert] });
      assert.equal(c.error, null);
      assert.equal(c.connection?.reused, false);
      assert.equal(c.connection?.tls?.resumed, true);
      assert.ok(c.timings.tls !== null);
      assert.equal(s.connections, 2);
    });

    it('keeps the connection when the response completes before the last write callback: 8 requests, 1 connection', async () => {
      // Over TLS the write callback of the request's last bytes often runs after the whole response was read (a
      // server in another process answers at once); the request counts as sent once its last write is queued, so
      // the connection is kept. It once opened 4 connections for these 8 requests.
      const s = await childTlsServer(cert);
      try {
        const blocks: string[] = [];
        for (let i = 0; i < 8; i++)
          blocks.push(i % 2 ? `### r${i}\nPOST ${s.url}/r${i}\nContent-Type: application/json\n\n{"n":${i}}\n` : `### r${i}\nGET ${s.url}/r${i}\n`);
        const doc = parseHttp(blocks.join('\n'));
        const state = new RunState();
        const run = await runRequests({ doc, context: {}, state, engine: { pool, ca: [cert.cert] } });
        await state.dispose();
        assert.equal(run.results.length, 8);
        for (const r of run.results) assert.equal(r.exchange?.error, null);
        assert.deepEqual(
          run.results.map((r) => r.exchange?.connection?.reused),
          [false, true, true, true, true, true, true, true],
        );
        // Each exchange still has a send time (bounded by the first response byte when the callback came later).
        for (const r of run.results) assert.ok((r.exchange?.timings.send ?? -1) >= 0);
        // The same through the engine alone, bodies and all.
        for (let i = 0; i < 8; i++) {
          const ex = await send(request(`${s.url}/x`, { method: 'POST', body: [{ kind: 'bytes', data: Buffer.from('{"n":1}') }] }), {
            pool,
            ca: [cert.cert],
          });
          assert.equal(ex.error, null);
          assert.equal(ex.connection?.reused, true);
        }
        assert.equal(await s.connections(), 1);
      } finally {
        s.close();
      }
    });
  });
});
