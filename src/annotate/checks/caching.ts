// Caching checks: Cache-Control syntax and conflicts, freshness lifetime and age (RFC 9111, Section 4.2),
// heuristic freshness, Expires, Age, Date, validators and Vary.
import { directive, has, seconds, KNOWN_RESPONSE_DIRECTIVES, type CacheControl } from '../parse/cacheControl';
import { parseHttpDate } from '../parse/dates';
import { splitList, isToken } from '../parse/lists';
import { defineChecks, NOTHING, type CheckDef, type Finding } from './registry';
import { hits, headerSubject, type CheckContext } from './context';
import { responseSyntaxCheck } from './general';

/** Status codes cacheable by default (heuristically), RFC 9110, Section 15.1. */
const HEURISTIC_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

export interface Freshness {
  /** Seconds, or null when the response gives no explicit or heuristic lifetime. */
  lifetime: number | null;
  source: 's-maxage' | 'max-age' | 'expires' | 'heuristic' | null;
  /** Current age in seconds (RFC 9111, Section 4.2.3, simplified to what one exchange shows). */
  age: number;
  fresh: boolean;
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

/** Freshness lifetime and age as a private cache would compute them for this response (once per context). */
export function computeFreshness(ctx: CheckContext): Freshness {
  return (ctx.freshnessMemo ??= freshness(ctx)) as Freshness;
}

function freshness(ctx: CheckContext): Freshness {
  const cc = ctx.cacheControl;
  const date = ctx.responseTime;
  const ageLine = ctx.resHeaders.first('age');
  const ageValue = ageLine && DIGITS_RE.test(ageLine.value.trim()) ? Number(ageLine.value.trim()) : 0;
  // apparent_age = max(0, response_time - date_value); corrected age adds the Age header value.
  const apparent = Math.max(0, Math.round((ctx.responseArrival - date) / 1000));
  const age = Math.max(apparent, ageValue);
  let lifetime: number | null = null;
  let source: Freshness['source'] = null;
  const maxAge = seconds(cc, 'max-age');
  const expires = ctx.resHeaders.first('expires');
  if (maxAge !== null) {
    lifetime = maxAge;
    source = 'max-age';
  } else if (expires) {
    const e = parseHttpDate(expires.value);
    lifetime = e ? Math.max(0, Math.round((e.time - date) / 1000)) : 0;
    source = 'expires';
  } else {
    const lm = ctx.resHeaders.first('last-modified');
    const lmd = lm ? parseHttpDate(lm.value) : null;
    if (lmd && HEURISTIC_STATUSES.has(ctx.status) && !has(cc, 'no-cache') && !has(cc, 'no-store')) {
      // The common heuristic: 10% of the time since last modification (RFC 9111, Section 4.2.2).
      lifetime = Math.max(0, Math.round((date - lmd.time) / 10000));
      source = 'heuristic';
    }
  }
  return { lifetime, source, age, fresh: lifetime !== null && lifetime > age };
}

const DATE_FIELDS = ['date', 'expires', 'last-modified', 'retry-after'];

function ccSubject(ctx: CheckContext): string {
  const l = ctx.resHeaders.first('cache-control');
  return l ? headerSubject(l) : 'status';
}

function storable(cc: CacheControl): boolean {
  return !has(cc, 'no-store');
}

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const DIGITS_RE = /^\d+$/;
const ETAG_SYNTAX_RE = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;
const CONDITIONAL_IGNORED_RE = /^W\//;

const checks: CheckDef[] = [
  {
    id: 'cache-control-syntax',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'Cache-Control has a syntax error.',
    detail:
      'Directives are tokens, optionally "=" and a token or quoted string; seconds values are plain digits. Caches ignore or misread malformed directives.',
    reference: 'RFC 9111, Section 5.2',
    run: (ctx) =>
      ctx.cacheControl.errors.length ? [{ subject: ccSubject(ctx), summary: `Cache-Control: ${ctx.cacheControl.errors.join('; ')}.` }] : NOTHING,
  },
  {
    id: 'cache-control-unknown-directive',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'Cache-Control has a directive caches may not know.',
    detail: 'Unknown directives are ignored by caches that do not implement them; check the spelling.',
    reference: 'RFC 9111, Section 5.2.3',
    run: (ctx) => {
      const unknown = ctx.cacheControl.directives.filter((d) => !KNOWN_RESPONSE_DIRECTIVES.has(d.name));
      return unknown.length
        ? [{ subject: ccSubject(ctx), summary: `Unknown Cache-Control directive(s): ${unknown.map((d) => d.name).join(', ')}.` }]
        : [];
    },
  },
  {
    id: 'cache-control-duplicate-directive',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'A Cache-Control directive appears more than once.',
    detail: 'When a directive repeats, caches may use either copy or treat the response as stale; send each once.',
    reference: 'RFC 9111, Section 4.2.1',
    run: (ctx) => {
      const names = ctx.cacheControl.directives.map((d) => d.name);
      const dup = names.filter((n, i) => names.indexOf(n) !== i);
      return dup.length ? [{ subject: ccSubject(ctx), summary: `Repeated directive(s): ${[...new Set(dup)].join(', ')}.` }] : [];
    },
  },
  {
    id: 'cache-control-conflict',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'Cache-Control directives contradict each other.',
    detail: 'no-store overrides freshness directives, and public and private together leave caches to guess. Send a consistent set.',
    reference: 'RFC 9111, Section 5.2.2',
    run: (ctx) => {
      const cc = ctx.cacheControl;
      const pairs: string[] = [];
      if (has(cc, 'no-store') && (has(cc, 'max-age') || has(cc, 's-maxage') || has(cc, 'public') || has(cc, 'immutable')))
        pairs.push('no-store with freshness or public');
      if (has(cc, 'public') && has(cc, 'private')) pairs.push('public with private');
      return pairs.length ? [{ subject: ccSubject(ctx), summary: `Conflicting directives: ${pairs.join('; ')}.` }] : [];
    },
  },
  {
    id: 'cache-no-store',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'no-store: no cache may keep this response.',
    detail: 'Every request goes to the origin. Right for sensitive data; costly for anything else.',
    reference: 'RFC 9111, Section 5.2.2.5',
    run: (ctx) => (has(ctx.cacheControl, 'no-store') ? [{ subject: ccSubject(ctx) }] : NOTHING),
  },
  {
    id: 'cache-no-cache',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'no-cache: caches may store it but must revalidate before each reuse.',
    detail: 'With a validator (ETag, Last-Modified), revalidation can be a cheap 304.',
    reference: 'RFC 9111, Section 5.2.2.4',
    run: (ctx) => (directive(ctx.cacheControl, 'no-cache') && !has(ctx.cacheControl, 'no-store') ? [{ subject: ccSubject(ctx) }] : NOTHING),
  },
  {
    id: 'cache-private',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: "private: only the user's own (browser) cache may store it.",
    detail: 'Shared caches such as CDNs and proxies must not store a private response.',
    reference: 'RFC 9111, Section 5.2.2.7',
    run: (ctx) => (has(ctx.cacheControl, 'private') ? [{ subject: ccSubject(ctx) }] : NOTHING),
  },
  {
    id: 'freshness-lifetime',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control', 'expires'],
    summary: 'The response has an explicit freshness lifetime.',
    detail: 'Computed from s-maxage/max-age or Expires minus Date, and compared with the current age (Age header or Date).',
    reference: 'RFC 9111, Section 4.2.1',
    run: (ctx) => {
      if (!ctx.res || !storable(ctx.cacheControl)) return NOTHING;
      const f = computeFreshness(ctx);
      if (f.lifetime === null || f.source === 'heuristic') return NOTHING;
      const sm = seconds(ctx.cacheControl, 's-maxage');
      const shared = sm !== null ? ` Shared caches use s-maxage: ${formatSeconds(sm)}.` : '';
      return [
        {
          subject: ccSubject(ctx),
          summary: `Fresh for ${formatSeconds(f.lifetime)} (from ${f.source}); current age ${formatSeconds(f.age)}.${shared}`,
        },
      ];
    },
  },
  {
    id: 'stale-on-arrival',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control', 'expires'],
    summary: 'The response was already stale when it arrived.',
    detail:
      'Its age is at least its freshness lifetime, so a cache must revalidate it before reuse. Often a clock problem at the origin or an old cached copy.',
    reference: 'RFC 9111, Section 4.2',
    run: (ctx) => {
      if (!ctx.res) return NOTHING;
      const f = computeFreshness(ctx);
      return f.lifetime !== null && f.lifetime > 0 && f.source !== 'heuristic' && !f.fresh
        ? [{ subject: ccSubject(ctx), summary: `Age ${formatSeconds(f.age)} is past the lifetime of ${formatSeconds(f.lifetime)}.` }]
        : [];
    },
  },
  {
    id: 'heuristic-freshness',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['last-modified'],
    summary: 'Caches may reuse this response using heuristic freshness.',
    detail:
      'There is no max-age or Expires, but there is a Last-Modified on a status that is cacheable by default, so caches may pick a lifetime themselves (commonly 10% of the time since last modification). Set an explicit lifetime to control it.',
    reference: 'RFC 9111, Section 4.2.2',
    run: (ctx) => {
      if (!ctx.res) return NOTHING;
      const f = computeFreshness(ctx);
      return f.source === 'heuristic' && f.lifetime !== null
        ? [{ subject: 'status', summary: `Heuristically fresh for about ${formatSeconds(f.lifetime)} (10% of time since Last-Modified).` }]
        : [];
    },
  },
  {
    id: 'not-reusable',
    level: 'info',
    category: 'caching',
    scope: 'response',
    summary: 'No freshness lifetime and no validator: caches can only guess, then must fetch it again.',
    detail:
      'Neither Cache-Control max-age / Expires nor ETag / Last-Modified is present. A cache may give a 200 a heuristic freshness lifetime, but once that runs out it has nothing to revalidate with and must download the whole response again.',
    reference: 'RFC 9111, Section 4.2.2',
    applies: (s) => s.status === 200 && s.method === 'GET' && !s.resNames.has('etag') && !s.resNames.has('last-modified'),
    run: (ctx) => {
      if (!ctx.res || ctx.status !== 200 || has(ctx.cacheControl, 'no-store') || ctx.req.method !== 'GET') return NOTHING;
      const f = computeFreshness(ctx);
      return f.lifetime === null && !ctx.resHeaders.has('etag') && !ctx.resHeaders.has('last-modified') ? [{ subject: 'status' }] : [];
    },
  },
  {
    id: 'cache-immutable-without-lifetime',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'immutable was sent without max-age.',
    detail: 'immutable only means "do not revalidate while fresh"; without a freshness lifetime it has nothing to apply to.',
    reference: 'RFC 8246, Section 2',
    run: (ctx) =>
      has(ctx.cacheControl, 'immutable') && !has(ctx.cacheControl, 'max-age') && !ctx.resHeaders.has('expires')
        ? [{ subject: ccSubject(ctx) }]
        : NOTHING,
  },
  {
    id: 'set-cookie-shared-cacheable',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['set-cookie'],
    summary: 'A response setting a cookie may be stored by shared caches.',
    detail: 'With public or s-maxage, a CDN could serve this Set-Cookie to other users. Mark it private or no-store.',
    reference: 'RFC 9111, Section 7.3; RFC 6265, Section 8',
    applies: (s) => s.resNames.has('cache-control'),
    run: (ctx) =>
      ctx.resHeaders.has('set-cookie') &&
      (has(ctx.cacheControl, 'public') || has(ctx.cacheControl, 's-maxage')) &&
      !has(ctx.cacheControl, 'private') &&
      !has(ctx.cacheControl, 'no-store')
        ? [{ subject: ccSubject(ctx) }]
        : NOTHING,
  },
  {
    id: 'cache-max-age-zero-must-revalidate',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['cache-control'],
    summary: 'max-age=0 with must-revalidate behaves like no-cache.',
    detail: 'The response is stale on arrival and must be revalidated; "no-cache" says the same thing more plainly.',
    reference: 'RFC 9111, Section 5.2.2.2',
    run: (ctx) => (seconds(ctx.cacheControl, 'max-age') === 0 && has(ctx.cacheControl, 'must-revalidate') ? [{ subject: ccSubject(ctx) }] : NOTHING),
  },
  {
    id: 'pragma-in-response',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['pragma'],
    summary: 'Pragma in a response has no defined meaning.',
    detail: 'Pragma: no-cache was only ever defined for requests; use Cache-Control in responses.',
    reference: 'RFC 9111, Section 5.4',
    run: (ctx) => ctx.resHeaders.all('pragma').map((l) => ({ subject: headerSubject(l) })),
  },

  // Expires, Age, Date
  responseSyntaxCheck(
    'expires-syntax',
    'Expires',
    'RFC 9111, Section 5.3',
    'Expires must be an HTTP date; caches treat any other value (such as 0 or -1) as already expired.',
    (v) => (parseHttpDate(v) ? null : `"${v}" is not an HTTP date (treated as already expired)`),
  ),
  {
    id: 'expires-ignored',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['expires'],
    summary: 'Expires is ignored because Cache-Control max-age is present.',
    detail: 'When max-age (or s-maxage for shared caches) is present, caches ignore Expires.',
    reference: 'RFC 9111, Section 5.3',
    applies: (s) => s.resNames.has('cache-control'),
    run: (ctx) => (has(ctx.cacheControl, 'max-age') ? ctx.resHeaders.all('expires').map((l) => ({ subject: headerSubject(l) })) : NOTHING),
  },
  {
    id: 'expires-far-future',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['expires'],
    summary: 'Expires is more than a year ahead.',
    detail: 'Lifetimes beyond a year are unusual; for versioned assets prefer Cache-Control: max-age=31536000, immutable.',
    reference: 'RFC 9111, Section 5.3',
    run: (ctx) =>
      hits(ctx.resHeaders.all('expires'), (l) => {
        const d = parseHttpDate(l.value);
        return d && d.time - ctx.responseTime > 366 * 86400 * 1000;
      }),
  },
  responseSyntaxCheck('age-syntax', 'Age', 'RFC 9111, Section 5.1', 'Age is a non-negative number of seconds.', (v) =>
    DIGITS_RE.test(v.trim()) ? null : `"${v}" is not a number of seconds`,
  ),
  {
    id: 'served-from-cache',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['age'],
    summary: 'A cache served this response (Age is present).',
    detail: 'Age is set by caches; it says how long ago the origin produced or validated this copy.',
    reference: 'RFC 9111, Section 5.1',
    run: (ctx) =>
      ctx.resHeaders
        .all('age')
        .filter((l) => DIGITS_RE.test(l.value.trim()))
        .map((l) => ({ subject: headerSubject(l), summary: `Served from a cache; age ${formatSeconds(Number(l.value.trim()))}.` })),
  },
  {
    id: 'date-missing',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    summary: 'The response has no Date header.',
    detail: 'An origin server with a clock must send Date; caches need it to compute age.',
    reference: 'RFC 9110, Section 6.6.1',
    applies: (s) => s.status >= 200 && s.status < 500 && !s.resNames.has('date'),
    run: (ctx) => (ctx.res && ctx.status >= 200 && ctx.status < 500 && !ctx.resHeaders.has('date') ? [{ subject: 'status' }] : NOTHING),
  },
  responseSyntaxCheck(
    'date-syntax',
    'Date',
    'RFC 9110, Section 6.6.1',
    'Date must be an HTTP date, preferably in IMF-fixdate form (e.g. Sun, 06 Nov 1994 08:49:37 GMT).',
    (v) => (parseHttpDate(v) ? null : `"${v}" is not an HTTP date`),
  ),
  {
    id: 'date-obsolete-format',
    level: 'warning',
    category: 'syntax',
    scope: 'response',
    fields: DATE_FIELDS,
    summary: 'A date uses an obsolete format (RFC 850 or asctime).',
    detail: 'Recipients must accept these forms but senders must generate IMF-fixdate.',
    reference: 'RFC 9110, Section 5.6.7',
    run: (ctx) => {
      let out: Finding[] = NOTHING;
      for (let n = 0; n < DATE_FIELDS.length; n++) {
        const lines = ctx.resHeaders.all(DATE_FIELDS[n]);
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i];
          const d = parseHttpDate(l.value);
          if (d === null || d.form === 'imf-fixdate') continue;
          const found: Finding = { subject: headerSubject(l) };
          if (out === NOTHING) out = [found];
          else out.push(found);
        }
      }
      return out;
    },
  },
  {
    id: 'date-clock-skew',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['date'],
    summary: "The server clock differs from this machine's by more than a minute.",
    detail: 'Skewed clocks distort age and freshness calculations, cookie expiry and token validity. Check NTP on the server (or here).',
    reference: 'RFC 9110, Section 6.6.1',
    applies: (s) => !s.resNames.has('age'),
    run: (ctx) => {
      const d = ctx.resHeaders.first('date');
      const p = d ? parseHttpDate(d.value) : null;
      if (!d || !p || ctx.resHeaders.has('age')) return NOTHING;
      const skew = Math.round((p.time - ctx.responseArrival) / 1000);
      return Math.abs(skew) > 60
        ? [
            {
              subject: headerSubject(d),
              summary: `Server Date is ${formatSeconds(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} the local clock.`,
            },
          ]
        : [];
    },
  },

  // Validators
  responseSyntaxCheck('last-modified-syntax', 'Last-Modified', 'RFC 9110, Section 8.8.2', 'Last-Modified must be an HTTP date.', (v) =>
    parseHttpDate(v) ? null : `"${v}" is not an HTTP date`,
  ),
  {
    id: 'last-modified-future',
    level: 'warning',
    category: 'validation',
    scope: 'response',
    fields: ['last-modified'],
    summary: 'Last-Modified is later than the response Date.',
    detail: 'An origin must not send a Last-Modified in the future of its own Date; caches and heuristics get confused.',
    reference: 'RFC 9110, Section 8.8.2.1',
    run: (ctx) =>
      hits(ctx.resHeaders.all('last-modified'), (l) => {
        const d = parseHttpDate(l.value);
        return d && d.time > ctx.responseTime + 1000;
      }),
  },
  responseSyntaxCheck(
    'etag-syntax',
    'ETag',
    'RFC 9110, Section 8.8.3',
    'An entity tag is a quoted string, optionally prefixed with W/ for a weak tag.',
    (v) => (ETAG_SYNTAX_RE.test(v.trim()) ? null : `${v} is not a quoted entity tag`),
  ),
  {
    id: 'etag-weak',
    level: 'info',
    category: 'validation',
    scope: 'response',
    fields: ['etag'],
    summary: 'The ETag is weak (W/).',
    detail: 'Weak tags only promise semantic equivalence, so they cannot be used for range requests or If-Match (strong comparison).',
    reference: 'RFC 9110, Section 8.8.3',
    run: (ctx) => hits(ctx.resHeaders.all('etag'), (l) => l.value.trim().startsWith('W/')),
  },
  {
    id: 'validators-missing',
    level: 'info',
    category: 'validation',
    scope: 'response',
    summary: 'The response has no validator (ETag or Last-Modified).',
    detail: 'Without a validator a client or cache cannot make a cheap conditional request and must download the content again.',
    reference: 'RFC 9110, Section 8.8',
    applies: (s) => s.status === 200 && s.method === 'GET' && !s.resNames.has('etag') && !s.resNames.has('last-modified'),
    run: (ctx) =>
      ctx.status === 200 &&
      ctx.req.method === 'GET' &&
      !has(ctx.cacheControl, 'no-store') &&
      !ctx.resHeaders.has('etag') &&
      !ctx.resHeaders.has('last-modified')
        ? [{ subject: 'status' }]
        : NOTHING,
  },
  {
    id: 'validators-present',
    level: 'good',
    category: 'validation',
    scope: 'response',
    fields: ['etag', 'last-modified'],
    summary: 'The response has a validator, so it can be revalidated cheaply.',
    detail: 'Clients and caches can send If-None-Match or If-Modified-Since and get a 304 without the content.',
    reference: 'RFC 9110, Section 13.1',
    applies: (s) => s.status === 200,
    run: (ctx): Finding[] => {
      const v = ctx.resHeaders.first('etag') ?? ctx.resHeaders.first('last-modified');
      return v && ctx.status === 200 ? [{ subject: headerSubject(v) }] : [];
    },
  },
  {
    id: 'not-modified-answered',
    level: 'good',
    category: 'validation',
    scope: 'response',
    summary: 'The conditional request was answered with 304 Not Modified.',
    detail: 'The stored copy is still valid; no content was transferred.',
    reference: 'RFC 9110, Section 15.4.5',
    applies: (s) => s.status === 304 && (s.reqNames.has('if-none-match') || s.reqNames.has('if-modified-since')),
    run: (ctx) =>
      ctx.status === 304 && (ctx.req.headers.has('if-none-match') || ctx.req.headers.has('if-modified-since')) ? [{ subject: 'status' }] : NOTHING,
  },
  {
    id: 'conditional-ignored',
    level: 'info',
    category: 'validation',
    scope: 'response',
    fields: ['etag'],
    summary: 'The request was conditional but got a full 200 with the same ETag.',
    detail: 'The server ignored If-None-Match although the tag matches; it could have answered 304.',
    reference: 'RFC 9110, Section 13.1.2',
    applies: (s) => s.status === 200 && s.reqNames.has('if-none-match'),
    run: (ctx) => {
      const inm = ctx.req.headers.joined('if-none-match');
      const etag = ctx.resHeaders.first('etag');
      if (ctx.status !== 200 || !inm || !etag) return NOTHING;
      const strip = (t: string): string => t.trim().replace(CONDITIONAL_IGNORED_RE, '');
      return splitList(inm).items.some((t) => strip(t) === strip(etag.value)) ? [{ subject: headerSubject(etag) }] : [];
    },
  },

  // Vary
  {
    id: 'vary-star',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['vary'],
    summary: 'Vary: * makes the response effectively uncacheable.',
    detail: '"*" says factors beyond the request headers chose the representation, so a cache can never match a later request to it.',
    reference: 'RFC 9110, Section 12.5.5',
    run: (ctx) => hits(ctx.resHeaders.all('vary'), (l) => splitList(l.value).items.includes('*')),
  },
  {
    id: 'vary-many',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['vary'],
    summary: 'Vary lists many request fields.',
    detail: 'Each field multiplies the variants a cache keeps and lowers the hit rate.',
    reference: 'RFC 9110, Section 12.5.5',
    run: (ctx) => {
      const n = splitList(ctx.resHeaders.joined('vary') ?? '').items.length;
      return n > 3 ? [{ subject: headerSubject(ctx.resHeaders.all('vary')[0]), summary: `Vary lists ${n} fields.` }] : [];
    },
  },
  {
    id: 'vary-user-agent',
    level: 'warning',
    category: 'caching',
    scope: 'response',
    fields: ['vary'],
    summary: 'Vary: User-Agent fragments caches.',
    detail: 'There are thousands of User-Agent strings, so shared caches keep a copy per browser build and rarely hit.',
    reference: 'RFC 9110, Section 12.5.5',
    run: (ctx) => hits(ctx.resHeaders.all('vary'), (l) => splitList(l.value).items.some((x) => x.toLowerCase() === 'user-agent')),
  },
  {
    id: 'vary-cookie',
    level: 'info',
    category: 'caching',
    scope: 'response',
    fields: ['vary'],
    summary: 'Vary: Cookie gives nearly every user their own cache entry.',
    detail: 'Cookies differ per user, so shared caches seldom reuse such responses; private caching is the usual intent.',
    reference: 'RFC 9110, Section 12.5.5',
    run: (ctx) => hits(ctx.resHeaders.all('vary'), (l) => splitList(l.value).items.some((x) => x.toLowerCase() === 'cookie')),
  },
  responseSyntaxCheck('vary-syntax', 'Vary', 'RFC 9110, Section 12.5.5', 'Vary is "*" or a comma-separated list of field names.', (v) =>
    splitList(v).items.every((x) => x === '*' || isToken(x)) ? null : `"${v}" is not a list of field names`,
  ),
];

defineChecks(checks);
