// One [triggers, clean] pair of fixtures per check id. checks.test.ts asserts every registered check is here.
import type { CertificateInfo, HeaderPair } from '../../../src/shared/exchange';
import { DATE, STARTED, dateAt, type Spec } from './builder';

const H = (headers: HeaderPair[], extra: Spec = {}): Spec => ({ headers, ...extra });
const HTML: HeaderPair = ['Content-Type', 'text/html; charset=utf-8'];
const html = (more: HeaderPair[] = [], extra: Spec = {}): Spec => ({ headers: [HTML, ...more], body: '<!doctype html><p>hi</p>', ...extra });
const SC = (v: string, extra: Spec = {}): Spec => H([['Set-Cookie', v]], extra);
const CC = (v: string, more: HeaderPair[] = []): Spec => H([['Cache-Control', v], ...more]);
const TLS = {};
const post = (req: HeaderPair[], body: string, extra: Spec = {}): Spec => ({ method: 'POST', req, reqBody: body, ...extra });
const cert = (validToOffsetDays: number): CertificateInfo => ({
  subject: { CN: 'example.test' },
  issuer: { CN: 'Test CA' },
  validFrom: new Date(Date.parse(STARTED) - 86400000 * 30).toUTCString(),
  validTo: new Date(Date.parse(STARTED) + 86400000 * validToOffsetDays).toUTCString(),
  subjectAltNames: ['DNS:example.test'],
  serialNumber: '01',
  fingerprint256: 'AA',
});
const many = (n: number): HeaderPair[] => Array.from({ length: n }, (_, i): HeaderPair => [`X-H${i}`, '1']);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const H2 = (headers: HeaderPair[], extra: Spec = {}): Spec => ({
  httpVersion: '2',
  date: false,
  headers: [[':status', '200'], ...headers],
  ...extra,
});

export const CASES: Record<string, [trigger: Spec, clean: Spec]> = {
  // HTTP/2 (RFC 9113 §8)
  'h2-connection-header': [H2([['connection', 'keep-alive']]), H2([['content-type', 'text/plain']])],
  'h2-uppercase-name': [H2([['Content-Type', 'text/plain']]), H2([['content-type', 'text/plain']])],
  'h2-status-missing': [{ httpVersion: '2', date: false, headers: [['content-type', 'text/plain']] }, H2([])],
  'h2-pseudo-header-order': [
    {
      httpVersion: '2',
      date: false,
      headers: [
        ['content-type', 'text/plain'],
        [':status', '200'],
      ],
    },
    H2([['content-type', 'text/plain']]),
  ],
  'h2-content-length-mismatch': [H2([['content-length', '10']], { body: 'short' }), H2([['content-length', '5']], { body: 'short' })],

  // General field checks
  'header-name-invalid': [H([['Bad Name', 'x']]), H([['X-Ok', 'x']])],
  'header-value-control': [H([['X-A', 'a\x01b']]), H([['X-A', 'ab']])],
  'header-value-non-ascii': [H([['X-A', 'café']]), H([['X-A', 'cafe']])],
  'header-value-empty': [H([['X-A', '']]), H([['X-A', '1']])],
  'header-value-large': [H([['X-A', 'a'.repeat(9000)]]), H([['X-A', 'a'.repeat(100)]])],
  'headers-many': [H(many(101)), H(many(10))],
  'header-unknown': [H([['X-Totally-Custom', '1']]), H([['Server', 'x']])],
  'header-repeated-singleton': [
    H([
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'text/html'],
    ]),
    H([
      ['Vary', 'Accept'],
      ['Vary', 'Origin'],
    ]),
  ],
  'header-request-only': [H([['User-Agent', 'x']]), H([['Server', 'x']])],
  'header-deprecated': [H([['Pragma', 'no-cache']]), H([['Cache-Control', 'no-cache']])],
  'structured-field-syntax': [H([['Priority', 'u=']]), H([['Priority', 'u=1, i']])],
  'server-version-disclosed': [H([['Server', 'nginx/1.25.3']]), H([['Server', 'nginx']])],
  'framework-disclosed': [H([['X-Powered-By', 'Express']]), H([])],

  // Status line
  'status-unregistered': [{ status: 520 }, { status: 200 }],
  'status-unknown': [{ status: 299 }, { status: 200 }],
  'status-out-of-range': [{ status: 600 }, { status: 200 }],
  'status-reason-nonstandard': [
    { status: 200, reason: 'Fine' },
    { status: 200, reason: 'OK' },
  ],
  'status-deprecated': [{ status: 305 }, H([['Location', '/x']], { status: 307 })],
  'status-final-1xx': [{ status: 102 }, H([['Upgrade', 'websocket']], { status: 101 })],
  'server-error': [{ status: 500 }, { status: 404 }],
  'http-1-0-response': [{ httpVersion: '1.0' }, {}],
  'early-hints-without-link': [
    { interim: [{ status: 103, reason: 'Early Hints', headers: [] }] },
    { interim: [{ status: 103, reason: '', headers: [['Link', '</a.css>; rel=preload']] }] },
  ],
  'early-hints-sent': [
    { interim: [{ status: 103, reason: '', headers: [['Link', '</a.css>; rel=preload']] }] },
    { interim: [{ status: 103, reason: '', headers: [] }] },
  ],

  // Redirects and status-specific fields
  'redirect-without-location': [{ status: 302 }, H([['Location', '/x']], { status: 302 })],
  'location-invalid': [H([['Location', '/a b']], { status: 302 }), H([['Location', '/a%20b']], { status: 302 })],
  'location-relative': [H([['Location', '/x']], { status: 302 }), H([['Location', 'http://example.test/x']], { status: 302 })],
  'location-unexpected': [H([['Location', '/x']]), H([['Location', '/x']], { status: 201 })],
  'redirect-https-to-http': [
    H([['Location', 'http://example.test/']], { status: 301, tls: TLS }),
    H([['Location', 'https://example.test/x']], { status: 301, tls: TLS }),
  ],
  'redirect-to-self': [
    H([['Location', '/a']], { status: 302, url: 'http://example.test/a' }),
    H([['Location', '/b']], { status: 302, url: 'http://example.test/a' }),
  ],
  'redirect-method-change': [H([['Location', '/x']], { status: 302, method: 'POST' }), H([['Location', '/x']], { status: 303, method: 'POST' })],
  'redirect-chain-long': [{ redirects: 4 }, { redirects: 1 }],
  'created-without-location': [{ status: 201 }, H([['Location', '/new']], { status: 201 })],
  '405-without-allow': [{ status: 405 }, H([['Allow', 'GET']], { status: 405 })],
  '401-without-www-authenticate': [{ status: 401 }, H([['WWW-Authenticate', 'Bearer']], { status: 401 })],
  '407-without-proxy-authenticate': [{ status: 407 }, H([['Proxy-Authenticate', 'Basic']], { status: 407 })],
  '416-without-content-range': [{ status: 416 }, H([['Content-Range', 'bytes */100']], { status: 416 })],
  '426-without-upgrade': [{ status: 426 }, H([['Upgrade', 'TLS/1.2']], { status: 426 })],
  '101-without-upgrade': [{ status: 101 }, H([['Upgrade', 'websocket']], { status: 101 })],
  '429-without-retry-after': [{ status: 429 }, H([['Retry-After', '10']], { status: 429 })],
  '503-without-retry-after': [{ status: 503 }, H([['Retry-After', '10']], { status: 503 })],
  '206-without-content-range': [
    { status: 206, req: [['Range', 'bytes=0-1']] },
    H([['Content-Range', 'bytes 0-1/10']], { status: 206, req: [['Range', 'bytes=0-1']] }),
  ],
  '206-without-range': [
    H([['Content-Range', 'bytes 0-1/10']], { status: 206 }),
    H([['Content-Range', 'bytes 0-1/10']], { status: 206, req: [['Range', 'bytes=0-1']] }),
  ],
  'retry-after-syntax': [H([['Retry-After', 'soon']]), H([['Retry-After', '120']])],
  'content-range-syntax': [H([['Content-Range', 'bytes 5-1/10']]), H([['Content-Range', 'bytes 0-4/10']])],
  'allow-syntax': [H([['Allow', 'GET POST']]), H([['Allow', 'GET, POST']])],
  'accept-ranges-unknown': [H([['Accept-Ranges', 'pages']]), H([['Accept-Ranges', 'bytes']])],

  // Body and framing
  'body-on-204': [{ status: 204, body: 'x' }, { status: 204 }],
  'body-on-304': [{ status: 304, body: 'x' }, { status: 304 }],
  'body-on-head': [{ method: 'HEAD', body: 'x' }, { method: 'HEAD' }],
  'content-length-on-204': [H([['Content-Length', '0']], { status: 204 }), { status: 204 }],
  'content-length-syntax': [H([['Content-Length', 'abc']], { body: 'abc' }), H([['Content-Length', '3']], { body: 'abc' })],
  'content-length-conflict': [
    H(
      [
        ['Content-Length', '3'],
        ['Content-Length', '4'],
      ],
      { body: 'abc' },
    ),
    H([['Content-Length', '3']], { body: 'abc' }),
  ],
  'content-length-mismatch': [H([['Content-Length', '10']], { body: 'abc' }), H([['Content-Length', '3']], { body: 'abc' })],
  'content-length-with-transfer-encoding': [
    H(
      [
        ['Transfer-Encoding', 'chunked'],
        ['Content-Length', '3'],
      ],
      { body: 'abc' },
    ),
    H([['Transfer-Encoding', 'chunked']], { body: 'abc' }),
  ],
  'transfer-encoding-chunked-not-last': [H([['Transfer-Encoding', 'chunked, gzip']]), H([['Transfer-Encoding', 'gzip, chunked']])],
  'transfer-encoding-unknown': [H([['Transfer-Encoding', 'foo, chunked']]), H([['Transfer-Encoding', 'chunked']])],
  'transfer-encoding-http-1-0': [H([['Transfer-Encoding', 'chunked']], { httpVersion: '1.0' }), { httpVersion: '1.0' }],
  'content-type-missing': [{ body: 'abc' }, H([['Content-Type', 'text/plain; charset=utf-8']], { body: 'abc' })],
  'content-type-syntax': [H([['Content-Type', 'text']]), H([['Content-Type', 'text/plain']])],
  'charset-missing': [H([['Content-Type', 'text/plain']], { body: 'abc' }), H([['Content-Type', 'text/plain; charset=utf-8']], { body: 'abc' })],
  'charset-unknown': [H([['Content-Type', 'text/plain; charset=klingon']]), H([['Content-Type', 'text/plain; charset=utf-8']])],
  'charset-on-json': [H([['Content-Type', 'application/json; charset=utf-8']]), H([['Content-Type', 'application/json']])],
  'json-body-invalid': [H([['Content-Type', 'application/json']], { body: '{bad' }), H([['Content-Type', 'application/json']], { body: '{"a":1}' })],
  'body-truncated': [{ body: 'abc', truncated: true, size: 100000 }, { body: 'abc' }],
  'content-encoding-unknown': [H([['Content-Encoding', 'snappy']]), H([['Content-Encoding', 'gzip']])],
  'content-encoding-identity': [H([['Content-Encoding', 'identity']]), H([['Content-Encoding', 'gzip']])],
  'content-encoding-not-accepted': [
    H([['Content-Encoding', 'br']], { req: [['Accept-Encoding', 'gzip']] }),
    H([['Content-Encoding', 'gzip']], { req: [['Accept-Encoding', 'gzip']] }),
  ],
  'compression-missing': [
    H([['Content-Type', 'text/plain; charset=utf-8']], { req: [['Accept-Encoding', 'gzip']], body: 'a'.repeat(5000) }),
    H(
      [
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Content-Encoding', 'gzip'],
      ],
      { req: [['Accept-Encoding', 'gzip']], body: 'a'.repeat(5000), wireSize: 100 },
    ),
  ],
  'compression-used': [H([['Content-Encoding', 'gzip']], { body: 'a'.repeat(1000), wireSize: 100 }), { body: 'a'.repeat(1000) }],
  'compression-no-gain': [
    H([['Content-Encoding', 'gzip']], { body: 'abc', wireSize: 20 }),
    H([['Content-Encoding', 'gzip']], { body: 'a'.repeat(1000), wireSize: 100 }),
  ],
  'compression-vary-missing': [
    H([['Content-Encoding', 'gzip']]),
    H([
      ['Content-Encoding', 'gzip'],
      ['Vary', 'Accept-Encoding'],
    ]),
  ],
  'compression-of-compressed-type': [
    H([
      ['Content-Type', 'image/png'],
      ['Content-Encoding', 'gzip'],
    ]),
    H([['Content-Type', 'image/png']]),
  ],
  'text-without-type-sniffable': [
    H([['Content-Type', 'application/octet-stream']], { body: '{"a":1}' }),
    H([['Content-Type', 'application/json']], { body: '{"a":1}' }),
  ],

  // Caching
  'cache-control-syntax': [CC('max-age=abc'), CC('max-age=60')],
  'cache-control-unknown-directive': [CC('max-age=60, foo'), CC('max-age=60')],
  'cache-control-duplicate-directive': [CC('max-age=60, max-age=60'), CC('max-age=60')],
  'cache-control-conflict': [CC('no-store, max-age=60'), CC('no-store')],
  'cache-no-store': [CC('no-store'), CC('max-age=1')],
  'cache-no-cache': [CC('no-cache'), CC('max-age=1')],
  'cache-private': [CC('private'), CC('public')],
  'freshness-lifetime': [CC('max-age=60'), CC('no-store')],
  'stale-on-arrival': [CC('max-age=60', [['Age', '120']]), CC('max-age=60', [['Age', '10']])],
  'heuristic-freshness': [H([['Last-Modified', dateAt(-864000)]]), CC('max-age=60', [['Last-Modified', dateAt(-864000)]])],
  'not-reusable': [{}, H([['ETag', '"a"']])],
  'cache-immutable-without-lifetime': [CC('immutable'), CC('max-age=60, immutable')],
  'set-cookie-shared-cacheable': [CC('public, max-age=60', [['Set-Cookie', 'a=b']]), CC('private, max-age=60', [['Set-Cookie', 'a=b']])],
  'cache-max-age-zero-must-revalidate': [CC('max-age=0, must-revalidate'), CC('no-cache')],
  'pragma-in-response': [H([['Pragma', 'no-cache']]), {}],
  'expires-syntax': [H([['Expires', '0']]), H([['Expires', dateAt(60)]])],
  'expires-ignored': [CC('max-age=60', [['Expires', dateAt(60)]]), H([['Expires', dateAt(60)]])],
  'expires-far-future': [H([['Expires', dateAt(400 * 86400)]]), H([['Expires', dateAt(60)]])],
  'age-syntax': [H([['Age', 'abc']]), H([['Age', '10']])],
  'served-from-cache': [H([['Age', '10']]), {}],
  'date-missing': [{ date: false }, {}],
  'date-syntax': [H([['Date', 'yesterday']], { date: false }), {}],
  'date-obsolete-format': [H([['Date', 'Tuesday, 04-Mar-25 10:00:00 GMT']], { date: false }), {}],
  'date-clock-skew': [H([['Date', dateAt(3600)]], { date: false }), {}],
  'last-modified-syntax': [H([['Last-Modified', 'recently']]), H([['Last-Modified', dateAt(-60)]])],
  'last-modified-future': [H([['Last-Modified', dateAt(3600)]]), H([['Last-Modified', dateAt(-60)]])],
  'etag-syntax': [H([['ETag', 'abc']]), H([['ETag', '"abc"']])],
  'etag-weak': [H([['ETag', 'W/"a"']]), H([['ETag', '"a"']])],
  'validators-missing': [{}, H([['ETag', '"a"']])],
  'validators-present': [H([['ETag', '"a"']]), {}],
  'not-modified-answered': [{ status: 304, req: [['If-None-Match', '"a"']] }, { status: 304 }],
  'conditional-ignored': [H([['ETag', '"a"']], { req: [['If-None-Match', '"a"']] }), H([['ETag', '"b"']], { req: [['If-None-Match', '"a"']] })],
  'vary-star': [H([['Vary', '*']]), H([['Vary', 'Accept']])],
  'vary-many': [H([['Vary', 'Accept, Accept-Language, Origin, Cookie']]), H([['Vary', 'Accept']])],
  'vary-user-agent': [H([['Vary', 'User-Agent']]), H([['Vary', 'Accept']])],
  'vary-cookie': [H([['Vary', 'Cookie']]), H([['Vary', 'Accept']])],
  'vary-syntax': [H([['Vary', 'Accept Encoding']]), H([['Vary', 'Accept-Encoding']])],

  // Cookies
  'set-cookie-syntax': [SC('novalue'), SC('a=b')],
  'set-cookie-no-secure': [SC('a=b', { tls: TLS }), SC('a=b; Secure', { tls: TLS })],
  'set-cookie-secure-over-http': [SC('a=b; Secure'), SC('a=b')],
  'set-cookie-plain-http': [SC('a=b'), SC('a=b', { tls: TLS })],
  'set-cookie-no-httponly': [SC('a=b'), SC('a=b; HttpOnly')],
  'set-cookie-samesite-none-insecure': [SC('a=b; SameSite=None'), SC('a=b; SameSite=None; Secure')],
  'set-cookie-samesite-missing': [SC('a=b'), SC('a=b; SameSite=Lax')],
  'set-cookie-domain-mismatch': [SC('a=b; Domain=other.test'), SC('a=b; Domain=example.test')],
  'set-cookie-domain-leading-dot': [SC('a=b; Domain=.example.test'), SC('a=b; Domain=example.test')],
  'set-cookie-path-relative': [SC('a=b; Path=foo'), SC('a=b; Path=/foo')],
  'set-cookie-host-prefix': [SC('__Host-a=b; Secure'), SC('__Host-a=b; Secure; Path=/')],
  'set-cookie-secure-prefix': [SC('__Secure-a=b'), SC('__Secure-a=b; Secure')],
  'set-cookie-deletion': [SC('a=; Max-Age=0'), SC('a=b; Max-Age=60')],
  'set-cookie-max-age-and-expires': [SC(`a=b; Max-Age=60; Expires=${dateAt(60)}`), SC('a=b; Max-Age=60')],
  'set-cookie-unknown-attribute': [SC('a=b; HttpOnlyy'), SC('a=b; HttpOnly')],
  'set-cookie-too-large': [SC(`a=${'x'.repeat(5000)}`), SC('a=b')],
  'set-cookie-partitioned-insecure': [SC('a=b; Partitioned'), SC('a=b; Partitioned; Secure')],

  // HSTS and security headers
  'hsts-over-http': [H([['Strict-Transport-Security', 'max-age=31536000']]), H([['Strict-Transport-Security', 'max-age=31536000']], { tls: TLS })],
  'hsts-syntax': [H([['Strict-Transport-Security', 'max-age=abc']]), H([['Strict-Transport-Security', 'max-age=60']])],
  'hsts-short-max-age': [H([['Strict-Transport-Security', 'max-age=60']]), H([['Strict-Transport-Security', 'max-age=31536000']])],
  'hsts-max-age-zero': [H([['Strict-Transport-Security', 'max-age=0']]), H([['Strict-Transport-Security', 'max-age=60']])],
  'hsts-preload-incomplete': [
    H([['Strict-Transport-Security', 'max-age=31536000; preload']]),
    H([['Strict-Transport-Security', 'max-age=31536000; includeSubDomains; preload']]),
  ],
  'hsts-present': [H([['Strict-Transport-Security', 'max-age=31536000']], { tls: TLS }), { tls: TLS }],
  'hsts-missing': [html([], { tls: TLS }), html([['Strict-Transport-Security', 'max-age=31536000']], { tls: TLS })],
  'csp-missing': [html(), html([['Content-Security-Policy', "default-src 'self'"]])],
  'csp-unsafe-inline': [
    H([['Content-Security-Policy', "script-src 'self' 'unsafe-inline'"]]),
    H([['Content-Security-Policy', "script-src 'self' 'unsafe-inline' 'nonce-abc'"]]),
  ],
  'csp-unsafe-eval': [H([['Content-Security-Policy', "script-src 'unsafe-eval'"]]), H([['Content-Security-Policy', "script-src 'self'"]])],
  'csp-wildcard-script': [H([['Content-Security-Policy', 'default-src *']]), H([['Content-Security-Policy', "default-src 'self'"]])],
  'nosniff-missing': [html(), html([['X-Content-Type-Options', 'nosniff']])],
  'nosniff-invalid': [H([['X-Content-Type-Options', 'yes']]), H([['X-Content-Type-Options', 'nosniff']])],
  'clickjacking-unprotected': [html(), html([['X-Frame-Options', 'DENY']])],
  'x-frame-options-invalid': [H([['X-Frame-Options', 'ALLOW-FROM https://a.test']]), H([['X-Frame-Options', 'DENY']])],
  'x-xss-protection-enabled': [H([['X-XSS-Protection', '1; mode=block']]), H([['X-XSS-Protection', '0']])],
  'referrer-policy-missing': [html(), html([['Referrer-Policy', 'no-referrer']])],
  'referrer-policy-unsafe': [H([['Referrer-Policy', 'unsafe-url']]), H([['Referrer-Policy', 'no-referrer']])],
  'referrer-policy-invalid': [H([['Referrer-Policy', 'sometimes']]), H([['Referrer-Policy', 'origin']])],
  'corp-invalid': [H([['Cross-Origin-Resource-Policy', 'everyone']]), H([['Cross-Origin-Resource-Policy', 'same-site']])],
  'coop-invalid': [H([['Cross-Origin-Opener-Policy', 'strict']]), H([['Cross-Origin-Opener-Policy', 'same-origin']])],
  'coep-invalid': [H([['Cross-Origin-Embedder-Policy', 'require']]), H([['Cross-Origin-Embedder-Policy', 'require-corp']])],

  // CORS
  'cors-wildcard-credentials': [
    H([
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Credentials', 'true'],
    ]),
    H([['Access-Control-Allow-Origin', '*']]),
  ],
  'cors-multiple-origins': [
    H([['Access-Control-Allow-Origin', 'https://a.test https://b.test']]),
    H([
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Vary', 'Origin'],
    ]),
  ],
  'cors-null-origin': [H([['Access-Control-Allow-Origin', 'null']]), H([['Access-Control-Allow-Origin', '*']])],
  'cors-credentials-invalid': [H([['Access-Control-Allow-Credentials', 'yes']]), H([['Access-Control-Allow-Credentials', 'true']])],
  'cors-origin-without-vary': [
    H([['Access-Control-Allow-Origin', 'https://a.test']]),
    H([
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Vary', 'Origin'],
    ]),
  ],
  'cors-origin-mismatch': [
    H([['Access-Control-Allow-Origin', 'https://a.test']], { req: [['Origin', 'https://b.test']] }),
    H([['Access-Control-Allow-Origin', 'https://a.test']], { req: [['Origin', 'https://a.test']] }),
  ],
  'cors-wildcard-with-credentials-lists': [
    H([
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Headers', '*'],
    ]),
    H([
      ['Access-Control-Allow-Origin', 'https://a.test'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Headers', 'Content-Type'],
    ]),
  ],
  'cors-max-age-syntax': [H([['Access-Control-Max-Age', 'ten']]), H([['Access-Control-Max-Age', '10']])],
  'cors-max-age-capped': [H([['Access-Control-Max-Age', '86400']]), H([['Access-Control-Max-Age', '600']])],
  'cors-preflight-incomplete': [
    { method: 'OPTIONS', status: 204, req: [['Access-Control-Request-Method', 'PUT']] },
    H(
      [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Methods', 'PUT'],
      ],
      { method: 'OPTIONS', status: 204, req: [['Access-Control-Request-Method', 'PUT']] },
    ),
  ],

  // Connection, TLS, trailers, timing
  'plain-http': [{}, { tls: TLS }],
  'tls-old-protocol': [{ tls: { protocol: 'TLSv1.1' } }, { tls: TLS }],
  'tls-modern': [{ tls: TLS }, { tls: { protocol: 'TLSv1.2' } }],
  'tls-unverified': [{ tls: { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, { tls: TLS }],
  'tls-certificate-expiring': [{ tls: { certificate: cert(10) } }, { tls: { certificate: cert(100) } }],
  'tls-certificate-expired': [{ tls: { certificate: cert(-1) } }, { tls: { certificate: cert(100) } }],
  'connection-close': [H([['Connection', 'close']]), H([['Connection', 'keep-alive']])],
  'connection-reused': [{ reused: true }, {}],
  'alt-svc-http3': [H([['Alt-Svc', 'h3=":443"; ma=86400']]), H([['Alt-Svc', 'clear']])],
  'trailer-forbidden-field': [
    H([['Trailer', 'Content-Length']], { trailers: [['Content-Length', '5']] }),
    H([['Trailer', 'X-Checksum']], { trailers: [['X-Checksum', '1']] }),
  ],
  'trailer-undeclared': [{ trailers: [['X-Checksum', '1']] }, H([['Trailer', 'X-Checksum']], { trailers: [['X-Checksum', '1']] })],
  'slow-first-byte': [{ timings: { firstByte: 2000 } }, { timings: { firstByte: 10 } }],
  'slow-dns': [{ timings: { dns: 900 } }, { timings: { dns: 1 } }],
  'slow-connect': [{ timings: { connect: 900 } }, { timings: { connect: 1 } }],
  'slow-tls': [
    { tls: TLS, timings: { tls: 900 } },
    { tls: TLS, timings: { tls: 5 } },
  ],
  'slow-download': [
    { body: 'abc', wireSize: 200000, size: 200000, timings: { download: 3000 } },
    { body: 'abc', wireSize: 200000, size: 200000, timings: { download: 100 } },
  ],

  // Request side
  'request-method-unknown': [{ method: 'FROB' }, { method: 'GET' }],
  'request-method-lowercase': [{ method: 'get' }, { method: 'GET' }],
  'request-url-credentials': [{ url: 'http://u:p@example.test/' }, { url: 'http://example.test/' }],
  'request-body-on-get': [{ req: [['Content-Type', 'text/plain']], reqBody: 'x' }, post([['Content-Type', 'text/plain']], 'x')],
  'request-content-type-missing': [post([], 'x'), post([['Content-Type', 'text/plain']], 'x')],
  'request-json-invalid': [post([['Content-Type', 'application/json']], '{bad'), post([['Content-Type', 'application/json']], '{"a":1}')],
  'request-authorization-plain-http': [{ req: [['Authorization', 'Bearer x']] }, { req: [['Authorization', 'Bearer x']], tls: TLS }],
  'request-basic-malformed': [{ req: [['Authorization', 'Basic !!!']] }, { req: [['Authorization', `Basic ${b64('u:p')}`]] }],
  'request-bearer-empty': [{ req: [['Authorization', 'Bearer']] }, { req: [['Authorization', 'Bearer abc']] }],
  'request-host-duplicate': [{ req: [['Host', 'example.test']] }, {}],
  'request-host-mismatch': [
    {
      bareRequest: true,
      req: [
        ['Host', 'other.test'],
        ['User-Agent', 't'],
      ],
    },
    {},
  ],
  'request-header-repeated': [
    {
      req: [
        ['Authorization', 'Bearer a'],
        ['Authorization', 'Bearer b'],
      ],
    },
    { req: [['Authorization', 'Bearer a']] },
  ],
  'request-cookie-multiple': [
    {
      req: [
        ['Cookie', 'a=1'],
        ['Cookie', 'b=2'],
      ],
    },
    { req: [['Cookie', 'a=1; b=2']] },
  ],
  'request-response-header': [{ req: [['Server', 'x']] }, { req: [['Accept', '*/*']] }],
  'request-header-deprecated': [{ req: [['DNT', '1']] }, { req: [['Accept', '*/*']] }],
  'request-header-unknown': [{ req: [['X-Custom-Thing', '1']] }, { req: [['Accept', '*/*']] }],
  'request-header-name-invalid': [{ req: [['Bad Name', '1']] }, { req: [['Accept', '*/*']] }],
  'request-header-value-control': [{ req: [['X-A', 'a\x01']] }, { req: [['X-A', 'a']] }],
  'request-content-length-mismatch': [
    post(
      [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '10'],
      ],
      'abc',
    ),
    post(
      [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '3'],
      ],
      'abc',
    ),
  ],
  'request-transfer-encoding-and-length': [
    post(
      [
        ['Transfer-Encoding', 'chunked'],
        ['Content-Length', '3'],
      ],
      'abc',
    ),
    post([['Transfer-Encoding', 'chunked']], 'abc'),
  ],
  'request-expect-without-body': [
    { req: [['Expect', '100-continue']] },
    post(
      [
        ['Expect', '100-continue'],
        ['Content-Type', 'text/plain'],
      ],
      'abc',
    ),
  ],
  'request-date-syntax': [{ req: [['If-Modified-Since', 'yesterday']] }, { req: [['If-Modified-Since', DATE]] }],
  'request-if-range-syntax': [{ req: [['If-Range', 'abc']] }, { req: [['If-Range', '"abc"']] }],
  'request-etag-syntax': [{ req: [['If-None-Match', 'abc']] }, { req: [['If-None-Match', '"abc", W/"d"']] }],
  'request-range-syntax': [{ req: [['Range', 'bytes 0-1']] }, { req: [['Range', 'bytes=0-1, -5']] }],
  'request-content-type-syntax': [post([['Content-Type', 'json']], '{}'), post([['Content-Type', 'application/json']], '{}')],
  'request-accept-syntax': [{ req: [['Accept', 'json']] }, { req: [['Accept', 'application/json;q=0.5, */*']] }],
  'request-q-value-syntax': [{ req: [['Accept-Encoding', 'gzip;q=2']] }, { req: [['Accept-Encoding', 'gzip;q=0.5, br']] }],
  'request-cache-control-syntax': [{ req: [['Cache-Control', 'max-age=x']] }, { req: [['Cache-Control', 'no-cache']] }],
  'request-origin-syntax': [{ req: [['Origin', 'https://a.test/path']] }, { req: [['Origin', 'https://a.test']] }],
  'request-content-length-syntax': [
    { req: [['Content-Length', 'x']] },
    post(
      [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '3'],
      ],
      'abc',
    ),
  ],
  'request-structured-field-syntax': [{ req: [['Priority', 'u=']] }, { req: [['Priority', 'u=1']] }],
  'request-pragma-no-cache': [
    { req: [['Pragma', 'no-cache']] },
    {
      req: [
        ['Pragma', 'no-cache'],
        ['Cache-Control', 'no-cache'],
      ],
    },
  ],
  'request-te-invalid': [
    { req: [['TE', 'trailers']] },
    {
      req: [
        ['TE', 'trailers'],
        ['Connection', 'TE'],
      ],
    },
  ],
  'request-user-agent-missing': [{ bareRequest: true, req: [['Host', 'example.test']] }, {}],
  'request-connection-hop-by-hop': [{ req: [['Keep-Alive', 'timeout=5']] }, {}],

  // Less central fields
  'content-disposition-syntax': [
    H([['Content-Disposition', 'attachment; filename=a b.txt']]),
    H([['Content-Disposition', 'attachment; filename="a b.txt"; filename*=UTF-8\'\'a%20b.txt']]),
  ],
  'content-disposition-non-ascii-filename': [
    H([['Content-Disposition', 'attachment; filename="r\u00e9sum\u00e9.pdf"']]),
    H([['Content-Disposition', 'attachment; filename="resume.pdf"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf']]),
  ],
  'link-syntax': [H([['Link', '/style.css; rel=preload']]), H([['Link', '</style.css>; rel=preload; as=style']])],
  'link-preload-without-as': [H([['Link', '</style.css>; rel=preload']]), H([['Link', '</style.css>; rel=preload; as=style']])],
  'content-language-syntax': [H([['Content-Language', 'english language']]), H([['Content-Language', 'en-US, fr']])],
  'clear-site-data-syntax': [H([['Clear-Site-Data', 'cookies']]), H([['Clear-Site-Data', '"cache", "cookies"']])],
  'alt-svc-syntax': [H([['Alt-Svc', 'h3 :443']]), H([['Alt-Svc', 'h3=":443"; ma=86400, h2="alt.example.test:443"']])],
  'server-timing-syntax': [H([['Server-Timing', 'db;dur=fast']]), H([['Server-Timing', 'db;dur=53.2;desc="Database", app;dur=47']])],
  'cors-allow-methods-syntax': [H([['Access-Control-Allow-Methods', 'GET POST']]), H([['Access-Control-Allow-Methods', 'GET, POST']])],
  'resource-deprecated': [H([['Deprecation', '@1688169599']]), {}],
  'resource-sunset': [H([['Sunset', dateAt(86400)]]), {}],
  'rate-limit-exhausted': [
    H([['X-RateLimit-Remaining', '0']]),
    H([
      ['X-RateLimit-Remaining', '10'],
      ['RateLimit', '"default";r=5;t=30'],
    ]),
  ],
  'cache-status-hit': [H([['Cache-Status', 'ExampleCache; hit; ttl=30']]), H([['Cache-Status', 'ExampleCache; fwd=miss']])],
  'www-authenticate-basic-plain-http': [
    H([['WWW-Authenticate', 'Basic realm="api"']], { status: 401 }),
    H([['WWW-Authenticate', 'Basic realm="api"']], { status: 401, tls: TLS }),
  ],
  'x-robots-noindex': [H([['X-Robots-Tag', 'noindex, nofollow']]), H([['X-Robots-Tag', 'nofollow']])],
  'request-cookie-syntax': [{ req: [['Cookie', 'a=1, b=2; c']] }, { req: [['Cookie', 'a=1; b=2']] }],
  'request-upgrade-insecure-value': [{ req: [['Upgrade-Insecure-Requests', 'yes']] }, { req: [['Upgrade-Insecure-Requests', '1']] }],

  // Field semantics
  'priority-invalid': [H([['Priority', 'u=9']]), H([['Priority', 'u=2, i']])],
  'proxy-status-error': [H([['Proxy-Status', 'ExampleCDN; error=connection_timeout']]), H([['Proxy-Status', 'ExampleCDN']])],
  'permissions-policy-unknown-feature': [H([['Permissions-Policy', 'camra=()']]), H([['Permissions-Policy', 'camera=(), geolocation=(self)']])],
  'csp-report-only-alone': [
    H([['Content-Security-Policy-Report-Only', "default-src 'self'"]]),
    H([
      ['Content-Security-Policy', "default-src 'self'"],
      ['Content-Security-Policy-Report-Only', "default-src 'none'"],
    ]),
  ],
  'frame-options-superseded': [
    H([
      ['Content-Security-Policy', "frame-ancestors 'none'"],
      ['X-Frame-Options', 'DENY'],
    ]),
    H([['X-Frame-Options', 'DENY']]),
  ],
  'authenticated-shared-cacheable': [CC('public, max-age=60', []), CC('private, max-age=60', [])].map((s) => ({
    ...s,
    req: [['Authorization', 'Bearer x']],
  })) as [Spec, Spec],
  'content-type-not-accepted': [
    H([['Content-Type', 'text/html; charset=utf-8']], { body: '<p>', req: [['Accept', 'application/json']] }),
    H([['Content-Type', 'application/json']], { body: '{}', req: [['Accept', 'application/json, text/*;q=0.5']] }),
  ],
  'options-without-allow': [{ method: 'OPTIONS' }, H([['Allow', 'GET, OPTIONS']], { method: 'OPTIONS' })],
  'trace-enabled': [{ method: 'TRACE' }, { method: 'TRACE', status: 405, headers: [['Allow', 'GET']] }],
};
