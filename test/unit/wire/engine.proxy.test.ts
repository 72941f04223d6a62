// Proxies: which one a request takes (settings, environment, metadata, curl's NO_PROXY rules), and the wire
// through real proxies nobody here wrote (Debian's tinyproxy and squid), a TLS front (an https:// proxy) and a
// SOCKS5 server: forward form, CONNECT tunnels kept as the first leg, 407 explained, refusals, masking.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import type { Exchange } from '../../../src/shared/exchange';
import { ConnectionPool, noProxyMatches, proxyFor, send } from '../../../src/wire';
import { closedPort, request } from './servers';
import { ensureProxyTools, socksServer, startSquid, startTinyproxy, tlsFront, type RunningProxy } from './proxies';

interface Target {
  url: string;
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function target(cert?: GeneratedCert): Promise<Target> {
  const seen: Target['seen'] = [];
  const handler: http.RequestListener = (req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.setHeader('Content-Type', 'text/plain');
    res.end(`hello ${req.url}`);
  };
  const server = cert ? https.createServer({ key: cert.key, cert: cert.cert }, handler) : http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${cert ? 'https://localhost' : 'http://127.0.0.1'}:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const head = (b64: string): string => Buffer.from(b64, 'base64').toString('latin1').split('\r\n\r\n')[0];

describe('wire/proxy: choosing a proxy', () => {
  it("follows curl's NO_PROXY rules: suffixes, leading dots, *, ports, IPs and CIDR", () => {
    assert.equal(noProxyMatches('example.com', 'example.com', 80), true);
    assert.equal(noProxyMatches('example.com', 'www.example.com', 80), true);
    assert.equal(noProxyMatches('.example.com', 'www.example.com', 80), true);
    assert.equal(noProxyMatches('.example.com', 'example.com', 80), true);
    assert.equal(noProxyMatches('example.com', 'myexample.com', 80), false);
    assert.equal(noProxyMatches('EXAMPLE.com', 'Api.Example.COM', 80), true);
    assert.equal(noProxyMatches('*', 'anything.test', 443), true);
    assert.equal(noProxyMatches('a.test, b.test', 'b.test', 443), true);
    assert.equal(noProxyMatches('a.test b.test', 'b.test', 443), true);
    assert.equal(noProxyMatches('a.test:8080', 'a.test', 8080), true);
    assert.equal(noProxyMatches('a.test:8080', 'a.test', 80), false);
    assert.equal(noProxyMatches('127.0.0.1', '127.0.0.1', 80), true);
    assert.equal(noProxyMatches('127.0.0.1', '127.0.0.2', 80), false);
    assert.equal(noProxyMatches('10.0.0.0/8', '10.20.30.40', 80), true);
    assert.equal(noProxyMatches('10.0.0.0/8', '11.0.0.1', 80), false);
    assert.equal(noProxyMatches('::1', '[::1]', 80), true);
    assert.equal(noProxyMatches('[::1]:8443', '::1', 8443), true);
    assert.equal(noProxyMatches('fd00::/8', 'fd12::1', 80), true);
    assert.equal(noProxyMatches('10.0.0.0/8', 'ten.example', 80), false);
    assert.equal(noProxyMatches(['a.test', '.b.test'], 'x.b.test', 80), true);
    assert.equal(noProxyMatches('', 'a.test', 80), false);
  });

  it('takes # @no-proxy, then # @proxy, then settings, then HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (either case)', () => {
    const https = new URL('https://api.test/');
    const plain = new URL('http://api.test/');
    assert.equal(proxyFor(https, undefined), null);
    assert.equal(proxyFor(https, { env: {} }), null);
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://p:1' } })?.url.port, '1');
    assert.equal(proxyFor(https, { env: { https_proxy: 'p2:2' } })?.url.href, 'http://p2:2/');
    assert.equal(proxyFor(https, { env: { HTTP_PROXY: 'http://p:1' } }), null, 'HTTP_PROXY is for http:// targets');
    assert.equal(proxyFor(plain, { env: { HTTP_PROXY: 'http://p:1' } })?.source, 'HTTP_PROXY');
    assert.equal(proxyFor(plain, { env: { http_proxy: 'http://p:1' } })?.source, 'http_proxy');
    assert.equal(proxyFor(plain, { env: { ALL_PROXY: 'socks5h://s:1080' } })?.kind, 'socks5h');
    assert.equal(proxyFor(plain, { env: { all_proxy: 'socks5://s' } })?.port, 1080);
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.test' } }), null);
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://p:1', no_proxy: 'other.test' } })?.host, 'p');
    const settings = { url: 'http://s:3128', env: { HTTPS_PROXY: 'http://p:1' }, source: 'http.proxy' };
    assert.equal(proxyFor(https, settings)?.host, 's');
    assert.equal(proxyFor(https, { ...settings, noProxy: ['api.test'] }), null);
    // The noProxy list replaces NO_PROXY.
    assert.equal(proxyFor(https, { ...settings, noProxy: ['x.test'], env: { NO_PROXY: '*' } })?.host, 's');
    assert.equal(proxyFor(https, settings, { noProxy: true }), null);
    assert.equal(proxyFor(https, { ...settings, noProxy: ['*'] }, { proxy: 'socks5://r:9' })?.host, 'r', '# @proxy wins over noProxy');
    const withAuth = proxyFor(https, { url: 'http://al%40ice:p%3Ass@s:3128' });
    assert.equal(withAuth?.authorization, `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
    assert.equal(withAuth?.masked, 'http://al%40ice:****@s:3128');
    assert.throws(() => proxyFor(https, { url: 'ftp://x:21' }), /not supported/);
  });
});

describe('wire/proxy: through real proxies', function () {
  this.timeout(60000);
  let cert: GeneratedCert;
  let plain: Target;
  let secure: Target;
  const stop: (() => Promise<void>)[] = [];
  before(async () => {
    ensureProxyTools();
    cert = await makeSelfSigned();
    plain = await target();
    secure = await target(cert);
  });
  after(async () => {
    await plain?.close();
    await secure?.close();
  });
  afterEach(async () => {
    for (const s of stop.splice(0)) await s();
  });
  const started = async <T extends RunningProxy>(p: Promise<T>): Promise<T> => {
    const x = await p;
    stop.push(() => x.close());
    return x;
  };

  describe('tinyproxy', () => {
    it('sends an http:// target to the proxy in absolute form and says so', async () => {
      const tp = await started(startTinyproxy());
      const ex = await send(request(`${plain.url}/fwd?q=1`), { proxy: { url: tp.url, source: '--proxy' } });
      assert.equal(ex.error, null, tp.log());
      assert.equal(ex.response?.status, 200);
      assert.equal(ex.response?.body.text, 'hello /fwd?q=1');
      assert.match(head(ex.request.rawBase64), new RegExp(`^GET ${plain.url}/fwd\\?q=1 HTTP/1.1\r\n`));
      const p = ex.connection?.proxy;
      assert.equal(p?.mode, 'forward');
      assert.equal(p?.kind, 'http');
      assert.equal(p?.port, tp.port);
      assert.equal(p?.source, '--proxy');
      assert.equal(p?.target, `127.0.0.1:${new URL(plain.url).port}`);
      assert.equal(ex.connection?.remotePort, tp.port, 'the socket is the one to the proxy');
      assert.equal(ex.tunnel, undefined);
      assert.equal(plain.seen.at(-1)?.url, '/fwd?q=1', 'the proxy forwarded it in origin form');
    });

    it('tunnels an https:// target through CONNECT, keeping the CONNECT exchange as the first leg', async () => {
      const tp = await started(startTinyproxy());
      const ex = await send(request(`${secure.url}/secret`), { proxy: { url: tp.url }, ca: [cert.cert] });
      assert.equal(ex.error, null, `${JSON.stringify(ex.error)}\n${tp.log()}`);
      assert.equal(ex.response?.body.text, 'hello /secret');
      assert.equal(ex.connection?.proxy?.mode, 'tunnel');
      assert.equal(ex.connection?.tls?.servername, 'localhost');
      const leg = ex.tunnel as Exchange;
      assert.ok(leg, 'tunnel leg kept');
      assert.equal(leg.request.method, 'CONNECT');
      assert.match(head(leg.request.rawBase64), new RegExp(`^CONNECT localhost:${new URL(secure.url).port} HTTP/1.1\r\nHost: localhost:`));
      assert.equal(leg.response?.status, 200);
      assert.match(head(leg.response?.rawBase64 ?? ''), /^HTTP\/1\.[01] 200/);
      assert.ok(leg.timings.connect !== null && leg.timings.total !== null && leg.timings.firstByte !== null);
      assert.equal(leg.connection?.remotePort, tp.port);
      // The request inside the tunnel is in origin form.
      assert.match(head(ex.request.rawBase64), /^GET \/secret HTTP\/1.1\r\n/);
    });

    it('explains a 407 (no credentials), sends Basic credentials from the proxy URL and masks them', async () => {
      const tp = await started(startTinyproxy({ auth: ['alice', 's3cret'] }));
      const noCreds = await send(request(`${plain.url}/a`), { proxy: { url: tp.url } });
      assert.equal(noCreds.response?.status, 407);
      const note = noCreds.notes.find((n) => n.id === 'proxy-auth-required');
      assert.ok(note, 'a 407 is explained');
      assert.match(note.detail, /USER:PASSWORD@/);
      const tunnel = await send(request(`${secure.url}/a`), { proxy: { url: tp.url }, ca: [cert.cert] });
      assert.equal(tunnel.error?.code, 'WL_PROXY_AUTH');
      assert.equal(tunnel.tunnel?.response?.status, 407);
      assert.ok(tunnel.notes.some((n) => n.id === 'proxy-auth-required'));
      const ok = await send(request(`${plain.url}/b`), { proxy: { url: `http://alice:s3cret@127.0.0.1:${tp.port}` } });
      assert.equal(ok.response?.status, 200, tp.log());
      const sent = head(ok.request.rawBase64);
      assert.match(sent, /\r\nProxy-Authorization: Basic \*+(\r\n|$)/);
      assert.ok(!sent.includes(Buffer.from('alice:s3cret').toString('base64')), 'credentials masked in the record');
      assert.equal(ok.connection?.proxy?.url, `http://alice:****@127.0.0.1:${tp.port}`);
      assert.ok(!JSON.stringify(ok).includes('s3cret'));
      const okTunnel = await send(request(`${secure.url}/c`), { proxy: { url: `http://alice:s3cret@127.0.0.1:${tp.port}` }, ca: [cert.cert] });
      assert.equal(okTunnel.error, null, JSON.stringify(okTunnel.error));
      assert.ok(!JSON.stringify(okTunnel).includes(Buffer.from('alice:s3cret').toString('base64')));
    });

    it('a CONNECT the proxy refuses ends in WL_PROXY_CONNECT with its answer kept', async () => {
      const tp = await started(startTinyproxy({ connectPorts: [443] }));
      const ex = await send(request(`${secure.url}/`), { proxy: { url: tp.url }, ca: [cert.cert] });
      assert.equal(ex.error?.code, 'WL_PROXY_CONNECT');
      assert.equal(ex.error?.phase, 'connect');
      assert.ok((ex.tunnel?.response?.status ?? 0) >= 400, JSON.stringify(ex.tunnel?.response?.status));
      assert.equal(ex.response, null);
    });

    it('reaches the proxy through TLS when it is an https:// proxy', async () => {
      const tp = await started(startTinyproxy());
      const front = await started(tlsFront(tp.port, cert.key, cert.cert));
      const ex = await send(request(`${secure.url}/via-tls`), { proxy: { url: front.url }, ca: [cert.cert] });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.connection?.proxy?.kind, 'https');
      assert.equal(ex.tunnel?.response?.status, 200);
      assert.ok(ex.tunnel?.timings.tls !== null);
      const fwd = await send(request(`${plain.url}/fwd-tls`), { proxy: { url: front.url }, ca: [cert.cert] });
      assert.equal(fwd.response?.body.text, 'hello /fwd-tls');
      // Without trusting its certificate the proxy is refused, unless proxyStrictSSL is off.
      const strict = await send(request(`${plain.url}/`), { proxy: { url: front.url } });
      assert.equal(strict.error?.phase, 'connect');
      assert.match(strict.error?.message ?? '', /proxyStrictSSL/);
      const lax = await send(request(`${plain.url}/lax`), { proxy: { url: front.url, strictSSL: false } });
      assert.equal(lax.error, null);
    });

    it('reuses a CONNECT tunnel from the pool (no second CONNECT); a direct connection is another origin', async () => {
      const tp = await started(startTinyproxy());
      const pool = new ConnectionPool({ idleMs: 10_000 });
      try {
        const a = await send(request(`${secure.url}/1`), { proxy: { url: tp.url }, ca: [cert.cert], pool });
        const b = await send(request(`${secure.url}/2`), { proxy: { url: tp.url }, ca: [cert.cert], pool });
        assert.equal(a.error, null);
        assert.equal(b.error, null);
        assert.equal(b.connection?.reused, true, 'the tunnel is reused');
        assert.equal(b.tunnel, undefined, 'no second CONNECT');
        assert.equal(b.connection?.proxy?.mode, 'tunnel');
        // Directly, the same target is another origin: a new connection.
        const direct = await send(request(`${secure.url}/3`), { ca: [cert.cert], pool });
        assert.equal(direct.connection?.reused, false);
        assert.equal(direct.connection?.proxy, undefined);
      } finally {
        pool.close();
      }
    });

    it('NO_PROXY in the environment sends matching hosts directly', async () => {
      const tp = await started(startTinyproxy());
      const env = { HTTP_PROXY: tp.url, NO_PROXY: '127.0.0.0/8' };
      const direct = await send(request(`${plain.url}/direct`), { proxy: { env } });
      assert.equal(direct.error, null);
      assert.equal(direct.connection?.proxy, undefined);
      assert.match(head(direct.request.rawBase64), /^GET \/direct /);
      const viaEnv = await send(request(`${plain.url}/env`), { proxy: { env: { HTTP_PROXY: tp.url, NO_PROXY: 'elsewhere.test' } } });
      assert.equal(viaEnv.connection?.proxy?.source, 'HTTP_PROXY');
      assert.equal(viaEnv.response?.status, 200);
      const meta = await send(request(`${plain.url}/meta`, { options: { proxy: tp.url } }), {});
      assert.equal(meta.connection?.proxy?.source, '# @proxy');
      const off = await send(request(`${plain.url}/off`, { options: { noProxy: true } }), { proxy: { url: tp.url } });
      assert.equal(off.connection?.proxy, undefined);
    });
  });

  it('a proxy that refuses the connection ends in ECONNREFUSED naming the proxy', async () => {
    const port = await closedPort();
    const ex = await send(request(`${plain.url}/`), { proxy: { url: `http://127.0.0.1:${port}`, source: '--proxy' } });
    assert.equal(ex.error?.code, 'ECONNREFUSED');
    assert.match(ex.error?.message ?? '', /Proxy http:\/\/127\.0\.0\.1:\d+ \(--proxy\)/);
    assert.equal(ex.connection?.proxy?.mode, 'forward');
  });

  it('squid (when it starts within 10 s): forward and CONNECT', async () => {
    const sq = await started(startSquid(10_000));
    const fwd = await send(request(`${plain.url}/squid`), { proxy: { url: sq.url } });
    assert.equal(fwd.error, null, sq.log());
    assert.equal(fwd.response?.body.text, 'hello /squid');
    assert.ok(
      fwd.response?.headers.some(([n]) => n.toLowerCase() === 'via'),
      'squid adds Via',
    );
    const tun = await send(request(`${secure.url}/squid-tls`), { proxy: { url: sq.url }, ca: [cert.cert] });
    assert.equal(tun.error, null, `${JSON.stringify(tun.error)}\n${sq.log()}`);
    assert.equal(tun.tunnel?.response?.status, 200);
    assert.equal(tun.response?.body.text, 'hello /squid-tls');
  });

  describe('SOCKS5', () => {
    it('socks5h:// sends the name for the proxy to resolve; socks5:// resolves it here', async () => {
      const s = await started(socksServer());
      const h = await send(request(`${secure.url}/h`), { proxy: { url: `socks5h://127.0.0.1:${s.port}` }, ca: [cert.cert] });
      assert.equal(h.error, null, JSON.stringify(h.error));
      assert.equal(h.response?.body.text, 'hello /h');
      assert.equal(s.requests[0].atyp, 0x03);
      assert.equal(s.requests[0].host, 'localhost');
      assert.equal(h.connection?.proxy?.mode, 'socks');
      assert.match(h.connection?.proxy?.bound ?? '', /^127\.0\.0\.1:\d+$/);
      const local = await send(request(`${secure.url}/l`), { proxy: { url: `socks5://127.0.0.1:${s.port}` }, ca: [cert.cert] });
      assert.equal(local.error, null, JSON.stringify(local.error));
      assert.equal(s.requests[1].atyp, 0x01);
      assert.equal(s.requests[1].host, '127.0.0.1');
      const plainViaSocks = await send(request(`${plain.url}/p`), { proxy: { url: `socks5://127.0.0.1:${s.port}` } });
      assert.equal(plainViaSocks.response?.body.text, 'hello /p');
      assert.match(head(plainViaSocks.request.rawBase64), /^GET \/p HTTP/, 'origin form through SOCKS');
    });

    it('authenticates with user:password (RFC 1929), and reports a refusal and a failed connect', async () => {
      const s = await started(socksServer(['bob', 'pw']));
      const ok = await send(request(`${plain.url}/auth`), { proxy: { url: `socks5h://bob:pw@127.0.0.1:${s.port}` } });
      assert.equal(ok.error, null, JSON.stringify(ok.error));
      assert.equal(s.requests[0].user, 'bob');
      assert.equal(ok.connection?.proxy?.url, `socks5h://bob:****@127.0.0.1:${s.port}`);
      const none = await send(request(`${plain.url}/`), { proxy: { url: `socks5h://127.0.0.1:${s.port}` } });
      assert.equal(none.error?.code, 'WL_SOCKS');
      assert.match(none.error?.message ?? '', /requires authentication/);
      const wrong = await send(request(`${plain.url}/`), { proxy: { url: `socks5h://bob:nope@127.0.0.1:${s.port}` } });
      assert.equal(wrong.error?.code, 'WL_SOCKS');
      assert.match(wrong.error?.message ?? '', /rejected the user name or password/);
      const port = await closedPort();
      const refused = await send(request(`http://127.0.0.1:${port}/`), { proxy: { url: `socks5://bob:pw@127.0.0.1:${s.port}` } });
      assert.equal(refused.error?.code, 'WL_SOCKS');
      assert.match(refused.error?.message ?? '', /connection refused/);
    });
  });
});
