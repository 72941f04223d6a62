// --max-time / # @max-time / wirelens.maxTimeMs: one deadline for the whole exchange. Drips of body, chunks and
// trailers that each stay inside the idle timeout still end at it, typed WL_MAX_TIME, the partial kept.
import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import { send } from '../../../src/wire';
import { parseHttp, resolveRequest } from '../../../src/language';
import { rawServer, request, type TestServer } from './servers';

/** Writes the pieces one every `ms` until the socket closes (the drip never ends on its own). */
function drip(sock: net.Socket, head: string, piece: () => string, ms: number): void {
  sock.write(head);
  const t = setInterval(() => {
    if (sock.destroyed) clearInterval(t);
    else sock.write(piece());
  }, ms);
  sock.on('close', () => clearInterval(t));
}

describe('wire/engine: --max-time', function () {
  this.timeout(20000);
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('a body that drips forever ends at the deadline with WL_MAX_TIME and the body so far', async () => {
    srv = await rawServer((sock) => drip(sock, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n', () => 'x', 20));
    const ex = await send(request(`${srv.url}/`), { maxTimeMs: 600, timeoutMs: 5000 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.equal(ex.error?.phase, 'body');
    assert.match(ex.error?.message ?? '', /maximum time of 600 ms/);
    assert.ok((ex.response?.body.size ?? 0) > 0, 'the partial body is kept');
    assert.equal(ex.response?.status, 200);
  });

  it('chunks that drip end at the deadline', async () => {
    srv = await rawServer((sock) =>
      drip(sock, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n', () => '1\r\ny\r\n', 20),
    );
    const ex = await send(request(`${srv.url}/`), { maxTimeMs: 500 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.ok((ex.response?.body.text ?? '').startsWith('y'));
    assert.ok((ex.response?.chunks?.length ?? 0) > 0);
  });

  it('trailers that drip end at the deadline, the trailers so far kept', async () => {
    let n = 0;
    srv = await rawServer((sock) =>
      drip(sock, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n', () => `X-T${n++}: v\r\n`, 20),
    );
    const ex = await send(request(`${srv.url}/`), { maxTimeMs: 500 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.ok((ex.response?.trailers.length ?? 0) > 0);
  });

  it('a gzip body cut by the deadline keeps what was decodable', async () => {
    const zlib = await import('node:zlib');
    const gz = zlib.gzipSync(Buffer.from('decodable '.repeat(10000)));
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`);
      sock.write(gz.subarray(0, gz.length - 20));
    });
    const ex = await send(request(`${srv.url}/`), { maxTimeMs: 500 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.ok((ex.response?.body.text ?? '').startsWith('decodable decodable'), `kept ${ex.response?.body.size}`);
  });

  it('covers the redirect chain: hops that are each fast still end at the one deadline', async () => {
    srv = await rawServer((sock, r) => {
      const n = Number(/^GET \/(\d+)/.exec(r.head)?.[1] ?? 0);
      setTimeout(() => sock.end(`HTTP/1.1 302 Found\r\nLocation: /${n + 1}\r\nContent-Length: 0\r\n\r\n`), 150);
    });
    const ex = await send(request(`${srv.url}/0`), { maxTimeMs: 700, maxRedirects: 50 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.ok(ex.redirects.length >= 2 && ex.redirects.length < 10, `${ex.redirects.length} hops`);
  });

  it('# @max-time on the request wins over the option; default is no deadline', async () => {
    srv = await rawServer((sock) => {
      setTimeout(() => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 400);
    });
    const doc = parseHttp(`# @max-time 100ms\nGET ${srv.url}/\n`);
    const { request: req } = await resolveRequest(doc, doc.requests[0], { filePath: '/tmp/x.http' });
    assert.equal(req?.options.maxTimeMs, 100);
    const ex = await send(req ?? request(''), { maxTimeMs: 60_000 });
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.equal(ex.error?.phase, 'wait');
    const fine = await send(request(`${srv.url}/`));
    assert.equal(fine.error, null);
  });

  it('a user cancel is still a cancel', async () => {
    srv = await rawServer(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const ex = await send(request(`${srv.url}/`), { maxTimeMs: 10_000, signal: ac.signal });
    assert.equal(ex.error?.code, 'cancelled');
  });
});
