// The engine with a cookie jar, against a real node:http server on loopback: cookies set by one response go
// back with later requests and redirect hops, in the exact request bytes.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, send } from '../../../src/wire';
import type { Exchange } from '../../../src/shared/exchange';
import { closedPort, rawServer, request } from './servers';

interface Seen {
  url: string;
  cookie: string | undefined;
  cookieHeaders: number;
}

/** Routes: /set?… answers Set-Cookie from the query (one header per `c`), /login sets and redirects, else 200. */
async function cookieServer(host = '127.0.0.1'): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({
      url: req.url ?? '',
      cookie: req.headers.cookie,
      cookieHeaders: req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i].toLowerCase() === 'cookie').length,
    });
    if (url.pathname === '/set') {
      res.setHeader('Set-Cookie', url.searchParams.getAll('c'));
      res.end('set');
    } else if (url.pathname === '/login') {
      res.writeHead(302, { 'Set-Cookie': 'session=s3cr3t; Path=/; HttpOnly', Location: '/step' });
      res.end();
    } else if (url.pathname === '/step') {
      res.writeHead(303, { 'Set-Cookie': 'step=2; Path=/', Location: '/home' });
      res.end();
    } else if (url.pathname === '/away') {
      res.writeHead(302, { Location: url.searchParams.get('to') ?? '/' });
      res.end();
    } else {
      res.end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const rawHead = (ex: Exchange): string => Buffer.from(ex.request.rawBase64, 'base64').toString('latin1');
const set = (...cookies: string[]): string => `/set?${cookies.map((c) => `c=${encodeURIComponent(c)}`).join('&')}`;

describe('wire/engine: cookie jar', () => {
  let srv: Awaited<ReturnType<typeof cookieServer>>;
  beforeEach(async () => {
    srv = await cookieServer();
  });
  afterEach(async () => {
    await srv.close();
  });

  it('a cookie set by one response is sent with the next request, in the request bytes', async () => {
    const jar = new CookieJar();
    const first = await send(request(`${srv.url}${set('a=1', 'b=2; Path=/')}`), { cookieJar: jar });
    assert.equal(first.error, null);
    assert.ok(!/\r\ncookie:/i.test(rawHead(first)), 'nothing to send yet');
    assert.equal(jar.size, 2);
    const second = await send(request(`${srv.url}/next`), { cookieJar: jar });
    assert.equal(srv.seen[1].cookie, 'a=1; b=2');
    assert.match(rawHead(second), /\r\nCookie: a=1; b=2\r\n/);
    assert.deepEqual(
      second.request.headers.find(([n]) => n === 'Cookie'),
      ['Cookie', 'a=1; b=2'],
    );
  });

  it('without a jar nothing is stored or sent', async () => {
    await send(request(`${srv.url}${set('a=1')}`));
    await send(request(`${srv.url}/next`));
    assert.equal(srv.seen[1].cookie, undefined);
  });

  it('redirect hops see the cookies earlier hops set (login → redirect → redirect → page)', async () => {
    const jar = new CookieJar();
    const ex = await send(request(`${srv.url}/login`), { cookieJar: jar });
    assert.equal(ex.error, null);
    assert.equal(ex.response?.status, 200);
    assert.deepEqual(
      srv.seen.map((s) => [s.url, s.cookie]),
      [
        ['/login', undefined],
        ['/step', 'session=s3cr3t'],
        ['/home', 'session=s3cr3t; step=2'],
      ],
    );
    assert.match(rawHead(ex.redirects[1]), /\r\nCookie: session=s3cr3t\r\n/);
    assert.match(rawHead(ex), /\r\nCookie: session=s3cr3t; step=2\r\n/);
  });

  it("@no-cookie-jar: the request neither sends the jar's cookies nor stores its own", async () => {
    const jar = new CookieJar();
    await send(request(`${srv.url}${set('a=1')}`), { cookieJar: jar });
    const ex = await send(request(`${srv.url}${set('b=2')}`, { options: { noCookieJar: true } }), { cookieJar: jar });
    assert.equal(srv.seen[1].cookie, undefined);
    assert.ok(!/\r\ncookie:/i.test(rawHead(ex)));
    assert.deepEqual(
      jar.list().map((c) => c.name),
      ['a'],
    );
    const login = await send(request(`${srv.url}/login`, { options: { noCookieJar: true } }), { cookieJar: jar });
    assert.equal(login.response?.status, 200);
    assert.deepEqual(
      srv.seen.slice(2).map((s) => s.cookie),
      [undefined, undefined, undefined],
      'not across its redirects either',
    );
    assert.deepEqual(
      jar.list().map((c) => c.name),
      ['a'],
    );
  });

  it('a Cookie header the request writes is kept exactly as written, and the jar adds none', async () => {
    const jar = new CookieJar();
    await send(request(`${srv.url}${set('a=1')}`), { cookieJar: jar });
    const ex = await send(request(`${srv.url}/x`, { headers: [['cOOkie', 'mine=  1;x']] }), { cookieJar: jar });
    assert.equal(srv.seen[1].cookie, 'mine=  1;x');
    assert.equal(srv.seen[1].cookieHeaders, 1);
    assert.match(rawHead(ex), /\r\ncOOkie: mine= {2}1;x\r\n/);
    assert.ok(!rawHead(ex).includes('a=1'));
  });

  it("a cross-origin redirect drops the written Cookie header; the jar then supplies the new origin's cookies", async () => {
    const other = await cookieServer('::1');
    try {
      const jar = new CookieJar();
      await send(request(`${other.url}${set('v6=yes')}`), { cookieJar: jar });
      const ex = await send(request(`${srv.url}/away?to=${encodeURIComponent(`${other.url}/home`)}`, { headers: [['Cookie', 'mine=1']] }), {
        cookieJar: jar,
      });
      assert.equal(ex.error, null);
      assert.equal(srv.seen[0].cookie, 'mine=1');
      assert.equal(other.seen[1].cookie, 'v6=yes');
    } finally {
      await other.close();
    }
  });

  it('non-ASCII cookie bytes go back exactly as the server sent them; bytes that are not UTF-8 are dropped', async () => {
    const jar = new CookieJar();
    const raw = await rawServer((sock) => {
      sock.end(
        Buffer.concat([
          Buffer.from('HTTP/1.1 200 OK\r\nSet-Cookie: u='),
          Buffer.from('caf\u00e9', 'utf8'),
          Buffer.from('\r\nSet-Cookie: bad=\xff\xfe\r\nContent-Length: 0\r\n\r\n', 'latin1'),
        ]),
      );
    });
    try {
      await send(request(`${raw.url}/`), { cookieJar: jar });
    } finally {
      await raw.close();
    }
    const ex = await send(request(`${srv.url}/x`), { cookieJar: jar });
    assert.equal(ex.error, null);
    const head = Buffer.from(ex.request.rawBase64, 'base64');
    assert.ok(head.includes(Buffer.concat([Buffer.from('\r\nCookie: u='), Buffer.from('caf\u00e9', 'utf8'), Buffer.from('\r\n')])));
    assert.deepEqual(
      jar.list().map((c) => c.name),
      ['u'],
    );
  });

  it('a Secure cookie is not sent over http (nor accepted from it)', async () => {
    const jar = new CookieJar();
    // Stored as if from the https side of the same host, then a request over plain http.
    jar.storeFrom(new URL(`${srv.url.replace('http:', 'https:')}/`), ['sec=1; Secure', 'plain=1']);
    await send(request(`${srv.url}/x`), { cookieJar: jar });
    assert.equal(srv.seen[0].cookie, 'plain=1');
    await send(request(`${srv.url}${set('s2=1; Secure')}`), { cookieJar: jar });
    assert.deepEqual(
      jar
        .list()
        .map((c) => c.name)
        .sort(),
      ['plain', 'sec'],
    );
  });

  it('a cookie the server expires is deleted and no longer sent', async () => {
    const jar = new CookieJar();
    await send(request(`${srv.url}${set('a=1', 'b=2')}`), { cookieJar: jar });
    await send(request(`${srv.url}${set('a=gone; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')}`), { cookieJar: jar });
    assert.equal(srv.seen[1].cookie, 'a=1; b=2');
    assert.equal(jar.size, 0);
    await send(request(`${srv.url}/x`), { cookieJar: jar });
    assert.equal(srv.seen[2].cookie, undefined);
  });

  it('a failed hop without a complete head stores nothing and does not break the jar', async () => {
    const jar = new CookieJar();
    const ex = await send(request(`http://127.0.0.1:${await closedPort()}/`), { cookieJar: jar, timeoutMs: 5000 });
    assert.ok(ex.error);
    assert.equal(jar.size, 0);
  });
});
