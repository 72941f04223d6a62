// Syntax checks and signals for less central fields: Content-Disposition, Link, Content-Language, Clear-Site-Data,
// Alt-Svc, Server-Timing, CORS method lists, deprecation and rate-limit signals, and the request Cookie field.
import { isToken, parseParams, splitList, splitOutsideQuotes, unquote } from '../parse/lists';
import { parseHttpDate } from '../parse/dates';
import { parseSfList, isInnerList } from '../parse/structured';
import { defineChecks, NOTHING, type CheckDef } from './registry';
import { hits, headerSubject, requestSubject } from './context';
import { responseSyntaxCheck } from './general';

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const CLEAR_TYPES = new Set(['cache', 'cookies', 'storage', 'executionContexts', 'clientHints', 'prefetchCache', 'prerenderCache', '*']);

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const CONTENT_DISPOSITION_SYNTAX_RE = /^[A-Za-z0-9!#$%&+^_`{}~-]+'[A-Za-z0-9-]*'[A-Za-z0-9!#$&+.^_`|~%-]+$/;
const CONTENT_DISPOSITION_NON_ASCII_FILENAME_RE = /[^\x20-\x7e]/;
const LINK_SYNTAX_RE = /^<[^<>]*>\s*(;.*)?$/;
const LINK_PRELOAD_WITHOUT_AS_RE = /;\s*rel="?preload"?/i;
const LINK_PRELOAD_WITHOUT_AS_RE2 = /;\s*as=/i;
const ALT_SVC_SYNTAX_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+="[^"]*:\d+"(\s*;\s*[a-z]+=[^;,]+)*$/;
const SERVER_TIMING_SYNTAX_RE = /^\d+(\.\d+)?$/;
const WWW_AUTHENTICATE_BASIC_PLAIN_HTTP_RE = /(^|,)\s*basic\b/i;
const X_ROBOTS_NOINDEX_RE = /\b(noindex|none)\b/i;
const TEMPLATE_RE = /\{\{/;
const REQUEST_COOKIE_SYNTAX_RE = /^\s*[^=\s;,]+=[^;]*$/;

const checks: CheckDef[] = [
  responseSyntaxCheck(
    'content-disposition-syntax',
    'Content-Disposition',
    'RFC 6266, Section 4.1',
    "Content-Disposition is a disposition type (inline, attachment or a token) followed by parameters; filename* uses the RFC 8187 form charset'lang'pct-encoded.",
    (v) => {
      const [type, ...rest] = splitOutsideQuotes(v, ';');
      if (!isToken(type.trim())) return `"${type.trim()}" is not a disposition type`;
      const p = parseParams(rest.join(';'));
      if (p.errors.length) return p.errors.join('; ');
      const ext = p.params.find(([k]) => k === 'filename*');
      if (ext && !CONTENT_DISPOSITION_SYNTAX_RE.test(ext[1] ?? '')) return "filename* is not in the charset'lang'value form";
      return null;
    },
  ),
  {
    id: 'content-disposition-non-ascii-filename',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['content-disposition'],
    summary: 'A non-ASCII filename is sent without filename*.',
    detail:
      "Plain filename= has no defined encoding for non-ASCII characters, so browsers show different names. Add filename*=UTF-8''… with percent-encoding.",
    reference: 'RFC 6266, Section 4.3',
    run: (ctx) =>
      hits(ctx.resHeaders.all('content-disposition'), (l) => {
        const p = parseParams(splitOutsideQuotes(l.value, ';').slice(1).join(';')).params;
        const fn = p.find(([k]) => k === 'filename')?.[1] ?? '';
        return CONTENT_DISPOSITION_NON_ASCII_FILENAME_RE.test(fn) && !p.some(([k]) => k === 'filename*');
      }),
  },
  responseSyntaxCheck(
    'link-syntax',
    'Link',
    'RFC 8288, Section 3',
    'Each link is a URI reference in angle brackets followed by ;-separated parameters such as rel.',
    (v) => (splitList(v).items.every((x) => LINK_SYNTAX_RE.test(x)) ? null : `"${v}" has a link without <URI>`),
  ),
  {
    id: 'link-preload-without-as',
    level: 'warning',
    category: 'content',
    scope: 'response',
    fields: ['link'],
    summary: 'A rel=preload link has no "as" attribute.',
    detail:
      'Browsers need as= (script, style, font, image…) to prioritise a preload and to match it with the later use; without it the resource may be fetched twice.',
    reference: 'HTML Standard, Link type "preload", https://html.spec.whatwg.org/multipage/links.html#link-type-preload',
    run: (ctx) =>
      hits(ctx.resHeaders.all('link'), (l) =>
        splitList(l.value).items.some((x) => LINK_PRELOAD_WITHOUT_AS_RE.test(x) && !LINK_PRELOAD_WITHOUT_AS_RE2.test(x)),
      ),
  },
  responseSyntaxCheck(
    'content-language-syntax',
    'Content-Language',
    'RFC 9110, Section 8.5; RFC 5646',
    'Content-Language is a comma-separated list of language tags such as en, en-US or zh-Hant.',
    (v) => (splitList(v).items.every((t) => LANGUAGE_TAG.test(t)) ? null : `"${v}" is not a list of language tags`),
  ),
  responseSyntaxCheck(
    'clear-site-data-syntax',
    'Clear-Site-Data',
    'Clear Site Data, https://www.w3.org/TR/clear-site-data/',
    'Each type must be a quoted string: "cache", "cookies", "storage", "executionContexts" or "*". Unquoted names are ignored.',
    (v) =>
      splitList(v).items.every((t) => {
        const u = unquote(t);
        return u !== null && CLEAR_TYPES.has(u);
      })
        ? null
        : `"${v}" has an unquoted or unknown type`,
  ),
  responseSyntaxCheck(
    'alt-svc-syntax',
    'Alt-Svc',
    'RFC 7838, Section 3',
    'Alt-Svc is "clear" or a list of protocol-id="host:port" entries with optional ma= and persist= parameters.',
    (v) =>
      v.trim() === 'clear' || splitList(v).items.every((x) => ALT_SVC_SYNTAX_RE.test(x))
        ? null
        : `"${v}" is not "clear" or a list of protocol="authority"`,
  ),
  responseSyntaxCheck(
    'server-timing-syntax',
    'Server-Timing',
    'Server Timing, https://www.w3.org/TR/server-timing/',
    'Server-Timing lists metrics: a name (token) with optional dur=<milliseconds> and desc=<text> parameters.',
    (v) =>
      splitList(v).items.every((m) => {
        const [name, ...params] = splitOutsideQuotes(m, ';');
        if (!isToken(name.trim())) return false;
        return params.every((p) => {
          const [k, val] = p.split('=');
          return k.trim().toLowerCase() !== 'dur' || SERVER_TIMING_SYNTAX_RE.test((val ?? '').trim());
        });
      })
        ? null
        : `"${v}" has a metric without a token name or with a non-numeric dur`,
  ),
  responseSyntaxCheck(
    'cors-allow-methods-syntax',
    'Access-Control-Allow-Methods',
    'Fetch Standard, https://fetch.spec.whatwg.org/#http-new-header-syntax',
    'Access-Control-Allow-Methods is a comma-separated list of method names (or *).',
    (v) => (splitList(v).items.every((m) => isToken(m)) ? null : `"${v}" is not a list of methods`),
  ),
  {
    id: 'resource-deprecated',
    level: 'warning',
    category: 'general',
    scope: 'response',
    fields: ['deprecation'],
    summary: 'The server marks this resource as deprecated.',
    detail: 'A Deprecation header says the resource is (or will be) deprecated; a Link with rel="deprecation" may point to details. Plan to migrate.',
    reference: 'RFC 9745, Section 2',
    run: (ctx) => ctx.resHeaders.all('deprecation').map((l) => ({ subject: headerSubject(l) })),
  },
  {
    id: 'resource-sunset',
    level: 'warning',
    category: 'general',
    scope: 'response',
    fields: ['sunset'],
    summary: 'The resource has a Sunset date.',
    detail: 'After the Sunset date the resource is expected to stop answering.',
    reference: 'RFC 8594, Section 3',
    run: (ctx) =>
      ctx.resHeaders.all('sunset').map((l) => {
        const d = parseHttpDate(l.value);
        return {
          subject: headerSubject(l),
          summary: d ? `The resource goes away on ${new Date(d.time).toUTCString()}${d.time < ctx.now ? ' (already past)' : ''}.` : undefined,
        };
      }),
  },
  {
    id: 'rate-limit-exhausted',
    level: 'warning',
    category: 'general',
    scope: 'response',
    fields: ['x-ratelimit-remaining', 'ratelimit-remaining', 'ratelimit'],
    summary: 'The rate-limit quota is used up.',
    detail: 'The server reports no requests left in the current window; further requests will likely get 429 until it resets.',
    reference: 'draft-ietf-httpapi-ratelimit-headers, https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/',
    run: (ctx) => {
      const legacy = [...ctx.resHeaders.all('x-ratelimit-remaining'), ...ctx.resHeaders.all('ratelimit-remaining')].filter(
        (l) => l.value.trim() === '0',
      );
      const sf = ctx.resHeaders.all('ratelimit').filter((l) => {
        const r = parseSfList(l.value);
        return r.ok && r.value.some((m) => !isInnerList(m) && m.params.some(([k, v]) => k === 'r' && v.type === 'integer' && v.value === 0));
      });
      return [...legacy, ...sf].map((l) => ({ subject: headerSubject(l) }));
    },
  },
  {
    id: 'cache-status-hit',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-status'],
    summary: 'A cache on the path reports a hit (Cache-Status).',
    detail: 'Cache-Status lists, per cache, whether it served the response (hit) or forwarded it (fwd=…).',
    reference: 'RFC 9211, Section 2.1',
    run: (ctx) =>
      hits(ctx.resHeaders.all('cache-status'), (l) => {
        const r = parseSfList(l.value);
        return r.ok && r.value.some((m) => m.params.some(([k, v]) => k === 'hit' && v.type === 'boolean' && v.value));
      }),
  },
  {
    id: 'www-authenticate-basic-plain-http',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['www-authenticate'],
    summary: 'The server asks for Basic credentials over plain HTTP.',
    detail: 'Basic sends the password base64-encoded, which anyone on the network can decode. Only offer it over HTTPS.',
    reference: 'RFC 7617, Section 4',
    applies: (s) => !s.https,
    run: (ctx) => (!ctx.isHttps ? hits(ctx.resHeaders.all('www-authenticate'), (l) => WWW_AUTHENTICATE_BASIC_PLAIN_HTTP_RE.test(l.value)) : NOTHING),
  },
  {
    id: 'x-robots-noindex',
    level: 'info',
    category: 'general',
    scope: 'response',
    fields: ['x-robots-tag'],
    summary: 'Search engines are asked not to index this response.',
    detail: 'X-Robots-Tag: noindex keeps the URL out of search results; make sure this is intended on public pages.',
    reference: 'Google Search Central, https://developers.google.com/search/docs/crawling-indexing/robots-meta-tag',
    run: (ctx) => hits(ctx.resHeaders.all('x-robots-tag'), (l) => X_ROBOTS_NOINDEX_RE.test(l.value)),
  },

  // Request
  {
    id: 'request-cookie-syntax',
    level: 'bad',
    category: 'cookies',
    scope: 'request',
    fields: ['cookie'],
    summary: 'The Cookie header is not a list of name=value pairs.',
    detail: 'Cookie holds name=value pairs separated by "; " (semicolon and space). Servers split on that; other separators merge cookies.',
    reference: 'RFC 6265, Section 4.2.1',
    run: (ctx) =>
      hits(
        ctx.req.headers.all('cookie'),
        (l) => !TEMPLATE_RE.test(l.value) && !l.value.split(';').every((p) => REQUEST_COOKIE_SYNTAX_RE.test(p)),
        requestSubject,
      ),
  },
  {
    id: 'request-upgrade-insecure-value',
    level: 'warning',
    category: 'request',
    scope: 'request',
    fields: ['upgrade-insecure-requests'],
    summary: 'Upgrade-Insecure-Requests should be "1".',
    detail: 'Browsers send the value 1; servers that redirect on it may not recognise other values.',
    reference: 'Upgrade Insecure Requests, https://www.w3.org/TR/upgrade-insecure-requests/',
    run: (ctx) => hits(ctx.req.headers.all('upgrade-insecure-requests'), (l) => l.value.trim() !== '1' && !TEMPLATE_RE.test(l.value), requestSubject),
  },
];

defineChecks(checks);
