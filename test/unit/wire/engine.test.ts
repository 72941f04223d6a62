// The engine against real loopback servers: request bytes, response framing, connection facts, timings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { send } from '../../../src/wire';
import { rawServer, reply, request, type TestServer } from './servers';

const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}\r\n${body}`;

describe('wire/engine: request bytes and response', () => {
  let srv: TestServer;
  afterEach(async () => {
    await srv?.close();
  });

  it('writes the request exactly: origin form, headers in order and case, missing ones added', async () => {
    srv = await rawServer(reply(ok('hi')));
    const ex = await send(
      request(`${srv.url}/a/b?x=1&y=%20`, {
        method: 'POST',
        headers: [
          ['x-lower', 'v1'],
          ['X-UPPER', 'v2'],
          ['content-type', 'text/plain'],
        ],
        body: [{ kind: 'bytes', data: Buffer.from('hello') }],
      }),
      { userAgent: 'test-agent/1' },
    );
    assert.equal(ex.error, null);
    const expected = `POST /a/b?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nx-lower: v1\r\nX-UPPER: v2\r\ncontent-type: text/plain\r\nUser-Agent: test-agent/1\r\nContent-Length: 5\r\n\r\nhello`;
    assert.equal(srv.requests[0].raw.toString('latin1'), expected);
    assert.equal(Buffer.from(ex.request.rawBase64, 'base64').toString('latin1'), expected);
    assert.equal(ex.request.bodySize, 5);
    assert.equal(ex.request.headSize, expected.length - 5, 'the record says where the head ends');
    assert.deepEqual(
      ex.request.headers.map(([n]) => n),
      ['Host', 'x-lower', 'X-UPPER', 'content-type', 'User-Agent', 'Content-Length'],
    );
  });

  it('adds nothing that was written: Host, User-Agent and Content-Length as given', async () => {
    srv = await rawServer(reply(ok('')));
    const ex = await send(
      request(`${srv.url}/`, {
        method: 'PUT',
        headers: [
          ['content-length', '3'],
          ['user-agent', 'mine'],
          ['host', 'example.test'],
        ],
        body: [{ kind: 'bytes', data: Buffer.from('abc') }],
      }),
    );
    assert.equal(ex.error, null);
    assert.equal(srv.requests[0].raw.toString(), 'PUT / HTTP/1.1\r\ncontent-length: 3\r\nuser-agent: mine\r\nhost: example.test\r\n\r\nabc');
  });

  it('refuses CR/LF smuggled into a header value, before connecting', async () => {
    srv = await rawServer(reply(ok('')));
    const ex = await send(request(`${srv.url}/`, { headers: [['X-A', 'a\r\nEvil: 1']] }));
    assert.equal(ex.error?.code, 'WL_INVALID_REQUEST');
    assert.equal(srv.connections, 0);
  });

  it('streams a large file body without loading it whole', async function () {
    this.timeout(30000);
    const file = path.join(os.tmpdir(), `wl-body-${process.pid}.bin`);
    const size = 8 * 1024 * 1024 + 7;
    const block = Buffer.alloc(1024 * 1024, 0x61);
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < 8; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, Buffer.from('tail!!!'));
    fs.closeSync(fd);
    try {
      srv = await rawServer((sock, r) => sock.end(ok(String(r.body.length), 'Content-Type: text/plain\r\n')));
      const ex = await send(
        request(`${srv.url}/upload`, {
          method: 'POST',
          body: [
            { kind: 'bytes', data: Buffer.from('head:') },
            { kind: 'file', path: file },
          ],
        }),
      );
      assert.equal(ex.error, null);
      assert.equal(ex.response?.body.text, String(size + 5));
      assert.equal(srv.requests[0].body.subarray(-7).toString(), 'tail!!!');
      assert.equal(ex.request.bodySize, size + 5);
      assert.equal(ex.request.rawTruncated, true);
      assert.ok(Buffer.from(ex.request.rawBase64, 'base64').length <= 1024 * 1024);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('keeps a large body read in many pieces intact in memory (reads reuse one buffer)', async () => {
    const payload = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 10)) & 0xff;
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${payload.length}\r\n\r\n`);
      let off = 0;
      const pump = (): void => {
        while (off < payload.length) {
          const part = payload.subarray(off, off + 70_000);
          off += part.length;
          if (!sock.write(part)) {
            sock.once('drain', pump);
            return;
          }
        }
        sock.end();
      };
      pump();
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').equals(payload));
    const raw = Buffer.from(ex.response?.rawBase64 ?? '', 'base64');
    // The raw record keeps the first MiB of the body as received (over many reads of the shared buffer).
    assert.ok(raw.subarray(ex.response?.headSize).equals(payload.subarray(0, 1024 * 1024)));
  });

  it('turns credentials in the URL into Basic authorization, unless one is written', async () => {
    srv = await rawServer(reply(ok('')));
    const url = `http://us%40er:p%3Ass@127.0.0.1:${srv.port}/`;
    await send(request(url));
    assert.match(srv.requests[0].head, new RegExp(`Authorization: Basic ${Buffer.from('us@er:p:ss').toString('base64')}`));
    await send(request(url, { headers: [['Authorization', 'Bearer x']] }));
    assert.doesNotMatch(srv.requests[1].head, /Basic/);
  });

  it('a response the server sends before reading the request is still parsed', async () => {
    const net = await import('node:net');
    // Answers on connect, without waiting for the request (resume() so it sees the client's close).
    const early = net.createServer((sock) => {
      sock.on('error', () => undefined);
      sock.resume();
      sock.end(ok('early'));
    });
    await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
    try {
      const port = (early.address() as import('node:net').AddressInfo).port;
      const ex = await send(request(`http://127.0.0.1:${port}/`));
      assert.equal(ex.response?.status, 200);
      assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(), 'early');
    } finally {
      await new Promise<void>((resolve) => early.close(() => resolve()));
    }
  });

  it('a missing body file is a typed error', async () => {
    srv = await rawServer(reply(ok('')));
    const ex = await send(request(`${srv.url}/`, { method: 'POST', body: [{ kind: 'file', path: '/nonexistent/wl-body' }] }));
    assert.equal(ex.error?.code, 'WL_BODY_FILE');
  });

  for (const host of ['127.0.0.1', '::1']) {
    it(`connects over ${host.includes(':') ? 'IPv6' : 'IPv4'} and records the socket facts, no DNS for a literal`, async () => {
      srv = await rawServer(reply(ok('x')), host);
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null);
      const c = ex.connection;
      assert.ok(c);
      assert.equal(c.remoteAddress, host);
      assert.equal(c.remotePort, srv.port);
      assert.equal(c.family, host.includes(':') ? 'IPv6' : 'IPv4');
      assert.equal(c.localAddress, host);
      assert.ok((c.localPort ?? 0) > 0);
      assert.equal(c.tls, null);
      assert.equal(ex.timings.dns, null);
      assert.equal(ex.timings.tls, null);
      assert.match(srv.requests[0].head, new RegExp(`\\r\\nHost: ${host.includes(':') ? '\\[::1\\]' : host}:${srv.port}`));
    });
  }

  it('looks up localhost (all addresses) and falls back to the one that listens', async () => {
    srv = await rawServer(reply(ok('x')), '127.0.0.1');
    const ex = await send(request(`http://localhost:${srv.port}/`));
    assert.equal(ex.error, null);
    assert.ok(ex.connection?.resolvedAddresses?.includes('127.0.0.1'));
    assert.equal(ex.connection?.remoteAddress, '127.0.0.1');
    assert.equal(typeof ex.timings.dns, 'number');
    assert.match(srv.requests[0].head, new RegExp(`Host: localhost:${srv.port}`));
  });

  it('timings are present, non-negative and add up to no more than the total', async () => {
    srv = await rawServer((sock) => {
      setTimeout(() => sock.end(ok('slow')), 20);
    });
    const ex = await send(request(`http://localhost:${srv.port}/`));
    const t = ex.timings;
    for (const k of ['dns', 'connect', 'send', 'firstByte', 'download', 'total'] as const) {
      assert.equal(typeof t[k], 'number', k);
      assert.ok((t[k] ?? -1) >= 0, k);
    }
    const sum = (t.dns ?? 0) + (t.connect ?? 0) + (t.send ?? 0) + (t.firstByte ?? 0) + (t.download ?? 0);
    assert.ok(sum <= (t.total ?? 0) + 1, `${sum} > ${t.total}`);
    assert.ok((t.firstByte ?? 0) >= 15, 'the server waited 20 ms before answering');
  });

  it('keeps headers as received: case, order, duplicates; parses trailers and chunk marks', async () => {
    const body =
      'HTTP/1.1 200 OK\r\nset-cookie: a=1\r\nX-Y: 1\r\nSet-Cookie: b=2\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 9\r\n\r\n';
    srv = await rawServer(reply(body, false));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    const r = ex.response;
    assert.ok(r);
    assert.deepEqual(r.headers, [
      ['set-cookie', 'a=1'],
      ['X-Y', '1'],
      ['Set-Cookie', 'b=2'],
      ['Transfer-Encoding', 'chunked'],
    ]);
    assert.deepEqual(r.trailers, [['X-Sum', '9']]);
    assert.equal(r.body.text, null, 'no content type: not shown as text');
    assert.equal(Buffer.from(r.body.base64, 'base64').toString(), 'hello world');
    assert.equal(r.body.wireSize, 11);
    assert.equal(Buffer.from(r.rawBase64, 'base64').toString('latin1'), body);
    assert.equal(r.headSize, body.indexOf('\r\n\r\n') + 4);
    assert.deepEqual(
      r.chunks?.map((c) => c.size),
      [5, 6, 0],
    );
    assert.equal(body.slice(r.chunks?.[1].offset, (r.chunks?.[1].offset ?? 0) + 3), '6\r\n');
  });

  it('records 100 and 103 interim responses and skips to the final one', async () => {
    srv = await rawServer(reply('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n' + ok('done')));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.status, 200);
    assert.deepEqual(ex.response?.interim, [
      { status: 100, reason: 'Continue', headers: [] },
      { status: 103, reason: 'Early Hints', headers: [['Link', '</s.css>; rel=preload']] },
    ]);
  });

  it('HEAD, 204 and 304 end without a body even with a Content-Length', async () => {
    for (const [method, status] of [
      ['HEAD', 200],
      ['GET', 204],
      ['GET', 304],
    ] as const) {
      srv = await rawServer(reply(`HTTP/1.1 ${status} X\r\nContent-Length: 100\r\n\r\n`, false));
      const ex = await send(request(`${srv.url}/`, { method }));
      assert.equal(ex.error, null, `${method} ${status}`);
      assert.equal(ex.response?.body.size, 0);
      await srv.close();
    }
  });

  it('reads until close when there is no framing, and keeps an empty reason', async () => {
    srv = await rawServer(reply('HTTP/1.0 200 \r\nContent-Type: text/plain\r\n\r\nuntil the end'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.reason, '');
    assert.equal(ex.response?.httpVersion, '1.0');
    assert.equal(ex.response?.body.text, 'until the end');
  });

  it('notes bytes sent past the announced Content-Length, keeps the body as framed and the excess in the raw bytes', async () => {
    srv = await rawServer(reply('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nmore than three'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.body.text, 'mor');
    const note = ex.notes.find((n) => n.id === 'wire-extra-bytes');
    assert.ok(note, JSON.stringify(ex.notes));
    assert.match(note.summary, /^12 bytes arrived after the end of the message/);
    assert.match(Buffer.from(ex.response?.rawBase64 ?? '', 'base64').toString('latin1'), /\r\n\r\nmore than three$/);
  });

  it('keeps the head and the first MiB of a large body as received, the decoded body whole', async () => {
    const size = 3 * 1024 * 1024;
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`);
      sock.end(Buffer.alloc(size, 0x7a));
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    const r = ex.response;
    assert.ok(r);
    assert.equal(r.body.size, size);
    assert.equal(Buffer.from(r.body.base64, 'base64').length, size);
    assert.equal(Buffer.from(r.rawBase64, 'base64').length, (r.headSize ?? 0) + 1024 * 1024);
    assert.equal(r.rawTruncated, true);
    assert.equal(r.receivedBytes, (r.headSize ?? 0) + size);
  });

  it('keeps the whole raw response when it is small', async () => {
    srv = await rawServer(reply('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.response?.rawTruncated, undefined);
    assert.match(Buffer.from(ex.response?.rawBase64 ?? '', 'base64').toString('latin1'), /\r\n\r\nok$/);
  });

  it('tolerates obs-fold and bare LF with notes', async () => {
    srv = await rawServer(reply('HTTP/1.1 200 OK\nX-F: a\n b\nContent-Length: 1\n\nz'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.deepEqual(ex.response?.headers[0], ['X-F', 'a b']);
    const ids = ex.notes.map((n) => n.id);
    assert.ok(ids.includes('wire-obs-fold'));
    assert.ok(ids.includes('wire-bare-lf'));
    assert.equal(ex.notes.find((n) => n.id === 'wire-obs-fold')?.subject, 'header:0');
  });
});
