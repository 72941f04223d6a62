// Checks on redirects, status-specific required fields, framing (Content-Length, Transfer-Encoding), media types,
// charsets, compression and the body.
import { parseMediaType, isCompressible, wantsCharset } from '../parse/mediaType';
import { splitList, isToken } from '../parse/lists';
import { defineChecks, NOTHING, type CheckDef } from './registry';
import { hits, headerSubject, type CheckContext } from './context';
import { responseSyntaxCheck } from './general';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const KNOWN_CODINGS = new Set([
  'gzip',
  'x-gzip',
  'deflate',
  'br',
  'zstd',
  'compress',
  'x-compress',
  'dcb',
  'dcz',
  'aes128gcm',
  'exi',
  'pack200-gzip',
]);
const KNOWN_TRANSFER = new Set(['chunked', 'gzip', 'x-gzip', 'deflate', 'compress', 'x-compress', 'trailers']);

function statusWithout(
  id: string,
  status: number | number[],
  field: string,
  level: 'bad' | 'warning' | 'info',
  summary: string,
  detail: string,
  reference: string,
): CheckDef {
  const codes = Array.isArray(status) ? status : [status];
  return {
    id,
    level,
    category: 'status',
    scope: 'response',
    summary,
    detail,
    reference,
    applies: (s) => codes.includes(s.status) && !s.resNames.has(field),
    run: (ctx) => (ctx.res && codes.includes(ctx.status) && !ctx.resHeaders.has(field) ? [{ subject: 'status' }] : NOTHING),
  };
}

function resolvedLocation(ctx: CheckContext): URL | null {
  const loc = ctx.resHeaders.first('location');
  if (!loc) return null;
  try {
    return new URL(loc.value.trim(), ctx.req.url ?? undefined);
  } catch {
    return null;
  }
}

/** Charset labels already tried on TextDecoder (what it knows does not change): most responses say utf-8. */
const charsets = new Map<string, boolean>();
const CHARSETS_MAX = 256;

function knownCharset(label: string): boolean {
  let known = charsets.get(label);
  if (known === undefined) {
    try {
      new TextDecoder(label);
      known = true;
    } catch {
      known = false;
    }
    if (charsets.size >= CHARSETS_MAX) charsets.clear();
    charsets.set(label, known);
  }
  return known;
}

function bodyCanExist(ctx: CheckContext): boolean {
  return ctx.req.method !== 'HEAD' && ctx.status !== 204 && ctx.status !== 304 && !(ctx.status >= 100 && ctx.status < 200);
}

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const LOCATION_INVALID_RE = /[\s<>"{}|\\^`]/;
const LOCATION_RELATIVE_RE = /^[a-z][a-z0-9+.-]*:/i;
const DIGITS_RE = /^\d+$/;
const RETRY_AFTER_SYNTAX_RE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const CONTENT_RANGE_SYNTAX_RE = /^bytes (?:(\d+)-(\d+)\/(\d+|\*)|\*\/(\d+))$/;
const ACCEPT_RANGES_UNKNOWN_RE = /^(bytes|none)$/i;
const CONTENT_ENCODING_IDENTITY_RE = /(^|,)\s*identity\s*(,|$)/i;
const CONTENT_ENCODING_NOT_ACCEPTED_RE = /;\s*q=0(\.0*)?$/;
const CONTENT_ENCODING_NOT_ACCEPTED_RE2 = /^x-/;
const COMPRESSION_MISSING_RE = /gzip|br|deflate|zstd|\*/i;
const COMPRESSION_VARY_MISSING_RE = /(^|,)\s*(\*|accept-encoding)\s*(,|$)/i;
const COMPRESSION_OF_COMPRESSED_TYPE_RE = /^(image\/(png|jpeg|gif|webp|avif)|video\/|audio\/|application\/(zip|gzip|x-gzip|x-7z-compressed|zstd))/;
const TEXT_WITHOUT_TYPE_SNIFFABLE_RE = /^\s*[{[<]/;

const checks: CheckDef[] = [
  // Redirects
  {
    id: 'redirect-without-location',
    level: 'bad',
    category: 'redirect',
    scope: 'response',
    summary: 'A redirect status was sent without a Location header.',
    detail: 'Clients follow 301, 302, 303, 307 and 308 through Location; without it they are stuck on the redirect response.',
    reference: 'RFC 9110, Section 15.4',
    applies: (s) => REDIRECTS.has(s.status) && !s.resNames.has('location'),
    run: (ctx) => (REDIRECTS.has(ctx.status) && !ctx.resHeaders.has('location') ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'location-invalid',
    level: 'bad',
    category: 'redirect',
    scope: 'response',
    fields: ['location'],
    summary: 'Location is not a valid URI reference.',
    detail:
      'Location must be a URI reference; spaces and other unencoded characters must be percent-encoded. Clients repair such values differently.',
    reference: 'RFC 9110, Section 10.2.2',
    run: (ctx) => hits(ctx.resHeaders.all('location'), (l) => LOCATION_INVALID_RE.test(l.value.trim()) || resolvedLocation(ctx) === null),
  },
  {
    id: 'location-relative',
    level: 'info',
    category: 'redirect',
    scope: 'response',
    fields: ['location'],
    summary: 'Location is a relative reference.',
    detail: 'Relative references are allowed and are resolved against the request URI; very old clients expected an absolute URI.',
    reference: 'RFC 9110, Section 10.2.2',
    run: (ctx) => hits(ctx.resHeaders.all('location'), (l) => !LOCATION_RELATIVE_RE.test(l.value.trim())),
  },
  {
    id: 'location-unexpected',
    level: 'info',
    category: 'redirect',
    scope: 'response',
    fields: ['location'],
    summary: 'Location was sent with a status that does not use it.',
    detail: 'Location has a defined meaning only for 3xx redirects and 201 Created; elsewhere clients ignore it.',
    reference: 'RFC 9110, Section 10.2.2',
    applies: (s) => !(s.status >= 300 && s.status < 400) && s.status !== 201 && s.status !== 202,
    run: (ctx) =>
      ctx.res && !(ctx.status >= 300 && ctx.status < 400) && ctx.status !== 201 && ctx.status !== 202
        ? ctx.resHeaders.all('location').map((l) => ({ subject: headerSubject(l) }))
        : NOTHING,
  },
  {
    id: 'redirect-https-to-http',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['location'],
    summary: 'An HTTPS request is redirected to plain HTTP.',
    detail: 'Following it sends the next request, possibly with sensitive data, unencrypted; browsers flag it as a downgrade.',
    reference: 'RFC 9110, Section 4.2.2 and Section 15.4',
    applies: (s) => s.status >= 300 && s.status < 400,
    run: (ctx) =>
      ctx.req.url?.protocol === 'https:' && ctx.status >= 300 && ctx.status < 400 && resolvedLocation(ctx)?.protocol === 'http:'
        ? ctx.resHeaders.all('location').map((l) => ({ subject: headerSubject(l) }))
        : NOTHING,
  },
  {
    id: 'redirect-to-self',
    level: 'bad',
    category: 'redirect',
    scope: 'response',
    fields: ['location'],
    summary: 'The redirect points to the URL that was requested.',
    detail: 'A redirect to the same URI loops forever unless state (such as a cookie) changes between requests.',
    reference: 'RFC 9110, Section 15.4',
    applies: (s) => REDIRECTS.has(s.status),
    run: (ctx) => {
      const loc = resolvedLocation(ctx);
      return REDIRECTS.has(ctx.status) && loc && ctx.req.url && loc.href === ctx.req.url.href && !ctx.resHeaders.has('set-cookie')
        ? [{ subject: headerSubject(ctx.resHeaders.all('location')[0]) }]
        : [];
    },
  },
  {
    id: 'redirect-method-change',
    level: 'info',
    category: 'redirect',
    scope: 'response',
    summary: 'A 301 or 302 answered a non-GET request: clients will likely switch to GET.',
    detail: 'For historical reasons user agents change POST to GET when following 301 and 302. Use 307 or 308 to keep the method and body.',
    reference: 'RFC 9110, Section 15.4.2',
    applies: (s) => (s.status === 301 || s.status === 302) && s.method !== 'GET' && s.method !== 'HEAD',
    run: (ctx) => ((ctx.status === 301 || ctx.status === 302) && !['GET', 'HEAD'].includes(ctx.req.method) ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'redirect-chain-long',
    level: 'warning',
    category: 'redirect',
    scope: 'response',
    summary: 'The request went through more than three redirects.',
    detail: 'Each hop costs a round trip (and often a new connection). Link straight to the final URL.',
    reference: 'RFC 9110, Section 15.4',
    run: (ctx) =>
      ctx.exchange.redirects.length > 3
        ? [{ subject: 'status', summary: `${ctx.exchange.redirects.length} redirects before this response.` }]
        : NOTHING,
  },
  statusWithout(
    'created-without-location',
    201,
    'location',
    'info',
    '201 Created without Location.',
    'Location tells the client the URI of the new resource; without it the request URI is taken as the created resource.',
    'RFC 9110, Section 15.3.2',
  ),

  // Status codes that require a field
  statusWithout(
    '405-without-allow',
    405,
    'allow',
    'bad',
    '405 Method Not Allowed without an Allow header.',
    'A 405 response must list the methods the target supports in Allow, so the client can correct the request.',
    'RFC 9110, Section 15.5.6',
  ),
  statusWithout(
    '401-without-www-authenticate',
    401,
    'www-authenticate',
    'bad',
    '401 Unauthorized without WWW-Authenticate.',
    'A 401 must carry at least one challenge telling the client how to authenticate; many clients will not retry without it.',
    'RFC 9110, Section 15.5.2',
  ),
  statusWithout(
    '407-without-proxy-authenticate',
    407,
    'proxy-authenticate',
    'bad',
    '407 without Proxy-Authenticate.',
    'A 407 must carry a Proxy-Authenticate challenge.',
    'RFC 9110, Section 15.5.8',
  ),
  statusWithout(
    '416-without-content-range',
    416,
    'content-range',
    'warning',
    '416 Range Not Satisfiable without Content-Range.',
    'A server should send Content-Range with the current length (bytes */N) so the client can ask for a valid range.',
    'RFC 9110, Section 15.5.17',
  ),
  statusWithout(
    '426-without-upgrade',
    426,
    'upgrade',
    'bad',
    '426 Upgrade Required without an Upgrade header.',
    'The server must say which protocol it requires in Upgrade.',
    'RFC 9110, Section 15.5.22',
  ),
  statusWithout(
    '101-without-upgrade',
    101,
    'upgrade',
    'bad',
    '101 Switching Protocols without an Upgrade header.',
    'The server must name the protocol it switches to in Upgrade.',
    'RFC 9110, Section 15.2.2',
  ),
  statusWithout(
    '429-without-retry-after',
    429,
    'retry-after',
    'info',
    '429 Too Many Requests without Retry-After.',
    'Retry-After tells clients how long to back off; without it they guess, often retrying too soon.',
    'RFC 6585, Section 4',
  ),
  statusWithout(
    '503-without-retry-after',
    503,
    'retry-after',
    'info',
    '503 Service Unavailable without Retry-After.',
    'Retry-After tells clients when the service is expected back.',
    'RFC 9110, Section 15.6.4',
  ),
  {
    id: '206-without-content-range',
    level: 'bad',
    category: 'status',
    scope: 'response',
    summary: '206 Partial Content without Content-Range (and not multipart/byteranges).',
    detail: 'A single-part 206 must say which range it carries in Content-Range.',
    reference: 'RFC 9110, Section 15.3.7',
    applies: (s) => s.status === 206 && !s.resNames.has('content-range'),
    run: (ctx) =>
      ctx.status === 206 && !ctx.resHeaders.has('content-range') && ctx.contentType?.essence !== 'multipart/byteranges'
        ? [{ subject: 'status' }]
        : NOTHING,
  },
  {
    id: '206-without-range',
    level: 'warning',
    category: 'status',
    scope: 'response',
    summary: '206 Partial Content answered a request that had no Range header.',
    detail: 'A server must not send a partial response unless the client asked for a range.',
    reference: 'RFC 9110, Section 14.2',
    applies: (s) => s.status === 206 && !s.reqNames.has('range'),
    run: (ctx) => (ctx.status === 206 && !ctx.req.headers.has('range') ? [{ subject: 'status' }] : NOTHING),
  },
  responseSyntaxCheck(
    'retry-after-syntax',
    'Retry-After',
    'RFC 9110, Section 10.2.3',
    'Retry-After is either a number of seconds or an HTTP date.',
    (v) => (DIGITS_RE.test(v.trim()) || RETRY_AFTER_SYNTAX_RE.test(v.trim()) ? null : `"${v}" is neither seconds nor an HTTP date`),
  ),
  responseSyntaxCheck(
    'content-range-syntax',
    'Content-Range',
    'RFC 9110, Section 14.4',
    'Content-Range is "bytes first-last/complete-length" (or "*" for an unknown length), or "bytes */length" in a 416.',
    (v) => {
      const m = CONTENT_RANGE_SYNTAX_RE.exec(v.trim());
      if (!m) return `"${v}" does not match "bytes first-last/length"`;
      if (m[1] !== undefined && Number(m[1]) > Number(m[2])) return 'the first position is after the last';
      if (m[3] !== undefined && m[3] !== '*' && Number(m[2]) >= Number(m[3])) return 'the last position is beyond the complete length';
      return null;
    },
  ),
  responseSyntaxCheck('allow-syntax', 'Allow', 'RFC 9110, Section 10.2.1', 'Allow is a comma-separated list of method names (tokens).', (v) =>
    splitList(v).items.every(isToken) ? null : `"${v}" is not a list of methods`,
  ),
  {
    id: 'accept-ranges-unknown',
    level: 'info',
    category: 'content',
    scope: 'response',
    fields: ['accept-ranges'],
    summary: 'Accept-Ranges names a range unit other than bytes or none.',
    detail: 'Only "bytes" is in common use; clients will not make range requests in unknown units.',
    reference: 'RFC 9110, Section 14.3',
    run: (ctx) => hits(ctx.resHeaders.all('accept-ranges'), (l) => splitList(l.value).items.some((u) => !ACCEPT_RANGES_UNKNOWN_RE.test(u))),
  },

  // Body on responses that cannot have one
  {
    id: 'body-on-204',
    level: 'bad',
    category: 'content',
    scope: 'response',
    summary: 'A 204 No Content response carried body bytes.',
    detail: 'A 204 ends at the blank line after the headers. Extra bytes are read as the start of the next response on the connection.',
    reference: 'RFC 9110, Section 15.3.5',
    applies: (s) => s.status === 204,
    run: (ctx) => (ctx.status === 204 && ctx.hasBody ? [{ subject: 'body' }] : NOTHING),
  },
  {
    id: 'body-on-304',
    level: 'bad',
    category: 'content',
    scope: 'response',
    summary: 'A 304 Not Modified response carried body bytes.',
    detail: 'A 304 never has content; the client reuses its stored copy. Extra bytes corrupt the connection.',
    reference: 'RFC 9110, Section 15.4.5',
    applies: (s) => s.status === 304,
    run: (ctx) => (ctx.status === 304 && ctx.hasBody ? [{ subject: 'body' }] : NOTHING),
  },
  {
    id: 'body-on-head',
    level: 'bad',
    category: 'content',
    scope: 'response',
    summary: 'The response to HEAD carried body bytes.',
    detail: 'A response to HEAD has the headers of a GET response and never any content.',
    reference: 'RFC 9110, Section 9.3.2',
    applies: (s) => s.method === 'HEAD',
    run: (ctx) => (ctx.req.method === 'HEAD' && ctx.hasBody ? [{ subject: 'body' }] : NOTHING),
  },
  {
    id: 'content-length-on-204',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-length'],
    summary: 'A 204 or 1xx response carried Content-Length.',
    detail: 'A server must not send Content-Length in a 1xx or 204 response.',
    reference: 'RFC 9110, Section 8.6',
    applies: (s) => s.status === 204 || (s.status >= 100 && s.status < 200),
    run: (ctx) =>
      ctx.status === 204 || (ctx.status >= 100 && ctx.status < 200)
        ? ctx.resHeaders.all('content-length').map((l) => ({ subject: headerSubject(l) }))
        : NOTHING,
  },

  // Framing
  responseSyntaxCheck(
    'content-length-syntax',
    'Content-Length',
    'RFC 9110, Section 8.6',
    'Content-Length is a non-negative decimal number of bytes.',
    (v) =>
      DIGITS_RE.test(v.trim()) || splitList(v).items.every((x) => x === splitList(v).items[0] && DIGITS_RE.test(x))
        ? null
        : `"${v}" is not a number of bytes`,
  ),
  {
    id: 'content-length-conflict',
    level: 'bad',
    category: 'content',
    scope: 'response',
    fields: ['content-length'],
    summary: 'Several Content-Length values disagree.',
    detail: 'Differing lengths make the message framing ambiguous, the root of request and response smuggling; recipients must treat it as an error.',
    reference: 'RFC 9112, Section 6.3',
    run: (ctx) => {
      const lines = ctx.resHeaders.all('content-length');
      // One line without a comma holds at most one value.
      if (lines.length === 1 && !lines[0].value.includes(',')) return NOTHING;
      const vals = new Set(lines.flatMap((l) => splitList(l.value).items));
      return vals.size > 1 ? [{ subject: headerSubject(ctx.resHeaders.all('content-length')[0]) }] : [];
    },
  },
  {
    id: 'content-length-mismatch',
    level: 'bad',
    category: 'content',
    scope: 'response',
    fields: ['content-length'],
    summary: 'Content-Length does not match the number of body bytes received.',
    detail:
      'The declared length and the bytes on the wire differ: the response was cut short or the server miscounted, and the connection cannot be reused safely.',
    reference: 'RFC 9112, Section 6.3',
    run: (ctx) => {
      const cl = ctx.resHeaders.first('content-length');
      if (!cl || !ctx.res || !bodyCanExist(ctx) || ctx.resHeaders.has('transfer-encoding') || ctx.res.body.truncated) return NOTHING;
      const n = Number(cl.value.trim());
      if (!Number.isFinite(n) || n === ctx.res.body.wireSize) return NOTHING;
      return [{ subject: headerSubject(cl), summary: `Content-Length says ${n} bytes but ${ctx.res.body.wireSize} arrived.` }];
    },
  },
  {
    id: 'content-length-with-transfer-encoding',
    level: 'bad',
    category: 'content',
    scope: 'response',
    fields: ['transfer-encoding'],
    summary: 'Both Transfer-Encoding and Content-Length were sent.',
    detail: 'Transfer-Encoding overrides Content-Length. Sending both is forbidden and is a classic ingredient of HTTP smuggling.',
    reference: 'RFC 9112, Section 6.2 and Section 6.3',
    applies: (s) => s.resNames.has('content-length'),
    run: (ctx) =>
      ctx.resHeaders.has('transfer-encoding') && ctx.resHeaders.has('content-length')
        ? ctx.resHeaders.all('content-length').map((l) => ({ subject: headerSubject(l) }))
        : NOTHING,
  },
  {
    id: 'transfer-encoding-chunked-not-last',
    level: 'bad',
    category: 'content',
    scope: 'response',
    fields: ['transfer-encoding'],
    summary: 'Transfer-Encoding does not end with chunked.',
    detail: 'In a response, a transfer coding other than chunked as the last one means the body runs until the connection closes, which is fragile.',
    reference: 'RFC 9112, Section 6.1',
    run: (ctx) => {
      const te = ctx.resHeaders.joined('transfer-encoding');
      if (te === null) return NOTHING;
      const codings = splitList(te).items.map((x) => x.toLowerCase());
      return codings[codings.length - 1] !== 'chunked' ? [{ subject: headerSubject(ctx.resHeaders.all('transfer-encoding')[0]) }] : [];
    },
  },
  {
    id: 'transfer-encoding-unknown',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['transfer-encoding'],
    summary: 'Transfer-Encoding names a coding the client may not support.',
    detail: 'Unknown transfer codings leave the client unable to read the body; a server should answer 501 rather than send them.',
    reference: 'RFC 9112, Section 6.1',
    run: (ctx) => hits(ctx.resHeaders.all('transfer-encoding'), (l) => splitList(l.value).items.some((c) => !KNOWN_TRANSFER.has(c.toLowerCase()))),
  },
  {
    id: 'transfer-encoding-http-1-0',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['transfer-encoding'],
    summary: 'Transfer-Encoding was sent in an HTTP/1.0 message.',
    detail: 'HTTP/1.0 recipients do not understand chunked framing; a server must not use it with them.',
    reference: 'RFC 9112, Section 6.1',
    applies: (s) => s.version === '1.0',
    run: (ctx) => (ctx.res?.httpVersion === '1.0' ? ctx.resHeaders.all('transfer-encoding').map((l) => ({ subject: headerSubject(l) })) : NOTHING),
  },

  // Media type and charset
  {
    id: 'content-type-missing',
    level: 'warning',
    category: 'content',
    scope: 'response',
    summary: 'The response has content but no Content-Type.',
    detail: 'Without a media type the client has to guess (sniff), which can render data as HTML or script.',
    reference: 'RFC 9110, Section 8.3',
    applies: (s) => !s.resNames.has('content-type'),
    run: (ctx) => (ctx.hasBody && bodyCanExist(ctx) && !ctx.resHeaders.has('content-type') ? [{ subject: 'body' }] : NOTHING),
  },
  responseSyntaxCheck(
    'content-type-syntax',
    'Content-Type',
    'RFC 9110, Section 8.3.1',
    'Content-Type is type/subtype followed by optional ;name=value parameters, each a token or quoted string.',
    (v, ctx) => {
      // The first line is parsed already (ctx.contentType) for the other media-type checks.
      const mt = ctx.resHeaders.first('content-type')?.value === v ? ctx.contentType : parseMediaType(v);
      if (!mt) return `"${v}" is not type/subtype`;
      return mt.errors.length ? mt.errors.join('; ') : null;
    },
  ),
  {
    id: 'charset-missing',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'A text response does not declare its charset.',
    detail: 'Without charset the recipient guesses the character encoding, and non-ASCII text may be garbled (or sniffed into another encoding).',
    reference: 'RFC 9110, Section 8.3.2',
    run: (ctx) => {
      const ct = ctx.contentType;
      return ct && wantsCharset(ct.essence) && !ct.params.has('charset') && ctx.hasBody
        ? [{ subject: headerSubject(ctx.resHeaders.all('content-type')[0]) }]
        : [];
    },
  },
  {
    id: 'charset-unknown',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'The declared charset is not a recognised character encoding.',
    detail: 'Clients that do not know the charset fall back to a default, so text may be decoded wrongly.',
    reference: 'RFC 9110, Section 8.3.2; Encoding Standard, https://encoding.spec.whatwg.org/',
    run: (ctx) => {
      const cs = ctx.contentType?.params.get('charset');
      if (!cs) return NOTHING;
      return knownCharset(cs) ? NOTHING : [{ subject: headerSubject(ctx.resHeaders.all('content-type')[0]), summary: `Unknown charset "${cs}".` }];
    },
  },
  {
    id: 'charset-on-json',
    level: 'info',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'application/json carries a charset parameter, which has no effect.',
    detail: 'JSON exchanged between systems is always UTF-8 and the media type defines no charset parameter; recipients ignore it.',
    reference: 'RFC 8259, Section 11',
    run: (ctx) =>
      ctx.contentType?.essence === 'application/json' && ctx.contentType.params.has('charset')
        ? [{ subject: headerSubject(ctx.resHeaders.all('content-type')[0]) }]
        : NOTHING,
  },
  {
    id: 'json-body-invalid',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'The response claims to be JSON but does not parse as JSON.',
    detail: 'Clients that trust Content-Type will fail to parse the body. Check the media type or the serializer.',
    reference: 'RFC 8259, Section 2',
    run: (ctx) => {
      const e = ctx.contentType?.essence ?? '';
      const text = ctx.res?.body.text;
      if (!(e === 'application/json' || e.endsWith('+json')) || !text || ctx.res?.body.truncated) return NOTHING;
      try {
        JSON.parse(text);
        return NOTHING;
      } catch (err) {
        return [{ subject: 'body', extra: err instanceof Error ? err.message : '' }];
      }
    },
  },
  {
    id: 'body-truncated',
    level: 'info',
    category: 'content',
    scope: 'response',
    summary: 'The body was cut at the Wire Lens body limit.',
    detail: 'Only the first part of the body is kept for display; size counts all of it. Checks on the body content are skipped.',
    reference: 'Wire Lens design notes',
    run: (ctx) => {
      const body = ctx.res?.body;
      if (!body?.truncated) return NOTHING;
      // A transfer stopped by an error (the body limit itself, a reset, a timeout) never read the rest, so size
      // counts what arrived, not the whole body.
      if (ctx.exchange.error)
        return [{ subject: 'body', summary: `Body cut at the limit; the transfer stopped after ${body.size} bytes, the rest was not read.` }];
      return [{ subject: 'body', summary: `Body cut at the display limit (${body.size} bytes in total).` }];
    },
  },

  // Compression
  {
    id: 'content-encoding-unknown',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'Content-Encoding names an unregistered or unusual coding.',
    detail: 'Clients that do not know the coding cannot read the content.',
    reference: 'RFC 9110, Section 8.4; IANA HTTP Content Coding Registry',
    run: (ctx) =>
      hits(ctx.resHeaders.all('content-encoding'), (l) =>
        splitList(l.value).items.some((c) => !KNOWN_CODINGS.has(c.toLowerCase()) && c.toLowerCase() !== 'identity'),
      ),
  },
  {
    id: 'content-encoding-identity',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'Content-Encoding says "identity".',
    detail: '"identity" means no coding and is reserved for Accept-Encoding; it must not appear in Content-Encoding.',
    reference: 'RFC 9110, Section 8.4.1',
    run: (ctx) => hits(ctx.resHeaders.all('content-encoding'), (l) => CONTENT_ENCODING_IDENTITY_RE.test(l.value)),
  },
  {
    id: 'content-encoding-not-accepted',
    level: 'bad',
    category: 'negotiation',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'The response uses a content coding the request did not accept.',
    detail: 'A server should only apply codings listed in Accept-Encoding; the client may not be able to decode this one.',
    reference: 'RFC 9110, Section 12.5.3',
    applies: (s) => s.reqNames.has('accept-encoding'),
    run: (ctx) => {
      const ae = ctx.req.headers.joined('accept-encoding');
      if (ae === null) return NOTHING;
      const accepted = splitList(ae)
        .items.map((x) => x.split(';')[0].trim().toLowerCase())
        .filter((x) => !CONTENT_ENCODING_NOT_ACCEPTED_RE.test(x));
      if (accepted.includes('*')) return NOTHING;
      return hits(ctx.resHeaders.all('content-encoding'), (l) =>
        splitList(l.value).items.some((c) => {
          const k = c.toLowerCase().replace(CONTENT_ENCODING_NOT_ACCEPTED_RE2, '');
          return k !== 'identity' && !accepted.includes(k) && !accepted.includes(`x-${k}`);
        }),
      );
    },
  },
  {
    id: 'compression-missing',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'A large text response was sent without compression.',
    detail: 'The client accepted compression but the server sent the text as is; gzip or br typically shrinks text by 60–80 percent.',
    reference: 'RFC 9110, Section 8.4',
    applies: (s) => s.reqNames.has('accept-encoding') && s.status !== 206 && !s.resNames.has('content-encoding'),
    run: (ctx) => {
      const ct = ctx.contentType;
      if (!ctx.res || !ct || !isCompressible(ct.essence) || ctx.resHeaders.has('content-encoding') || ctx.status === 206) return NOTHING;
      if (!COMPRESSION_MISSING_RE.test(ctx.req.headers.joined('accept-encoding') ?? '')) return NOTHING;
      return ctx.res.body.wireSize >= 4096
        ? [{ subject: 'body', summary: `${ctx.res.body.wireSize} bytes of ${ct.essence} sent uncompressed.` }]
        : [];
    },
  },
  {
    id: 'compression-used',
    level: 'good',
    category: 'content',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'The content was compressed.',
    detail: 'Compressed content saves bandwidth and time.',
    reference: 'RFC 9110, Section 8.4',
    run: (ctx) => {
      const b = ctx.res?.body;
      if (!b || !ctx.resHeaders.has('content-encoding') || b.wireSize === 0 || b.size <= b.wireSize) return NOTHING;
      return [{ subject: 'body', summary: `Compressed ${b.size} → ${b.wireSize} bytes (${Math.round((1 - b.wireSize / b.size) * 100)}% saved).` }];
    },
  },
  {
    id: 'compression-no-gain',
    level: 'info',
    category: 'content',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'Compression did not make the content smaller.',
    detail: 'The coded content is as large as or larger than the original; the content is probably already compressed.',
    reference: 'RFC 9110, Section 8.4',
    run: (ctx) => {
      const b = ctx.res?.body;
      return b && ctx.resHeaders.has('content-encoding') && b.wireSize > 0 && b.size > 0 && b.size <= b.wireSize && !b.truncated
        ? [{ subject: 'body' }]
        : [];
    },
  },
  {
    id: 'compression-vary-missing',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'A compressed response does not say Vary: Accept-Encoding.',
    detail: 'Caches may serve the compressed copy to clients that cannot decode it. Add Accept-Encoding to Vary.',
    reference: 'RFC 9110, Section 12.5.5',
    run: (ctx) => {
      if (!ctx.resHeaders.has('content-encoding') || COMPRESSION_VARY_MISSING_RE.test(ctx.resHeaders.joined('vary') ?? '')) return NOTHING;
      return [{ subject: headerSubject(ctx.resHeaders.all('content-encoding')[0]) }];
    },
  },
  {
    id: 'compression-of-compressed-type',
    level: 'info',
    category: 'content',
    scope: 'response',
    fields: ['content-encoding'],
    summary: 'Already-compressed media (images, archives) was compressed again.',
    detail: 'Formats like JPEG, PNG, WebP, ZIP and video gain little or nothing from gzip or br, and cost CPU.',
    reference: 'RFC 9110, Section 8.4',
    run: (ctx) => {
      const e = ctx.contentType?.essence ?? '';
      const already = COMPRESSION_OF_COMPRESSED_TYPE_RE.test(e);
      return already && ctx.resHeaders.has('content-encoding') ? [{ subject: headerSubject(ctx.resHeaders.all('content-encoding')[0]) }] : [];
    },
  },
  {
    id: 'text-without-type-sniffable',
    level: 'info',
    category: 'content',
    scope: 'response',
    fields: ['content-type'],
    summary: 'The body is textual but was sent as application/octet-stream.',
    detail: 'Generic binary types make browsers download the content instead of showing it. Use a specific media type.',
    reference: 'RFC 9110, Section 8.3',
    run: (ctx) =>
      ctx.contentType?.essence === 'application/octet-stream' &&
      typeof ctx.res?.body.text === 'string' &&
      TEXT_WITHOUT_TYPE_SNIFFABLE_RE.test(ctx.res.body.text)
        ? [{ subject: 'body' }]
        : NOTHING,
  },
];

defineChecks(checks);
