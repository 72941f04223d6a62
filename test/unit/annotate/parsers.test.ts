// Parsers for Cache-Control, Set-Cookie, media types, HSTS, dates and lists: valid and invalid inputs.
import * as assert from 'node:assert/strict';
import { parseCacheControl, seconds, has } from '../../../src/annotate/parse/cacheControl';
import { parseHttpDate, weekdayMatches } from '../../../src/annotate/parse/dates';
import { parseHsts } from '../../../src/annotate/parse/hsts';
import { parseParams, splitList, unquote } from '../../../src/annotate/parse/lists';
import { isTextual, parseMediaType } from '../../../src/annotate/parse/mediaType';
import { parseSetCookie } from '../../../src/annotate/parse/setCookie';

describe('annotate/parse: lists', () => {
  it('splits on commas outside quoted strings and drops empty elements', () => {
    assert.deepEqual(splitList('a, "b,c" ,, d'), { items: ['a', '"b,c"', 'd'] });
    assert.deepEqual(splitList('"x\\"y", z').items, ['"x\\"y"', 'z']);
    assert.equal(splitList('"open, b').error, 'unterminated quoted string');
  });
  it('unquotes quoted strings', () => {
    assert.equal(unquote('"a\\"b"'), 'a"b');
    assert.equal(unquote('plain'), null);
    assert.equal(unquote('"a"b"'), null);
  });
  it('parses parameters', () => {
    const p = parseParams(' charset="utf-8"; q=0.5; flag');
    assert.deepEqual(p.params, [
      ['charset', 'utf-8'],
      ['q', '0.5'],
      ['flag', null],
    ]);
    assert.ok(parseParams('a=b c').errors.length > 0);
  });
});

describe('annotate/parse: dates', () => {
  it('accepts the three forms', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.deepEqual(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), { time: t, form: 'imf-fixdate' });
    assert.deepEqual(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2025, 0, 1)), { time: t, form: 'rfc850' });
    assert.deepEqual(parseHttpDate('Sun Nov  6 08:49:37 1994'), { time: t, form: 'asctime' });
  });
  it('rejects other text and impossible dates', () => {
    for (const s of [
      '0',
      '-1',
      '2025-01-01T00:00:00Z',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'Mon, 31 Feb 2025 00:00:00 GMT',
      'Sun, 06 Nov 1994 25:00:00 GMT',
      '',
    ]) {
      assert.equal(parseHttpDate(s), null, s);
    }
  });
  it('checks the weekday', () => {
    assert.equal(weekdayMatches('Sun, 06 Nov 1994 08:49:37 GMT'), true);
    assert.equal(weekdayMatches('Mon, 06 Nov 1994 08:49:37 GMT'), false);
  });
});

describe('annotate/parse: Cache-Control', () => {
  it('parses directives, values and quoted strings across lines', () => {
    const cc = parseCacheControl(['public, max-age=3600', 'no-cache="Set-Cookie", S-MAXAGE=60']);
    assert.deepEqual(cc.errors, []);
    assert.equal(seconds(cc, 'max-age'), 3600);
    assert.equal(seconds(cc, 's-maxage'), 60);
    assert.ok(has(cc, 'public'));
    assert.deepEqual(
      cc.directives.find((d) => d.name === 'no-cache'),
      { name: 'no-cache', value: 'Set-Cookie', quoted: true },
    );
  });
  it('reports malformed values', () => {
    assert.ok(parseCacheControl('max-age=abc').errors.length);
    assert.ok(parseCacheControl('max-age').errors.length);
    assert.ok(parseCacheControl('no-store=1').errors.length);
    assert.ok(parseCacheControl('max-age="60"').errors.length);
    assert.ok(parseCacheControl('a b').errors.length);
    assert.ok(parseCacheControl('private="x').errors.length);
  });
  it('caps huge delta-seconds at 2^31', () => {
    assert.equal(seconds(parseCacheControl('max-age=99999999999'), 'max-age'), 2147483648);
  });
});

describe('annotate/parse: Content-Type', () => {
  it('parses type, subtype and parameters case-insensitively', () => {
    const m = parseMediaType('Text/HTML; Charset="UTF-8"');
    assert.ok(m);
    assert.equal(m.essence, 'text/html');
    assert.equal(m.params.get('charset'), 'UTF-8');
    assert.deepEqual(m.errors, []);
    assert.ok(isTextual('application/problem+json'));
    assert.ok(!isTextual('image/png'));
  });
  it('rejects or flags malformed values', () => {
    assert.equal(parseMediaType('text'), null);
    assert.equal(parseMediaType('text/'), null);
    assert.equal(parseMediaType('te xt/plain'), null);
    assert.ok(parseMediaType('text/plain; charset')?.errors.length);
    assert.ok(parseMediaType('text/plain; a=1; a=2')?.errors.length);
    assert.ok(parseMediaType('text/plain; a=b c')?.errors.length);
  });
});

describe('annotate/parse: Strict-Transport-Security', () => {
  it('parses directives', () => {
    assert.deepEqual(parseHsts('max-age=31536000; includeSubDomains; preload'), {
      maxAge: 31536000,
      includeSubDomains: true,
      preload: true,
      errors: [],
    });
    assert.equal(parseHsts('max-age="600"').maxAge, 600);
  });
  it('reports errors', () => {
    assert.deepEqual(parseHsts('includeSubDomains').errors, ['max-age is required']);
    assert.ok(parseHsts('max-age=abc').errors.length);
    assert.ok(parseHsts('max-age=1; max-age=2').errors.length);
    assert.ok(parseHsts('max-age=1; includeSubDomains=yes').errors.length);
  });
});

describe('annotate/parse: Set-Cookie', () => {
  it('parses the pair and every attribute', () => {
    const c = parseSetCookie(
      'sid=abc123; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Max-Age=60; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax; Partitioned',
    );
    assert.equal(c.name, 'sid');
    assert.equal(c.value, 'abc123');
    assert.equal(c.expires, Date.UTC(2021, 5, 9, 10, 18, 14));
    assert.equal(c.maxAge, 60);
    assert.equal(c.domain, 'example.com');
    assert.equal(c.path, '/');
    assert.ok(c.secure && c.httpOnly && c.partitioned);
    assert.equal(c.sameSite, 'Lax');
    assert.deepEqual(c.errors, []);
    assert.deepEqual(c.unknown, []);
  });
  it('reports malformed cookies', () => {
    assert.ok(parseSetCookie('novalue').errors.length);
    assert.ok(parseSetCookie('=x').errors.length);
    assert.ok(parseSetCookie('a=b c').errors.length);
    assert.ok(parseSetCookie('a=b; Expires=tomorrow').errors.length);
    assert.ok(parseSetCookie('a=b; Max-Age=soon').errors.length);
    assert.ok(parseSetCookie('a=b; SameSite=Sometimes').errors.length);
    assert.deepEqual(parseSetCookie('a=b; Colour=blue').unknown, ['colour']);
    assert.deepEqual(parseSetCookie('a="quoted"').errors, []);
  });
});
