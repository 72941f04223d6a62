// A server that answers a request before reading its body (413 Payload Too Large, 401) and closes: the exchange
// ends with that answer kept, or, when the close takes the answer with it (a reset while the body is still being
// written), with a typed error that says so and keeps the request. Never a crash, a hang or a reused connection.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { ConnectionPool, send } from '../../../src/wire';
import { request } from './servers';

const BODY = 16 * 1024 * 1024;

interface Early {
  url: string;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<Early> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const upload = (url: string): ReturnType<typeof request> =>
  request(`${url}/upload`, {
    method: 'POST',
    headers: [['Content-Type', 'application/octet-stream']],
    body: [{ kind: 'bytes', data: Buffer.alloc(BODY, 0x61) }],
  });

describe('wire/engine: a server that answers before reading the body', function () {
  this.timeout(60000);
  let srv: Early | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('node:http answering 413 at once and closing: the 413 is kept, or a typed error says what happened', async () => {
    srv = await listen(
      http.createServer((_req, res) => {
        res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
        res.end('too large');
      }),
    );
    const pool = new ConnectionPool({ idleMs: 10_000 });
    try {
      for (let i = 0; i < 6; i++) {
        const ex = await send(upload(srv.url), i % 2 ? { pool } : {});
        assert.ok(ex.request.rawBase64.length > 0, 'the request is in the record');
        if (ex.response) {
          assert.equal(ex.error, null);
          assert.equal(ex.response.status, 413);
          assert.equal(ex.response.body.text, 'too large');
        } else {
          assert.ok(ex.error && ['EPIPE', 'ECONNRESET'].includes(ex.error.code), `typed error, got ${JSON.stringify(ex.error)}`);
          assert.equal(ex.error.phase, 'send');
          assert.match(ex.error.message, /before the whole request was sent/);
        }
        // Never kept for another request: the body was not all sent and the server said close.
        assert.equal(pool.size, 0);
      }
    } finally {
      pool.close();
    }
  });

  it('a server that answers 413 after the head and half-closes: the answer is kept, the connection is not', async () => {
    srv = await listen(
      net.createServer((sock) => {
        sock.on('error', () => undefined);
        let head = '';
        const onData = (d: Buffer): void => {
          head += d.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          sock.off('data', onData);
          // Go on reading (and dropping) the body, so the close is a FIN, not a reset.
          sock.resume();
          sock.end('HTTP/1.1 413 Payload Too Large\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\ntoo large');
        };
        sock.on('data', onData);
      }),
    );
    const pool = new ConnectionPool({ idleMs: 10_000 });
    try {
      for (let i = 0; i < 3; i++) {
        const ex = await send(upload(srv.url), { pool });
        assert.equal(ex.error, null);
        assert.equal(ex.response?.status, 413);
        assert.equal(ex.response?.body.text, 'too large');
        assert.equal(ex.connection?.reused, false);
        assert.equal(pool.size, 0);
      }
    } finally {
      pool.close();
    }
  });

  it('a server that answers and resets the connection at once: the answer or a typed send error, never a crash', async () => {
    srv = await listen(
      net.createServer((sock) => {
        sock.on('error', () => undefined);
        sock.once('data', () => {
          sock.write('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno', () => sock.resetAndDestroy());
        });
      }),
    );
    for (let i = 0; i < 4; i++) {
      const ex = await send(upload(srv.url));
      if (ex.response) assert.equal(ex.response.status, 401);
      else {
        assert.ok(ex.error && ['EPIPE', 'ECONNRESET'].includes(ex.error.code), `typed error, got ${JSON.stringify(ex.error)}`);
        assert.match(ex.error.message, /before the whole request was sent/);
      }
    }
  });
});
