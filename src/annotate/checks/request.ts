// Request-side checks. They read only the request, so they also run on an unsent .http block (hover).
// Subjects: `request-header:<index>`, `request-body`, `request` (the request line).
import { KNOWN_METHODS } from '../../shared/methods';
import { headerField } from '../knowledge';
import { parseCacheControl } from '../parse/cacheControl';
import { parseHttpDate } from '../parse/dates';
import { isToken, splitList } from '../parse/lists';
import { parseMediaType } from '../parse/mediaType';
import { parseStructured } from '../parse/structured';
import { defineChecks, NOTHING, type CheckDef, type Finding } from './registry';
import { CONTROL, LINE_NAME_INVALID, LINE_VALUE_CONTROL, requestSubject, type CheckContext, type FieldLine } from './context';
import { someField } from './general';

const METHODS: ReadonlySet<string> = new Set(KNOWN_METHODS);

/** Values holding unresolved {{variables}} in a draft are not judged on syntax. */
function templated(v: string): boolean {
  return TEMPLATED_RE.test(v);
}

function eachReq(ctx: CheckContext, test: (l: FieldLine) => string | boolean | null): Finding[] {
  let out: Finding[] = NOTHING;
  const lines = ctx.req.headers.lines;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const r = test(l);
    if (!r) continue;
    const found: Finding = { subject: requestSubject(l), summary: typeof r === 'string' ? r : undefined };
    if (out === NOTHING) out = [found];
    else out.push(found);
  }
  return out;
}

/** A host name of letters, digits and hyphens (each label starting with a letter: no IPv4 number forms), or a
 * dotted-quad IPv4 address without leading zeros, and a port that is not zero-padded: URL.host keeps these as
 * written. */
const CANONICAL_AUTHORITY =
  /^(?:[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*|(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?::([1-9]\d{0,4}))?$/;

/**
 * The authority of an http(s) URL when `new URL(raw).host` would be that very text (or the URL would not parse:
 * a port above 65535), else null. A default port is not kept by URL.host, so it gives null.
 */
function canonicalAuthority(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const start = raw.startsWith('http://') ? 7 : raw.startsWith('https://') ? 8 : 0;
  if (start === 0) return null;
  let end = start;
  while (end < raw.length) {
    const c = raw.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const authority = raw.slice(start, end);
  const m = CANONICAL_AUTHORITY.exec(authority);
  if (m === null || (m[1] !== undefined && Number(m[1]) === (start === 7 ? 80 : 443))) return null;
  return authority;
}

/** A finding for every line of a field after its first (a field that must appear once). */
function afterFirst(lines: readonly FieldLine[]): Finding[] {
  if (lines.length < 2) return NOTHING;
  const out: Finding[] = [];
  for (let i = 1; i < lines.length; i++) out.push({ subject: requestSubject(lines[i]) });
  return out;
}

function reqSyntax(id: string, fields: string[], reference: string, detail: string, validate: (v: string) => string | null): CheckDef {
  const keys = new Set(fields.map((f) => f.toLowerCase()));
  return {
    id,
    level: 'bad',
    category: 'syntax',
    scope: 'request',
    reference,
    detail,
    summary: `${fields.join(' / ')} value is not valid.`,
    fields: fields.map((f) => f.toLowerCase()),
    run: (ctx) =>
      eachReq(ctx, (l) => {
        if (!keys.has(l.key) || templated(l.value)) return false;
        const e = validate(l.value);
        return e ? `${l.name}: ${e}` : false;
      }),
  };
}

function isLoopback(ctx: CheckContext): boolean {
  const h = ctx.req.url?.hostname.replace(/^\[|\]$/g, '') ?? '';
  return h === 'localhost' || h === '::1' || h.startsWith('127.');
}

function plainHttp(ctx: CheckContext): boolean {
  return PLAIN_HTTP_RE.test(ctx.req.rawUrl);
}

const ETAG_LIST = /^(\*|(W\/)?"[^"]*"(\s*,\s*(W\/)?"[^"]*")*)$/;

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const TEMPLATED_RE = /\{\{.*\}\}/;
const PLAIN_HTTP_RE = /^http:\/\//i;
const REQUEST_AUTHORIZATION_PLAIN_HTTP_RE = /^(authorization|proxy-authorization|x-api-key)$/i;
const REQUEST_BASIC_MALFORMED_RE = /^basic\s+(\S+)\s*$/i;
const AUTHORIZATION_NAME_RE = /^authorization$/i;
const REQUEST_BASIC_MALFORMED_RE2 = /^[A-Za-z0-9+/]+=*$/;
const REQUEST_BEARER_EMPTY_RE = /^bearer\s*$/i;
const REQUEST_EXPECT_WITHOUT_BODY_RE = /^expect$/i;
const REQUEST_EXPECT_WITHOUT_BODY_RE2 = /100-continue/i;
const REQUEST_IF_RANGE_SYNTAX_RE = /^"[^"]*"$/;
const REQUEST_RANGE_SYNTAX_RE = /^bytes=\s*(\d+-\d*|-\d+)(\s*,\s*(\d+-\d*|-\d+))*\s*$/i;
const Q_VALUE_RE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;
const REQUEST_Q_VALUE_SYNTAX_RE = /;\s*q=([^;,\s]*)/i;
const REQUEST_ORIGIN_SYNTAX_RE = /^(null|[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+)$/i;
const DIGITS_RE = /^\d+$/;
const REQUEST_PRAGMA_NO_CACHE_RE = /^pragma$/i;
const REQUEST_TE_INVALID_RE = /^te$/i;
const REQUEST_TE_INVALID_RE2 = /(^|,)\s*te\s*(,|$)/i;
const REQUEST_CONNECTION_HOP_BY_HOP_RE = /^(keep-alive|proxy-connection)$/i;

const checks: CheckDef[] = [
  {
    id: 'request-method-unknown',
    level: 'info',
    category: 'request',
    scope: 'request',
    summary: 'The method is not a registered HTTP method.',
    detail: 'Servers and proxies may reject unknown methods with 501 or 405.',
    reference: 'RFC 9110, Section 9; IANA HTTP Method Registry',
    applies: (s) => s.method !== '' && !METHODS.has(s.method) && s.method === s.method.toUpperCase(),
    run: (ctx) =>
      ctx.req.method && !METHODS.has(ctx.req.method) && ctx.req.method === ctx.req.method.toUpperCase() ? [{ subject: 'request' }] : NOTHING,
  },
  {
    id: 'request-method-lowercase',
    level: 'warning',
    category: 'request',
    scope: 'request',
    summary: 'The method is not in upper case.',
    detail: 'Method names are case-sensitive: "get" is a different (unknown) method from GET.',
    reference: 'RFC 9110, Section 9.1',
    applies: (s) => s.method !== s.method.toUpperCase(),
    run: (ctx) => (ctx.req.method !== ctx.req.method.toUpperCase() ? [{ subject: 'request' }] : NOTHING),
  },
  {
    id: 'request-url-credentials',
    level: 'warning',
    category: 'security',
    scope: 'request',
    summary: 'The URL contains user:password credentials.',
    detail: 'Userinfo in http(s) URLs is deprecated; it ends up in logs and history. Use an Authorization header.',
    reference: 'RFC 9110, Section 4.2.4',
    run: (ctx) => {
      // Only an "@" in the URL text makes user info: most URLs need no parsing to say there is none.
      const raw: unknown = ctx.req.rawUrl;
      if (typeof raw === 'string' && !raw.includes('@')) return NOTHING;
      return ctx.req.url && (ctx.req.url.username || ctx.req.url.password) ? [{ subject: 'request' }] : NOTHING;
    },
  },
  {
    id: 'request-body-on-get',
    level: 'warning',
    category: 'request',
    scope: 'request',
    summary: 'A GET, HEAD or DELETE request carries a body.',
    detail: 'Content in these requests has no defined meaning; servers may ignore it or reject the request, and some proxies drop it.',
    reference: 'RFC 9110, Section 9.3.1',
    applies: (s) => s.method === 'GET' || s.method === 'HEAD' || s.method === 'DELETE',
    run: (ctx) =>
      ['GET', 'HEAD', 'DELETE'].includes(ctx.req.method) && (ctx.req.bodySize > 0 || !!ctx.req.bodyText) ? [{ subject: 'request-body' }] : NOTHING,
  },
  {
    id: 'request-content-type-missing',
    level: 'warning',
    category: 'request',
    scope: 'request',
    summary: 'The request has a body but no Content-Type.',
    detail: 'Without a media type the server has to guess how to read the body, and many frameworks reject or misparse it.',
    reference: 'RFC 9110, Section 8.3',
    applies: (s) => !s.reqNames.has('content-type'),
    run: (ctx) => ((ctx.req.bodySize > 0 || !!ctx.req.bodyText) && !ctx.req.headers.has('content-type') ? [{ subject: 'request-body' }] : NOTHING),
  },
  {
    id: 'request-json-invalid',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['content-type'],
    summary: 'The request body is labelled JSON but does not parse as JSON.',
    detail: 'The server will most likely answer 400. Check for trailing commas, comments or unresolved variables.',
    reference: 'RFC 8259, Section 2',
    run: (ctx) => {
      const ct = ctx.req.headers.first('content-type');
      const mt = ct ? parseMediaType(ct.value) : null;
      const body = ctx.req.bodyText;
      if (!mt || !(mt.essence === 'application/json' || mt.essence.endsWith('+json')) || !body || templated(body)) return NOTHING;
      try {
        JSON.parse(body);
        return NOTHING;
      } catch (e) {
        return [{ subject: 'request-body', extra: e instanceof Error ? e.message : '' }];
      }
    },
  },
  {
    id: 'request-authorization-plain-http',
    level: 'warning',
    category: 'security',
    scope: 'request',
    fields: ['authorization', 'proxy-authorization', 'x-api-key'],
    summary: 'Credentials are sent over plain HTTP.',
    detail:
      'Authorization (and API key) headers travel unencrypted over http and can be read by anyone on the path. Basic credentials are only base64-encoded.',
    reference: 'RFC 9110, Section 11.6.2; RFC 7617, Section 4',
    run: (ctx) => (plainHttp(ctx) && !isLoopback(ctx) ? eachReq(ctx, (l) => REQUEST_AUTHORIZATION_PLAIN_HTTP_RE.test(l.name)) : NOTHING),
  },
  {
    id: 'request-basic-malformed',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['authorization'],
    summary: 'Basic credentials are not base64 of "user:password".',
    detail:
      'Basic expects base64 of the user id, a colon and the password. Some clients (REST Client) also accept "Basic user password" and encode it for you.',
    reference: 'RFC 7617, Section 2',
    run: (ctx) =>
      eachReq(ctx, (l) => {
        const m = REQUEST_BASIC_MALFORMED_RE.exec(l.value);
        if (!AUTHORIZATION_NAME_RE.test(l.name) || !m || templated(l.value)) return false;
        // In an .http file "Basic user:password" is written in clear and encoded when sent.
        if (ctx.req.draft && m[1].includes(':')) return false;
        if (!REQUEST_BASIC_MALFORMED_RE2.test(m[1])) return true;
        return !Buffer.from(m[1], 'base64').toString('utf8').includes(':');
      }),
  },
  {
    id: 'request-bearer-empty',
    level: 'bad',
    category: 'request',
    scope: 'request',
    fields: ['authorization'],
    summary: 'Authorization: Bearer has no token.',
    detail: 'The Bearer scheme needs a token after one space; the server will answer 401.',
    reference: 'RFC 6750, Section 2.1',
    run: (ctx) => eachReq(ctx, (l) => AUTHORIZATION_NAME_RE.test(l.name) && REQUEST_BEARER_EMPTY_RE.test(l.value)),
  },
  {
    id: 'request-host-duplicate',
    level: 'bad',
    category: 'request',
    scope: 'request',
    fields: ['host'],
    summary: 'The request has more than one Host header.',
    detail: 'A server must reject a request with several Host lines (400); proxies that pick different ones can be abused.',
    reference: 'RFC 9112, Section 3.2',
    run: (ctx) => afterFirst(ctx.req.headers.all('host')),
  },
  {
    id: 'request-host-mismatch',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['host'],
    summary: 'The Host header differs from the host in the URL.',
    detail: 'The connection goes to the URL host but the server routes on Host; useful for testing virtual hosts, confusing otherwise.',
    reference: 'RFC 9110, Section 7.2',
    run: (ctx) => {
      const h = ctx.req.headers.first('host');
      if (!h) return NOTHING;
      // The engine writes Host from the URL: when it is the URL's authority, already in the form URL.host gives,
      // they agree without parsing the URL.
      const authority = canonicalAuthority(ctx.req.rawUrl);
      if (authority !== null && h.value === authority) return NOTHING;
      if (!ctx.req.url || templated(h.value)) return NOTHING;
      const host = ctx.req.url.host;
      // The engine writes Host from the URL: the same text (most requests) needs no case folding.
      if (h.value === host) return NOTHING;
      return h.value.trim().toLowerCase() !== host.toLowerCase() ? [{ subject: requestSubject(h) }] : NOTHING;
    },
  },
  {
    id: 'request-header-repeated',
    level: 'warning',
    category: 'syntax',
    scope: 'request',
    summary: 'A single-valued request field appears more than once.',
    detail: 'Only list-based fields may be repeated; servers pick one copy or reject the request.',
    reference: 'RFC 9110, Section 5.3',
    applies: (s) => someField(s.reqNames, (f) => f?.repeatable === false),
    run: (ctx) => {
      if (!ctx.req.headers.repeated) return NOTHING;
      const seen = new Set<string>();
      return eachReq(ctx, (l) => {
        const k = l.name.toLowerCase();
        const f = headerField(k);
        const dup = seen.has(k) && f?.repeatable === false && k !== 'host' && k !== 'cookie';
        seen.add(k);
        return dup && `${f?.name ?? l.name} appears more than once.`;
      });
    },
  },
  {
    id: 'request-cookie-multiple',
    level: 'warning',
    category: 'cookies',
    scope: 'request',
    fields: ['cookie'],
    summary: 'More than one Cookie header in an HTTP/1.1 request.',
    detail: 'Clients send a single Cookie line with pairs separated by "; ". Many servers read only the first line.',
    reference: 'RFC 6265, Section 5.4',
    run: (ctx) => afterFirst(ctx.req.headers.all('cookie')),
  },
  {
    id: 'request-response-header',
    level: 'warning',
    category: 'request',
    scope: 'request',
    summary: 'A response-only field is sent in a request.',
    detail: 'The field is defined for responses; servers ignore it in a request.',
    reference: 'RFC 9110, Section 5',
    applies: (s) => someField(s.reqNames, (f) => f?.context === 'response'),
    run: (ctx) => eachReq(ctx, (l) => headerField(l.name)?.context === 'response' && `${headerField(l.name)?.name} is a response field.`),
  },
  {
    id: 'request-header-deprecated',
    level: 'info',
    category: 'request',
    scope: 'request',
    summary: 'A deprecated request field is sent.',
    detail: 'The field is deprecated or obsolete; servers may ignore it.',
    reference: 'IANA HTTP Field Name Registry, https://www.iana.org/assignments/http-fields/',
    applies: (s) => someField(s.reqNames, (f) => f?.deprecated === true),
    run: (ctx) => eachReq(ctx, (l) => headerField(l.name)?.deprecated === true && `${headerField(l.name)?.name} is deprecated.`),
  },
  {
    id: 'request-header-unknown',
    level: 'info',
    category: 'request',
    scope: 'request',
    summary: 'This request field is not in the Wire Lens knowledge base.',
    detail: 'It may be application-specific, or a misspelling of a standard field.',
    reference: 'IANA HTTP Field Name Registry, https://www.iana.org/assignments/http-fields/',
    applies: (s) => someField(s.reqNames, (f) => f === undefined),
    run: (ctx) => eachReq(ctx, (l) => isToken(l.name) && !headerField(l.name) && `${l.name} is not a known field.`),
  },
  {
    id: 'request-header-name-invalid',
    level: 'bad',
    category: 'syntax',
    scope: 'request',
    summary: 'A request field name contains characters that are not allowed.',
    detail: 'Field names must be tokens (no spaces, colons or quotes); servers answer 400.',
    reference: 'RFC 9110, Section 5.1',
    run: (ctx) =>
      ctx.req.headers.facts() & LINE_NAME_INVALID ? eachReq(ctx, (l) => !isToken(l.name) && `"${l.name}" is not a valid field name.`) : NOTHING,
  },
  {
    id: 'request-header-value-control',
    level: 'bad',
    category: 'syntax',
    scope: 'request',
    summary: 'A request field value contains control characters.',
    detail: 'Control characters are forbidden in field values and are rejected by servers.',
    reference: 'RFC 9110, Section 5.5',
    run: (ctx) => (ctx.req.headers.facts() & LINE_VALUE_CONTROL ? eachReq(ctx, (l) => CONTROL.test(l.value)) : NOTHING),
  },
  {
    id: 'request-content-length-mismatch',
    level: 'bad',
    category: 'request',
    scope: 'request',
    fields: ['content-length'],
    summary: 'The request Content-Length does not match the body sent.',
    detail: 'A wrong length makes the server wait for bytes that never come, or read the rest as a new request.',
    reference: 'RFC 9112, Section 6.3',
    applies: (s) => !s.draft && !s.reqNames.has('transfer-encoding'),
    run: (ctx) => {
      const cl = ctx.req.headers.first('content-length');
      if (!cl || ctx.req.draft || templated(cl.value) || ctx.req.headers.has('transfer-encoding')) return NOTHING;
      return Number(cl.value.trim()) !== ctx.req.bodySize
        ? [{ subject: requestSubject(cl), summary: `Content-Length says ${cl.value.trim()} but ${ctx.req.bodySize} bytes were sent.` }]
        : [];
    },
  },
  {
    id: 'request-transfer-encoding-and-length',
    level: 'bad',
    category: 'request',
    scope: 'request',
    fields: ['transfer-encoding'],
    summary: 'The request has both Transfer-Encoding and Content-Length.',
    detail: 'Senders must not send both; servers that disagree on which wins are vulnerable to request smuggling.',
    reference: 'RFC 9112, Section 6.2',
    applies: (s) => s.reqNames.has('content-length'),
    run: (ctx) =>
      ctx.req.headers.has('transfer-encoding') ? ctx.req.headers.all('content-length').map((l) => ({ subject: requestSubject(l) })) : NOTHING,
  },
  {
    id: 'request-expect-without-body',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['expect'],
    summary: 'Expect: 100-continue on a request without a body.',
    detail: 'A client must not send 100-continue when there is no content; it only adds a wait.',
    reference: 'RFC 9110, Section 10.1.1',
    run: (ctx) =>
      ctx.req.bodySize === 0 && !ctx.req.bodyText
        ? eachReq(ctx, (l) => REQUEST_EXPECT_WITHOUT_BODY_RE.test(l.name) && REQUEST_EXPECT_WITHOUT_BODY_RE2.test(l.value))
        : NOTHING,
  },
  reqSyntax(
    'request-date-syntax',
    ['If-Modified-Since', 'If-Unmodified-Since', 'Date', 'Accept-Datetime'],
    'RFC 9110, Section 5.6.7',
    'Date fields must be HTTP dates such as "Sun, 06 Nov 1994 08:49:37 GMT"; servers ignore an invalid conditional date.',
    (v) => (parseHttpDate(v) ? null : `"${v}" is not an HTTP date`),
  ),
  reqSyntax('request-if-range-syntax', ['If-Range'], 'RFC 9110, Section 13.1.5', 'If-Range is a single strong entity tag or an HTTP date.', (v) =>
    REQUEST_IF_RANGE_SYNTAX_RE.test(v.trim()) || parseHttpDate(v) ? null : `"${v}" is neither a strong entity tag nor a date`,
  ),
  reqSyntax(
    'request-etag-syntax',
    ['If-Match', 'If-None-Match'],
    'RFC 9110, Section 8.8.3',
    'These fields hold "*" or a list of quoted entity tags (optionally W/-prefixed). Unquoted tags never match.',
    (v) => (ETAG_LIST.test(v.trim()) ? null : `${v} is not "*" or a list of quoted entity tags`),
  ),
  reqSyntax(
    'request-range-syntax',
    ['Range'],
    'RFC 9110, Section 14.2',
    'A byte range is "bytes=first-last", "bytes=first-" or "bytes=-suffix", comma-separated for several.',
    (v) => (REQUEST_RANGE_SYNTAX_RE.test(v.trim()) ? null : `"${v}" is not a byte range set`),
  ),
  reqSyntax(
    'request-content-type-syntax',
    ['Content-Type'],
    'RFC 9110, Section 8.3.1',
    'Content-Type is type/subtype followed by optional parameters.',
    (v) => {
      const m = parseMediaType(v);
      return !m ? `"${v}" is not type/subtype` : m.errors.length ? m.errors.join('; ') : null;
    },
  ),
  reqSyntax(
    'request-accept-syntax',
    ['Accept'],
    'RFC 9110, Section 12.5.1',
    'Accept lists media ranges (type/subtype, type/* or */*) with optional q weights between 0 and 1.',
    (v) =>
      splitList(v).items.every((r) => {
        const m = parseMediaType(r);
        return m && (!m.params.has('q') || Q_VALUE_RE.test(m.params.get('q') ?? ''));
      })
        ? null
        : `"${v}" is not a list of media ranges`,
  ),
  reqSyntax(
    'request-q-value-syntax',
    ['Accept-Encoding', 'Accept-Language', 'Accept-Charset'],
    'RFC 9110, Section 12.4.2',
    'Weights are written ;q= with a value from 0 to 1 and at most three decimals.',
    (v) =>
      splitList(v).items.every((x) => {
        const q = REQUEST_Q_VALUE_SYNTAX_RE.exec(x);
        return !q || Q_VALUE_RE.test(q[1]);
      })
        ? null
        : 'a q value is not between 0 and 1 with up to 3 decimals',
  ),
  reqSyntax(
    'request-cache-control-syntax',
    ['Cache-Control'],
    'RFC 9111, Section 5.2',
    'Cache-Control directives are tokens with optional token or quoted-string values.',
    (v) => {
      const e = parseCacheControl(v).errors;
      return e.length ? e.join('; ') : null;
    },
  ),
  reqSyntax('request-origin-syntax', ['Origin'], 'RFC 6454, Section 7.1', 'Origin is "null" or scheme://host[:port] with no path.', (v) =>
    REQUEST_ORIGIN_SYNTAX_RE.test(v.trim()) ? null : `"${v}" is not a serialized origin`,
  ),
  reqSyntax('request-content-length-syntax', ['Content-Length'], 'RFC 9110, Section 8.6', 'Content-Length is a decimal number of bytes.', (v) =>
    DIGITS_RE.test(v.trim()) ? null : `"${v}" is not a number`,
  ),
  {
    id: 'request-structured-field-syntax',
    level: 'bad',
    category: 'syntax',
    scope: 'request',
    summary: 'A Structured Field request value does not parse.',
    detail: 'This field is defined with Structured Field Values; a server that cannot parse it ignores it.',
    reference: 'RFC 9651, Section 4.2',
    applies: (s) => someField(s.reqNames, (f) => f?.structured !== undefined),
    run: (ctx) =>
      eachReq(ctx, (l) => {
        const f = headerField(l.name);
        if (!f?.structured || templated(l.value)) return false;
        const r = parseStructured(f.structured, l.value);
        return !r.ok && `${f.name} is not a valid structured ${f.structured}: ${r.error}.`;
      }),
  },
  {
    id: 'request-pragma-no-cache',
    level: 'info',
    category: 'request',
    scope: 'request',
    fields: ['pragma'],
    summary: 'Pragma: no-cache is an HTTP/1.0 leftover.',
    detail: 'Use Cache-Control: no-cache; Pragma only matters to HTTP/1.0 caches.',
    reference: 'RFC 9111, Section 5.4',
    applies: (s) => !s.reqNames.has('cache-control'),
    run: (ctx) => eachReq(ctx, (l) => REQUEST_PRAGMA_NO_CACHE_RE.test(l.name) && !ctx.req.headers.has('cache-control')),
  },
  {
    id: 'request-te-invalid',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['te'],
    summary: 'TE is sent without "TE" in Connection.',
    detail: 'TE is hop-by-hop: whoever sends it must also list "TE" in Connection, so that intermediaries drop it instead of forwarding it.',
    reference: 'RFC 9110, Section 10.1.4',
    run: (ctx) => eachReq(ctx, (l) => REQUEST_TE_INVALID_RE.test(l.name) && !REQUEST_TE_INVALID_RE2.test(ctx.req.headers.joined('connection') ?? '')),
  },
  {
    id: 'request-user-agent-missing',
    level: 'info',
    category: 'request',
    scope: 'request',
    summary: 'The request has no User-Agent.',
    detail: 'Some servers and firewalls reject requests without User-Agent. Wire Lens adds its own unless the request writes one.',
    reference: 'RFC 9110, Section 10.1.5',
    applies: (s) => !s.draft && !s.reqNames.has('user-agent'),
    run: (ctx) => (!ctx.req.draft && !ctx.req.headers.has('user-agent') ? [{ subject: 'request' }] : NOTHING),
  },
  {
    id: 'request-connection-hop-by-hop',
    level: 'info',
    category: 'request',
    scope: 'request',
    fields: ['keep-alive', 'proxy-connection'],
    summary: 'The request sets hop-by-hop fields (Keep-Alive, Proxy-Connection).',
    detail: 'These fields only concern the next hop; HTTP/1.1 keeps connections open by default, so they are unnecessary.',
    reference: 'RFC 9110, Section 7.6.1',
    run: (ctx) => eachReq(ctx, (l) => REQUEST_CONNECTION_HOP_BY_HOP_RE.test(l.name)),
  },
];

defineChecks(checks);
