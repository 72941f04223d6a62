// RFC 9110 section 8.6: Content-Length: 0 on a POST, PUT or PATCH without a body (what arrives, and what the
// exchange records as sent); none on the other methods; never added next to a written Content-Length or
// Transfer-Encoding; a 303 after a bodyless POST continues as a GET without it.
import * as assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { send } from '../../../src/wire';
import { rawServer, request, type TestServer } from './servers';

const ok = (sock: Socket): void => {
  sock.end('HTTP/1.1 204 No Content\r\n\r\n');
};

describe('wire/engine: Content-Length on a bodyless request', () => {
  let srv: TestServer;
  afterEach(async () => {
    await srv?.close();
  });

  for (const [method, zero] of [
    ['POST', true],
    ['PUT', true],
    ['PATCH', true],
    ['GET', false],
    ['HEAD', false],
    ['DELETE', false],
    ['OPTIONS', false],
  ] as const)
    it(`${method} without a body ${zero ? 'carries Content-Length: 0' : 'carries no Content-Length'}`, async () => {
      srv = await rawServer(ok);
      const ex = await send(request(`${srv.url}/x`, { method }));
      assert.equal(ex.error, null);
      const arrived = srv.requests[0].head;
      assert.equal(/\r\nContent-Length: 0(\r\n|$)/.test(arrived), zero, arrived);
      // The request as sent (panel, CLI, history) shows the same header and the same bytes.
      assert.equal(
        ex.request.headers.some(([n, v]) => n === 'Content-Length' && v === '0'),
        zero,
      );
      const raw = Buffer.from(ex.request.rawBase64, 'base64').toString('latin1');
      assert.equal(raw.includes('\r\nContent-Length: 0\r\n'), zero, raw);
    });

  it('keeps a Content-Length the file wrote and adds none next to Transfer-Encoding', async () => {
    srv = await rawServer(ok);
    await send(request(`${srv.url}/a`, { method: 'POST', headers: [['content-length', '0']] }));
    await send(
      request(`${srv.url}/b`, {
        method: 'PUT',
        headers: [['Transfer-Encoding', 'chunked']],
        body: [{ kind: 'bytes', data: Buffer.from('0\r\n\r\n') }],
      }),
    );
    assert.equal(srv.requests[0].head.match(/content-length/gi)?.length, 1, srv.requests[0].head);
    assert.doesNotMatch(srv.requests[1].head, /content-length/i);
  });

  it('a 303 after a bodyless POST continues as a GET without Content-Length', async () => {
    srv = await rawServer((sock, r) =>
      r.head.startsWith('POST') ? sock.end('HTTP/1.1 303 See Other\r\nLocation: /end\r\nContent-Length: 0\r\n\r\n') : ok(sock),
    );
    const ex = await send(request(`${srv.url}/start`, { method: 'POST' }));
    assert.equal(ex.error, null);
    assert.match(srv.requests[0].head, /\r\nContent-Length: 0/);
    assert.match(srv.requests[1].head, /^GET \/end /);
    assert.doesNotMatch(srv.requests[1].head, /content-length/i);
  });
});
