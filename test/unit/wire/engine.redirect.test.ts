// Redirects: each hop recorded, the limit, method changes, relative Location, credentials across origins.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { send } from '../../../src/wire';
import { rawServer, request, type Received, type TestServer } from './servers';
import type { Socket } from 'node:net';

const redirect =
  (status: number, location: string) =>
  (sock: Socket): void => {
    sock.end(`HTTP/1.1 ${status} Moved\r\nLocation: ${location}\r\nContent-Length: 3\r\n\r\nbye`);
  };
const final = (sock: Socket, r: Received): void => {
  const body = JSON.stringify({ line: r.head.split('\r\n')[0], body: r.body.toString() });
  sock.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
};

describe('wire/engine: redirects', () => {
  let a: TestServer;
  let b: TestServer | undefined;
  afterEach(async () => {
    await a?.close();
    await b?.close();
    b = undefined;
  });

  for (const host of ['127.0.0.1', '::1'])
    it(`follows a chain, each hop a full exchange, relative Location resolved (${host})`, async () => {
      a = await rawServer((sock, r) => {
        const path = r.head.split(' ')[1];
        if (path === '/one') redirect(302, '/two?x=1')(sock);
        else if (path === '/two?x=1') redirect(301, 'three')(sock);
        else final(sock, r);
      }, host);
      const ex = await send(request(`${a.url}/one`));
      assert.equal(ex.error, null);
      assert.equal(ex.response?.status, 200);
      assert.equal(ex.request.url, `${a.url}/three`);
      assert.deepEqual(
        ex.redirects.map((h) => [h.response?.status, h.request.url]),
        [
          [302, `${a.url}/one`],
          [301, `${a.url}/two?x=1`],
        ],
      );
      assert.equal(ex.redirects[0].response?.body.size, 3);
      assert.deepEqual(ex.redirects[0].redirects, []);
    });

  for (const [status, method, expectMethod, keepsBody] of [
    [303, 'POST', 'GET', false],
    [303, 'PUT', 'GET', false],
    [301, 'POST', 'GET', false],
    [302, 'POST', 'GET', false],
    [307, 'POST', 'POST', true],
    [308, 'PUT', 'PUT', true],
    [302, 'DELETE', 'DELETE', false],
  ] as const) {
    it(`${status} after ${method} continues with ${expectMethod}`, async () => {
      a = await rawServer((sock, r) => (r.head.startsWith(`${method} /start`) ? redirect(status, '/end')(sock) : final(sock, r)));
      const ex = await send(
        request(`${a.url}/start`, {
          method,
          headers: [['Content-Type', 'text/plain']],
          body: method === 'DELETE' ? null : [{ kind: 'bytes', data: Buffer.from('payload') }],
        }),
      );
      assert.equal(ex.error, null);
      const seen = JSON.parse(ex.response?.body.text ?? '{}') as { line: string; body: string };
      assert.equal(seen.line, `${expectMethod} /end HTTP/1.1`);
      assert.equal(seen.body, keepsBody ? 'payload' : '');
      const second = a.requests[1].head.toLowerCase();
      assert.equal(second.includes('content-type'), expectMethod === method);
    });
  }

  it('drops Authorization and Cookie when the origin changes, keeps them on the same origin', async () => {
    b = await rawServer(final);
    const other = `http://localhost:${b.port}/landing`;
    a = await rawServer((sock, r) =>
      r.head.startsWith('GET /same') ? redirect(302, '/cross')(sock) : r.head.startsWith('GET /cross') ? redirect(302, other)(sock) : final(sock, r),
    );
    const ex = await send(
      request(`${a.url}/same`, {
        headers: [
          ['Authorization', 'Bearer secret'],
          ['Cookie', 'c=1'],
          ['X-Keep', 'yes'],
        ],
      }),
    );
    assert.equal(ex.error, null);
    assert.match(a.requests[1].head, /Authorization: Bearer secret/);
    const crossed = b.requests[0].head;
    assert.doesNotMatch(crossed, /Authorization|Cookie/i);
    assert.match(crossed, /X-Keep: yes/);
    assert.match(crossed, new RegExp(`Host: localhost:${b.port}`));
  });

  it('with a body sink only the final body goes to it, past the in-memory limit; hop bodies stay in memory', async () => {
    const big = 'q'.repeat(50_000);
    a = await rawServer((sock, r) =>
      r.head.startsWith('GET /start')
        ? sock.end('HTTP/1.1 302 Found\r\nLocation: /end\r\nContent-Length: 5\r\n\r\nhop!!')
        : sock.end(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n${big}`),
    );
    const file = path.join(os.tmpdir(), `wl-sink-${process.pid}.out`);
    const fd = fs.openSync(file, 'w');
    try {
      const ex = await send(request(`${a.url}/start`), { bodySink: { fd }, maxBodyBytes: 1000 });
      fs.closeSync(fd);
      assert.equal(ex.error, null);
      assert.equal(fs.readFileSync(file, 'utf8'), big);
      assert.equal(ex.response?.body.size, big.length);
      assert.equal(Buffer.from(ex.redirects[0].response?.body.base64 ?? '', 'base64').toString(), 'hop!!');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('stops at the limit with WL_TOO_MANY_REDIRECTS', async () => {
    a = await rawServer(redirect(302, '/again'));
    const ex = await send(request(`${a.url}/`), { maxRedirects: 3 });
    assert.equal(ex.error?.code, 'WL_TOO_MANY_REDIRECTS');
    assert.equal(ex.error?.phase, 'redirect');
    assert.equal(ex.redirects.length, 3);
    assert.equal(ex.response?.status, 302);
    assert.equal(a.requests.length, 4);
  });

  it('does not follow with followRedirects false or # @no-redirect', async () => {
    a = await rawServer(redirect(302, '/elsewhere'));
    for (const ex of [
      await send(request(`${a.url}/`), { followRedirects: false }),
      await send(request(`${a.url}/`, { options: { followRedirects: false } })),
    ]) {
      assert.equal(ex.error, null);
      assert.equal(ex.response?.status, 302);
      assert.equal(ex.redirects.length, 0);
    }
    assert.equal(a.requests.length, 2);
  });

  it('a Location with an unsupported scheme is WL_BAD_REDIRECT', async () => {
    a = await rawServer(redirect(302, 'ftp://example.test/file'));
    const ex = await send(request(`${a.url}/`));
    assert.equal(ex.error?.code, 'WL_BAD_REDIRECT');
    assert.equal(ex.response?.status, 302);
  });
});
