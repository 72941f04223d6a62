// The cookie jar against RFC 6265, section 5: each storage and retrieval rule, the accepting and the refusing side.
import * as assert from 'node:assert/strict';
import { CookieJar, defaultPath, domainMatches, parseCookieDate, pathMatches } from '../../../src/wire/cookieJar';

const u = (s: string): URL => new URL(s);
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function jarWith(url: string, ...setCookies: string[]): CookieJar {
  const jar = new CookieJar();
  jar.storeFrom(u(url), setCookies, NOW);
  return jar;
}

describe('wire/cookieJar', () => {
  describe('parsing Set-Cookie', () => {
    it('stores name=value and trims whitespace; ignores values without "=" or with an empty name', () => {
      const jar = new CookieJar();
      const rejected = jar.storeFrom(u('http://a.test/'), ['  sid = abc ; Path=/', 'novalue', '=x', 'ok='], NOW);
      assert.deepEqual(
        jar.list(NOW).map((c) => [c.name, c.value]),
        [
          ['sid', 'abc'],
          ['ok', ''],
        ],
      );
      assert.equal(rejected.length, 2);
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW), 'sid=abc; ok=');
    });

    it('refuses control characters in the name or value', () => {
      const jar = jarWith('http://a.test/', 'a=b\x01c', 'b=ok');
      assert.deepEqual(
        jar.list(NOW).map((c) => c.name),
        ['b'],
      );
    });

    it('the last of a repeated attribute wins, unknown attributes are ignored', () => {
      const jar = jarWith('http://a.test/x/y', 'a=1; Path=/x; Path=/; Foo=bar; HttpOnly; SameSite=Lax');
      const [c] = jar.list(NOW);
      assert.equal(c.path, '/');
      assert.equal(c.httpOnly, true);
      assert.equal(c.sameSite, 'Lax');
    });
  });

  describe('dates', () => {
    it('reads the IMF, RFC 850, asctime and Netscape forms', () => {
      const t = Date.UTC(2015, 9, 21, 7, 28, 0);
      assert.equal(parseCookieDate('Wed, 21 Oct 2015 07:28:00 GMT'), t);
      assert.equal(parseCookieDate('Wednesday, 21-Oct-15 07:28:00 GMT'), t);
      assert.equal(parseCookieDate('Wed Oct 21 07:28:00 2015'), t);
      assert.equal(parseCookieDate('Wed, 21-Oct-2015 07:28:00 GMT'), t);
      assert.equal(parseCookieDate('21 Oct 1970 00:00:00'), Date.UTC(1970, 9, 21));
    });

    it('refuses what is not a date', () => {
      for (const bad of [
        '',
        'tomorrow',
        'Wed, 31 Feb 2015 07:28:00 GMT',
        'Wed, 21 Oct 2015 25:00:00 GMT',
        'Wed, 21 Oct 1500 07:28:00 GMT',
        'Wed, 21 Oct 2015',
      ]) {
        assert.equal(parseCookieDate(bad), null, bad);
      }
    });
  });

  describe('expiry', () => {
    it('Max-Age wins over Expires', () => {
      const jar = jarWith(
        'http://a.test/',
        'a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=60',
        'b=1; Max-Age=60; Expires=Wed, 21 Oct 2099 07:28:00 GMT',
      );
      const [a, b] = jar.list(NOW);
      assert.equal(a.expires, NOW + 60_000);
      assert.equal(b.expires, NOW + 60_000);
    });

    it('a cookie is sent until it expires, then forgotten', () => {
      const jar = jarWith('http://a.test/', 'a=1; Max-Age=10', 'b=2; Expires=Thu, 15 Jan 2026 12:00:05 GMT', 'c=3');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW + 4_000), 'a=1; b=2; c=3');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW + 5_000), 'a=1; c=3');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW + 10_000), 'c=3');
      assert.equal(jar.list(NOW + 10_000).length, 1);
      assert.equal(jar.list(NOW + 10_000)[0].expires, null, 'without Max-Age/Expires: a session cookie');
    });

    it('Max-Age<=0 and a past Expires delete the stored cookie and store nothing', () => {
      const jar = jarWith('http://a.test/', 'a=1', 'b=2', 'c=3');
      jar.storeFrom(u('http://a.test/'), ['a=; Max-Age=0', 'b=x; Max-Age=-5', 'c=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'd=4; Max-Age=0'], NOW);
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW), null);
      assert.equal(jar.size, 0);
    });

    it('a malformed Max-Age or Expires is ignored (session cookie)', () => {
      const jar = jarWith('http://a.test/', 'a=1; Max-Age=soon; Expires=never');
      assert.equal(jar.list(NOW)[0].expires, null);
    });
  });

  describe('domain', () => {
    it('without Domain the cookie is host-only: not sent to subdomains or parents', () => {
      const jar = jarWith('http://www.example.test/', 'a=1');
      assert.equal(jar.list(NOW)[0].hostOnly, true);
      assert.equal(jar.cookieHeaderFor(u('http://www.example.test/'), NOW), 'a=1');
      assert.equal(jar.cookieHeaderFor(u('http://sub.www.example.test/'), NOW), null);
      assert.equal(jar.cookieHeaderFor(u('http://example.test/'), NOW), null);
    });

    it('Domain (leading dot dropped, case ignored) covers the domain and its subdomains', () => {
      const jar = jarWith('http://www.Example.test/', 'a=1; Domain=.EXAMPLE.test');
      const [c] = jar.list(NOW);
      assert.equal(c.domain, 'example.test');
      assert.equal(c.hostOnly, false);
      assert.equal(jar.cookieHeaderFor(u('http://example.test/'), NOW), 'a=1');
      assert.equal(jar.cookieHeaderFor(u('http://api.example.test/'), NOW), 'a=1');
      assert.equal(jar.cookieHeaderFor(u('http://notexample.test/'), NOW), null);
      assert.equal(jar.cookieHeaderFor(u('http://example.test.evil/'), NOW), null);
    });

    it('refuses a Domain that does not domain-match the host', () => {
      const jar = new CookieJar();
      const rej = jar.storeFrom(
        u('http://www.example.test/'),
        ['a=1; Domain=other.test', 'b=1; Domain=sub.www.example.test', 'c=1; Domain=ample.test'],
        NOW,
      );
      assert.equal(rej.length, 3);
      assert.equal(jar.size, 0);
    });

    it('refuses public suffixes as Domain (single labels, common multi-label ones) unless it is the host itself', () => {
      const jar = new CookieJar();
      assert.equal(jar.storeFrom(u('http://www.example.com/'), ['a=1; Domain=com'], NOW).length, 1);
      assert.equal(jar.storeFrom(u('http://shop.example.co.uk/'), ['a=1; Domain=co.uk'], NOW).length, 1);
      assert.equal(jar.size, 0);
      assert.equal(jar.storeFrom(u('http://shop.example.co.uk/'), ['a=1; Domain=example.co.uk'], NOW).length, 0);
      assert.equal(jar.storeFrom(u('http://localhost:8080/'), ['b=1; Domain=localhost'], NOW).length, 0);
      const b = jar.list(NOW).find((c) => c.name === 'b');
      assert.equal(b?.hostOnly, true, 'the host itself as Domain: kept, host-only');
    });

    it('IP hosts: cookies are host-only, and a Domain naming another address or a suffix is refused', () => {
      const jar = new CookieJar();
      assert.equal(jar.storeFrom(u('http://127.0.0.1:9/'), ['a=1; Domain=127.0.0.1', 'b=2'], NOW).length, 0);
      assert.ok(jar.list(NOW).every((c) => c.hostOnly && c.domain === '127.0.0.1'));
      assert.equal(jar.storeFrom(u('http://127.0.0.1:9/'), ['c=1; Domain=0.0.1', 'd=1; Domain=127.0.0.2'], NOW).length, 2);
      assert.equal(jar.cookieHeaderFor(u('http://127.0.0.1:1234/'), NOW), 'a=1; b=2', 'cookies ignore the port');
      assert.equal(jar.cookieHeaderFor(u('http://127.0.0.2/'), NOW), null);
      jar.storeFrom(u('http://[::1]:9/'), ['v6=1'], NOW);
      assert.equal(jar.cookieHeaderFor(u('http://[::1]:10/'), NOW), 'v6=1');
      assert.equal(domainMatches('10.0.0.1', '0.0.1'), false, 'an IP address has no parent domains');
      assert.equal(domainMatches('a.b.test', 'b.test'), true);
    });
  });

  describe('path', () => {
    it('default-path is the directory of the request path', () => {
      assert.equal(defaultPath(''), '/');
      assert.equal(defaultPath('/'), '/');
      assert.equal(defaultPath('/login'), '/');
      assert.equal(defaultPath('/api/v1/login'), '/api/v1');
      assert.equal(defaultPath('/api/'), '/api');
      const jar = jarWith('http://a.test/api/login', 'a=1', 'b=1; Path=relative');
      assert.deepEqual(
        jar.list(NOW).map((c) => c.path),
        ['/api', '/api'],
      );
    });

    it('path-match: equal, or a prefix ending at "/" or followed by "/"', () => {
      assert.ok(pathMatches('/api', '/api'));
      assert.ok(pathMatches('/api/x', '/api'));
      assert.ok(pathMatches('/api/x', '/api/'));
      assert.ok(pathMatches('/anything', '/'));
      assert.ok(!pathMatches('/apix', '/api'));
      assert.ok(!pathMatches('/ap', '/api'));
      assert.ok(!pathMatches('/', '/api'));
      const jar = jarWith('http://a.test/', 'a=1; Path=/api');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/api/users?x=1'), NOW), 'a=1');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/apiary'), NOW), null);
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW), null);
    });
  });

  describe('Secure', () => {
    it('is sent over https only', () => {
      const jar = jarWith('https://a.test/', 's=1; Secure', 'p=2');
      assert.equal(jar.cookieHeaderFor(u('https://a.test/'), NOW), 's=1; p=2');
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW), 'p=2');
    });

    it('plain http can neither set a Secure cookie nor overwrite one', () => {
      const jar = new CookieJar();
      assert.equal(jar.storeFrom(u('http://a.test/'), ['s=1; Secure'], NOW).length, 1);
      jar.storeFrom(u('https://a.test/'), ['s=1; Secure'], NOW);
      assert.equal(jar.storeFrom(u('http://a.test/'), ['s=evil'], NOW).length, 1);
      assert.equal(jar.cookieHeaderFor(u('https://a.test/'), NOW), 's=1');
      assert.equal(jar.storeFrom(u('https://a.test/'), ['s=2; Secure'], NOW).length, 0, 'https may replace it');
      assert.equal(jar.cookieHeaderFor(u('https://a.test/'), NOW), 's=2');
    });
  });

  describe('replacement and order', () => {
    it('a cookie of the same name, domain and path replaces the old one and keeps its creation time', () => {
      const jar = jarWith('http://a.test/', 'a=1', 'b=1');
      jar.storeFrom(u('http://a.test/'), ['a=2'], NOW + 1000);
      const list = jar.list(NOW + 1000);
      assert.deepEqual(
        list.map((c) => [c.name, c.value, c.created]),
        [
          ['a', '2', NOW],
          ['b', '1', NOW],
        ],
      );
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW + 1000), 'a=2; b=1');
    });

    it('same name with another path or domain is a separate cookie', () => {
      const jar = jarWith('http://www.a.test/x/y', 'a=root; Path=/', 'a=deep; Path=/x', 'a=dom; Domain=a.test');
      assert.equal(jar.size, 3);
    });

    it('Cookie header: longer paths first, then earlier creation', () => {
      const jar = new CookieJar();
      jar.storeFrom(u('http://a.test/'), ['late=1; Path=/'], NOW + 2);
      jar.storeFrom(u('http://a.test/'), ['deep=1; Path=/a/b'], NOW + 3);
      jar.storeFrom(u('http://a.test/'), ['mid=1; Path=/a'], NOW + 1);
      jar.storeFrom(u('http://a.test/'), ['early=1; Path=/'], NOW);
      assert.equal(jar.cookieHeaderFor(u('http://a.test/a/b/c'), NOW + 5), 'deep=1; mid=1; early=1; late=1');
      // Same creation millisecond: arrival order.
      const j2 = jarWith('http://a.test/', 'z=1', 'y=1', 'x=1');
      assert.equal(j2.cookieHeaderFor(u('http://a.test/'), NOW), 'z=1; y=1; x=1');
    });
  });

  describe('limits', () => {
    it('drops a cookie whose name and value exceed 4096 bytes; keeps one at the limit', () => {
      const jar = new CookieJar();
      const rej = jar.storeFrom(u('http://a.test/'), [`a=${'x'.repeat(4096)}`, `b=${'x'.repeat(4095)}`, `c=${'é'.repeat(2048)}`], NOW);
      assert.deepEqual(
        rej.map((r) => r.setCookie[0]),
        ['a', 'c'],
        'bytes, not characters',
      );
      assert.deepEqual(
        jar.list(NOW).map((c) => c.name),
        ['b'],
      );
    });

    it('keeps at most 50 per domain, dropping the least recently used', () => {
      const jar = new CookieJar();
      jar.storeFrom(u('http://a.test/'), ['keep=1; Path=/k'], NOW);
      for (let i = 0; i < 60; i++) {
        jar.storeFrom(u('http://a.test/'), [`c${i}=1; Path=/c`], NOW + 10 + i);
        if (i === 30) assert.equal(jar.cookieHeaderFor(u('http://a.test/k'), NOW + 10 + i), 'keep=1'); // keep is used
      }
      jar.storeFrom(u('http://b.test/'), ['other=1'], NOW + 100);
      const names = jar.list(NOW + 100).map((c) => c.name);
      assert.equal(names.filter((n) => n !== 'other').length, 50);
      for (const n of ['keep', 'other', 'c11', 'c59']) assert.ok(names.includes(n), n);
      for (const n of ['c0', 'c10']) assert.ok(!names.includes(n), n);
    });

    it('keeps at most the total, across domains', () => {
      const jar = new CookieJar({ total: 10, perDomain: 5 });
      for (let d = 0; d < 4; d++) jar.storeFrom(u(`http://d${d}.test/`), ['a=1', 'b=1', 'c=1', 'd=1'], NOW + d);
      assert.equal(jar.size, 10);
      assert.equal(jar.cookieHeaderFor(u('http://d3.test/'), NOW + 9), 'a=1; b=1; c=1; d=1');
      assert.equal(jar.cookieHeaderFor(u('http://d0.test/'), NOW + 9), null, 'the oldest domain went first');
    });

    it('a flood of Set-Cookie values from a hostile server stays within the limits', () => {
      const jar = new CookieJar();
      jar.storeFrom(
        u('http://a.test/'),
        Array.from({ length: 5000 }, (_, i) => `f${i}=${i}`),
        NOW,
      );
      assert.equal(jar.size, 50);
      assert.ok(
        jar.list(NOW).some((c) => c.name === 'f4999'),
        'the newest are kept',
      );
    });

    it('clear() forgets everything', () => {
      const jar = jarWith('http://a.test/', 'a=1');
      jar.clear();
      assert.equal(jar.size, 0);
      assert.equal(jar.cookieHeaderFor(u('http://a.test/'), NOW), null);
    });

    it('a non-http URL gets no cookies', () => {
      const jar = jarWith('http://a.test/', 'a=1');
      assert.equal(jar.cookieHeaderFor(u('ftp://a.test/'), NOW), null);
    });
  });
});
