// Cookie attributes, HSTS, security headers on HTML, CORS combinations, and TLS/connection/timing facts.
import { parseSetCookie, type SetCookie } from '../parse/setCookie';
import { parseHsts } from '../parse/hsts';
import { memoized } from '../parse/memo';
import { splitList } from '../parse/lists';
import { defineChecks, NOTHING, type CheckDef, type Finding } from './registry';
import type { Shape } from './shape';
import { hits, headerSubject, type CheckContext, type FieldLine } from './context';
import { responseSyntaxCheck } from './general';

function cookies(ctx: CheckContext): Array<{ line: FieldLine; c: SetCookie }> {
  // A dozen checks read the same lines: parsed once per exchange (read-only from here on).
  return ctx.memo('set-cookie', parseCookies);
}

function parseCookies(ctx: CheckContext): Array<{ line: FieldLine; c: SetCookie }> {
  return ctx.resHeaders.all('set-cookie').map((line) => ({ line, c: parseSetCookie(line.value) }));
}

/** Certificate dates as times: the same certificate (and text) comes with every request to a host. */
const certificateTimes = memoized(Date.parse);

function parseCertificateDate(text: string): number {
  // A broken record may hold no text: Date.parse makes that NaN, as before.
  return typeof text === 'string' ? certificateTimes(text) : Date.parse(text);
}

function cookieCheck(
  id: string,
  level: 'bad' | 'warning' | 'info',
  summary: string,
  detail: string,
  reference: string,
  test: (c: SetCookie, ctx: CheckContext) => string | boolean,
  applies?: (s: Shape) => boolean,
): CheckDef {
  return {
    id,
    level,
    category: 'cookies',
    scope: 'response',
    fields: ['set-cookie'],
    summary,
    detail,
    reference,
    applies,
    run: (ctx) => {
      let out: Finding[] = NOTHING;
      const all = cookies(ctx);
      for (let i = 0; i < all.length; i++) {
        const { line, c } = all[i];
        const r = test(c, ctx);
        if (!r) continue;
        const found: Finding = {
          subject: headerSubject(line),
          summary: typeof r === 'string' ? r : `${summary.replace(FINAL_DOT_RE, '')} (cookie ${c.name || '(unnamed)'}).`,
        };
        if (out === NOTHING) out = [found];
        else out.push(found);
      }
      return out;
    },
  };
}

const HTTPS = (s: Shape): boolean => s.https;
const NOT_HTTPS = (s: Shape): boolean => !s.https;

function host(ctx: CheckContext): string | null {
  return ctx.req.url ? ctx.req.url.hostname.replace(/^\[|\]$/g, '').toLowerCase() : null;
}

function domainMatches(hostname: string, domain: string): boolean {
  const d = domain.replace(DOMAIN_MATCHES_RE, '').toLowerCase();
  return hostname === d || (hostname.endsWith(`.${d}`) && !DOMAIN_MATCHES_RE2.test(hostname));
}

function cspDirectives(value: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of value.split(';')) {
    const tokens = part.trim().split(CSP_DIRECTIVES_RE).filter(Boolean);
    if (tokens.length && !m.has(tokens[0].toLowerCase())) m.set(tokens[0].toLowerCase(), tokens.slice(1));
  }
  return m;
}

/** The sources that govern scripts: script-src, or default-src when script-src is absent. */
function scriptSources(ctx: CheckContext): { line: FieldLine; sources: string[] } | null {
  for (const line of ctx.resHeaders.all('content-security-policy')) {
    const d = cspDirectives(line.value);
    const s = d.get('script-src') ?? d.get('default-src');
    if (s) return { line, sources: s };
  }
  return null;
}

function htmlCheck(
  id: string,
  level: 'warning' | 'info',
  summary: string,
  detail: string,
  reference: string,
  missing: (ctx: CheckContext) => boolean,
): CheckDef {
  return {
    id,
    level,
    category: 'security',
    scope: 'response',
    // Only HTML responses are judged, and only a Content-Type makes one.
    fields: ['content-type'],
    summary,
    detail,
    reference,
    applies: (s) => s.status >= 200 && s.status < 300,
    run: (ctx) => (ctx.isHtml && ctx.status >= 200 && ctx.status < 300 && missing(ctx) ? [{ subject: 'status' }] : NOTHING),
  };
}

const FETCH = 'Fetch Standard, CORS protocol, https://fetch.spec.whatwg.org/#http-cors-protocol';

function acao(ctx: CheckContext): FieldLine | undefined {
  return ctx.resHeaders.first('access-control-allow-origin');
}

function credentialed(ctx: CheckContext): boolean {
  return ctx.resHeaders.first('access-control-allow-credentials')?.value.trim() === 'true';
}

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const FINAL_DOT_RE = /\.$/;
const DOMAIN_MATCHES_RE = /^\./;
const DOMAIN_MATCHES_RE2 = /^[\d.]+$/;
const CSP_DIRECTIVES_RE = /\s+/;
const SET_COOKIE_SAMESITE_NONE_INSECURE_RE = /^none$/i;
const CSP_UNSAFE_INLINE_RE = /^'(nonce-|sha(256|384|512)-|strict-dynamic)/;
const CLICKJACKING_UNPROTECTED_RE = /frame-ancestors/i;
const X_FRAME_OPTIONS_INVALID_RE = /^(deny|sameorigin)$/i;
const X_XSS_PROTECTION_ENABLED_RE = /^0\s*$/;
const REFERRER_POLICY_INVALID_RE =
  /^(no-referrer|no-referrer-when-downgrade|same-origin|origin|strict-origin|origin-when-cross-origin|strict-origin-when-cross-origin|unsafe-url)$/i;
const CORP_INVALID_RE = /^(same-site|same-origin|cross-origin)$/;
const COOP_INVALID_RE = /^(unsafe-none|same-origin-allow-popups|same-origin|noopener-allow-popups)(\s*;.*)?$/;
const COEP_INVALID_RE = /^(unsafe-none|require-corp|credentialless)(\s*;.*)?$/;
const CORS_MULTIPLE_ORIGINS_RE = /[,\s]/;
const CORS_ORIGIN_WITHOUT_VARY_RE = /(^|,)\s*(origin|\*)\s*(,|$)/i;
const DIGITS_RE = /^\d+$/;
const CORS_PREFLIGHT_INCOMPLETE_RE = /^(GET|HEAD|POST)$/;
const TLS_OLD_PROTOCOL_RE = /^(TLSv1|TLSv1\.1|SSLv3)$/;
const CONNECTION_CLOSE_RE = /close/i;
const ALT_SVC_HTTP3_RE = /(^|,)\s*h3(-\d+)?=/;
const TRAILER_FORBIDDEN_FIELD_RE =
  /^(content-length|transfer-encoding|host|cache-control|expires|location|authorization|proxy-authorization|content-type|content-encoding|content-range|trailer|te|connection|upgrade|www-authenticate|proxy-authenticate|age|vary|pragma|if-match|if-none-match|if-modified-since|if-unmodified-since|if-range|range|expect|max-forwards|retry-after)$/i;

const checks: CheckDef[] = [
  // Cookies
  cookieCheck(
    'set-cookie-syntax',
    'bad',
    'Set-Cookie is malformed.',
    'The cookie line does not follow the syntax servers must produce; browsers may drop or mangle the cookie.',
    'RFC 6265, Section 4.1.1',
    (c) => (c.errors.length ? `Cookie ${c.name || '(unnamed)'}: ${c.errors.join('; ')}.` : false),
  ),
  cookieCheck(
    'set-cookie-no-secure',
    'warning',
    'Cookie set over HTTPS without Secure.',
    'Without Secure the browser also sends the cookie over plain http, where anyone on the network can read it.',
    'RFC 6265, Section 4.1.2.5',
    (c, ctx) => ctx.isHttps && !c.secure && !isDeletion(c, ctx),
    HTTPS,
  ),
  cookieCheck(
    'set-cookie-secure-over-http',
    'warning',
    'Secure cookie set over plain HTTP.',
    'Browsers ignore Set-Cookie with Secure when it arrives over an insecure connection (except on localhost).',
    'Cookies: HTTP State Management Mechanism (RFC 6265bis draft), https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/',
    (c, ctx) => !ctx.isHttps && c.secure && !['localhost', '127.0.0.1', '::1'].includes(host(ctx) ?? ''),
    NOT_HTTPS,
  ),
  cookieCheck(
    'set-cookie-plain-http',
    'info',
    'Cookie set over plain HTTP.',
    'The cookie travels unencrypted and can be read or changed by anyone on the path.',
    'RFC 6265, Section 8.3',
    (c, ctx) => !ctx.isHttps && !c.secure,
    NOT_HTTPS,
  ),
  cookieCheck(
    'set-cookie-no-httponly',
    'info',
    'Cookie without HttpOnly.',
    'Scripts on the page can read it, so an XSS flaw can steal it. Session cookies should be HttpOnly.',
    'RFC 6265, Section 4.1.2.6',
    (c, ctx) => !c.httpOnly && !isDeletion(c, ctx),
  ),
  cookieCheck(
    'set-cookie-samesite-none-insecure',
    'bad',
    'SameSite=None without Secure.',
    'Browsers reject cookies with SameSite=None that lack Secure.',
    'Cookies: HTTP State Management Mechanism (RFC 6265bis draft), https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/',
    (c) => SET_COOKIE_SAMESITE_NONE_INSECURE_RE.test(c.sameSite ?? '') && !c.secure,
  ),
  cookieCheck(
    'set-cookie-samesite-missing',
    'info',
    'Cookie without SameSite.',
    'Browsers treat it as SameSite=Lax by default (Chromium), which blocks it on cross-site subrequests; state the policy explicitly.',
    'Cookies: HTTP State Management Mechanism (RFC 6265bis draft), https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/',
    (c, ctx) => c.sameSite === null && !isDeletion(c, ctx),
  ),
  cookieCheck(
    'set-cookie-domain-mismatch',
    'bad',
    'Cookie Domain does not match the host that set it.',
    'Browsers reject a cookie whose Domain does not cover the request host.',
    'RFC 6265, Section 5.3',
    (c, ctx) => c.domain !== null && c.domain !== '' && host(ctx) !== null && !domainMatches(host(ctx) ?? '', c.domain),
  ),
  cookieCheck(
    'set-cookie-domain-leading-dot',
    'info',
    'Cookie Domain starts with a dot.',
    'The leading dot is ignored; Domain always includes subdomains. Note a Domain attribute widens the cookie to all subdomains.',
    'RFC 6265, Section 5.2.3',
    (c) => (c.domain ?? '').startsWith('.'),
  ),
  cookieCheck(
    'set-cookie-path-relative',
    'warning',
    'Cookie Path does not start with "/".',
    'A Path that does not begin with "/" is replaced by the default path, which is rarely what was meant.',
    'RFC 6265, Section 5.2.4',
    (c) => c.path !== null && !c.path.startsWith('/'),
  ),
  cookieCheck(
    'set-cookie-host-prefix',
    'bad',
    '__Host- cookie breaks the prefix rules.',
    'A __Host- cookie must be Secure, have Path=/ and no Domain, or browsers reject it.',
    'Cookies: HTTP State Management Mechanism (RFC 6265bis draft), https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/',
    (c) => c.name.startsWith('__Host-') && (!c.secure || c.path !== '/' || c.domain !== null),
  ),
  cookieCheck(
    'set-cookie-secure-prefix',
    'bad',
    '__Secure- cookie without Secure.',
    'A __Secure- cookie must carry Secure, or browsers reject it.',
    'Cookies: HTTP State Management Mechanism (RFC 6265bis draft), https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/',
    (c) => c.name.startsWith('__Secure-') && !c.secure,
  ),
  cookieCheck(
    'set-cookie-deletion',
    'info',
    'This Set-Cookie deletes a cookie (expiry in the past).',
    'An Expires in the past or Max-Age of 0 or less removes the cookie from the client.',
    'RFC 6265, Section 5.3',
    (c, ctx) => isDeletion(c, ctx),
  ),
  cookieCheck(
    'set-cookie-max-age-and-expires',
    'info',
    'Cookie has both Max-Age and Expires; Max-Age wins.',
    'Clients that understand Max-Age ignore Expires; the pair only matters for very old clients.',
    'RFC 6265, Section 5.3',
    (c) => c.maxAge !== null && c.expires !== null,
  ),
  cookieCheck(
    'set-cookie-unknown-attribute',
    'warning',
    'Cookie has an attribute browsers do not know.',
    'Unknown attributes are ignored; this is often a typo such as "HttpOnly;" spelled differently.',
    'RFC 6265, Section 5.2',
    (c) => (c.unknown.length ? `Cookie ${c.name}: unknown attribute(s) ${c.unknown.join(', ')}.` : false),
  ),
  cookieCheck(
    'set-cookie-too-large',
    'warning',
    'Cookie is larger than 4096 bytes.',
    'Browsers are only required to store 4096 bytes per cookie and drop larger ones.',
    'RFC 6265, Section 6.1',
    (c) => c.name.length + c.value.length > 4096,
  ),
  cookieCheck(
    'set-cookie-partitioned-insecure',
    'bad',
    'Partitioned cookie without Secure.',
    'CHIPS requires Partitioned cookies to be Secure; browsers reject them otherwise.',
    'Cookies Having Independent Partitioned State, https://privacycg.github.io/CHIPS/',
    (c) => c.partitioned && !c.secure,
  ),

  // HSTS
  {
    id: 'hsts-over-http',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['strict-transport-security'],
    summary: 'Strict-Transport-Security was sent over plain HTTP and is ignored.',
    detail:
      'Browsers only honour HSTS received over a secure connection; over http an attacker could forge or strip it. Redirect to HTTPS and send it there.',
    reference: 'RFC 6797, Section 7.2',
    applies: NOT_HTTPS,
    run: (ctx) => (!ctx.isHttps ? ctx.resHeaders.all('strict-transport-security').map((l) => ({ subject: headerSubject(l) })) : NOTHING),
  },
  responseSyntaxCheck(
    'hsts-syntax',
    'Strict-Transport-Security',
    'RFC 6797, Section 6.1',
    'HSTS needs max-age in seconds, optionally includeSubDomains and preload, separated by semicolons. Browsers ignore an invalid policy.',
    (v) => {
      const e = parseHsts(v).errors;
      return e.length ? e.join('; ') : null;
    },
  ),
  {
    id: 'hsts-short-max-age',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['strict-transport-security'],
    summary: 'HSTS max-age is shorter than 180 days.',
    detail: 'A short policy lapses between visits, leaving the first request open to downgrade attacks again. A year (31536000) is usual.',
    reference: 'RFC 6797, Section 11.2',
    run: (ctx) =>
      hits(ctx.resHeaders.all('strict-transport-security'), (l) => {
        const m = parseHsts(l.value).maxAge;
        return m !== null && m > 0 && m < 15552000;
      }),
  },
  {
    id: 'hsts-max-age-zero',
    level: 'info',
    category: 'security',
    scope: 'response',
    fields: ['strict-transport-security'],
    summary: 'HSTS max-age=0 removes the policy.',
    detail: 'max-age=0 tells browsers to forget that this host is HTTPS-only.',
    reference: 'RFC 6797, Section 6.1.1',
    run: (ctx) => hits(ctx.resHeaders.all('strict-transport-security'), (l) => parseHsts(l.value).maxAge === 0),
  },
  {
    id: 'hsts-preload-incomplete',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['strict-transport-security'],
    summary: 'HSTS preload without includeSubDomains or a one-year max-age.',
    detail: 'Preload lists require max-age of at least a year and includeSubDomains; otherwise the preload token has no effect.',
    reference: 'HSTS preload list requirements, https://hstspreload.org/',
    run: (ctx) =>
      hits(ctx.resHeaders.all('strict-transport-security'), (l) => {
        const h = parseHsts(l.value);
        return h.preload && (!h.includeSubDomains || (h.maxAge ?? 0) < 31536000);
      }),
  },
  {
    id: 'hsts-present',
    level: 'good',
    category: 'security',
    scope: 'response',
    fields: ['strict-transport-security'],
    summary: 'HTTPS is enforced with Strict-Transport-Security.',
    detail: 'Browsers will use HTTPS for this host for the whole max-age.',
    reference: 'RFC 6797, Section 5',
    applies: HTTPS,
    run: (ctx) =>
      ctx.isHttps ? hits(ctx.resHeaders.all('strict-transport-security'), (l) => (parseHsts(l.value).maxAge ?? 0) >= 15552000) : NOTHING,
  },
  htmlCheck(
    'hsts-missing',
    'warning',
    'HTTPS page without Strict-Transport-Security.',
    'Without HSTS, a user typing the bare host name makes a first plain-http request that can be intercepted.',
    'RFC 6797, Section 14.6',
    (ctx) => ctx.isHttps && !ctx.resHeaders.has('strict-transport-security'),
  ),

  // Security headers on HTML
  htmlCheck(
    'csp-missing',
    'warning',
    'HTML page without Content-Security-Policy.',
    "A CSP limits where scripts and other resources can come from, containing XSS. Start with default-src 'self' and refine.",
    'Content Security Policy Level 3, https://www.w3.org/TR/CSP3/',
    (ctx) => !ctx.resHeaders.has('content-security-policy'),
  ),
  {
    id: 'csp-unsafe-inline',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['content-security-policy'],
    summary: "CSP allows inline scripts ('unsafe-inline').",
    detail: "With 'unsafe-inline' and no nonce or hash, injected <script> blocks run, which removes most of CSP's XSS protection.",
    reference: 'Content Security Policy Level 3, https://www.w3.org/TR/CSP3/',
    run: (ctx) => {
      const s = scriptSources(ctx);
      return s && s.sources.includes("'unsafe-inline'") && !s.sources.some((x) => CSP_UNSAFE_INLINE_RE.test(x))
        ? [{ subject: headerSubject(s.line) }]
        : [];
    },
  },
  {
    id: 'csp-unsafe-eval',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['content-security-policy'],
    summary: "CSP allows eval() ('unsafe-eval').",
    detail: 'Allowing string-to-code functions lets injected data become script.',
    reference: 'Content Security Policy Level 3, https://www.w3.org/TR/CSP3/',
    run: (ctx) => {
      const s = scriptSources(ctx);
      return s && s.sources.includes("'unsafe-eval'") ? [{ subject: headerSubject(s.line) }] : [];
    },
  },
  {
    id: 'csp-wildcard-script',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['content-security-policy'],
    summary: 'CSP lets scripts load from any host.',
    detail:
      'A bare * (or https: / http:) in script-src or default-src allows script from anywhere, so the policy does not stop injected script tags.',
    reference: 'Content Security Policy Level 3, https://www.w3.org/TR/CSP3/',
    run: (ctx) => {
      const s = scriptSources(ctx);
      return s && s.sources.some((x) => x === '*' || x === 'https:' || x === 'http:' || x === 'data:') ? [{ subject: headerSubject(s.line) }] : [];
    },
  },
  htmlCheck(
    'nosniff-missing',
    'warning',
    'HTML page without X-Content-Type-Options: nosniff.',
    'Without nosniff, browsers may treat responses as a different type than declared (for example script), which attackers can abuse.',
    'Fetch Standard, https://fetch.spec.whatwg.org/#x-content-type-options-header',
    (ctx) => !ctx.resHeaders.has('x-content-type-options'),
  ),
  {
    id: 'nosniff-invalid',
    level: 'bad',
    category: 'security',
    scope: 'response',
    fields: ['x-content-type-options'],
    summary: 'X-Content-Type-Options has a value other than nosniff.',
    detail: '"nosniff" is the only defined value; anything else is ignored.',
    reference: 'Fetch Standard, https://fetch.spec.whatwg.org/#x-content-type-options-header',
    run: (ctx) =>
      hits(ctx.resHeaders.all('x-content-type-options'), (l) => l.value !== 'nosniff' && l.value.split(',')[0].trim().toLowerCase() !== 'nosniff'),
  },
  htmlCheck(
    'clickjacking-unprotected',
    'warning',
    'HTML page can be framed by any site.',
    'Neither X-Frame-Options nor CSP frame-ancestors is set, so other sites can embed the page and trick users into clicking (clickjacking).',
    'RFC 7034, Section 2; Content Security Policy Level 3 (frame-ancestors), https://www.w3.org/TR/CSP3/',
    (ctx) =>
      !ctx.resHeaders.has('x-frame-options') && !ctx.resHeaders.all('content-security-policy').some((l) => CLICKJACKING_UNPROTECTED_RE.test(l.value)),
  ),
  {
    id: 'x-frame-options-invalid',
    level: 'bad',
    category: 'security',
    scope: 'response',
    fields: ['x-frame-options'],
    summary: 'X-Frame-Options has an unsupported value.',
    detail:
      'Only DENY and SAMEORIGIN work; ALLOW-FROM was never widely supported and modern browsers ignore it. Use CSP frame-ancestors for allow-lists.',
    reference: 'RFC 7034, Section 2.1; HTML Standard',
    run: (ctx) => hits(ctx.resHeaders.all('x-frame-options'), (l) => !X_FRAME_OPTIONS_INVALID_RE.test(l.value.trim())),
  },
  {
    id: 'x-xss-protection-enabled',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['x-xss-protection'],
    summary: 'X-XSS-Protection enables the removed XSS auditor.',
    detail:
      'The auditor is gone from current browsers and could be abused to leak information in old ones; send 0 or omit the header and rely on CSP.',
    reference: 'OWASP Secure Headers, https://owasp.org/www-project-secure-headers/',
    run: (ctx) => hits(ctx.resHeaders.all('x-xss-protection'), (l) => !X_XSS_PROTECTION_ENABLED_RE.test(l.value)),
  },
  htmlCheck(
    'referrer-policy-missing',
    'info',
    'HTML page without Referrer-Policy.',
    'Browsers default to strict-origin-when-cross-origin; set a policy explicitly if URLs carry anything private.',
    'Referrer Policy, https://www.w3.org/TR/referrer-policy/',
    (ctx) => !ctx.resHeaders.has('referrer-policy'),
  ),
  {
    id: 'referrer-policy-unsafe',
    level: 'warning',
    category: 'security',
    scope: 'response',
    fields: ['referrer-policy'],
    summary: 'Referrer-Policy sends full URLs to other sites.',
    detail: 'unsafe-url (and no-referrer-when-downgrade) leak paths and query strings, which may hold tokens, to third parties.',
    reference: 'Referrer Policy, https://www.w3.org/TR/referrer-policy/',
    run: (ctx) =>
      hits(ctx.resHeaders.all('referrer-policy'), (l) => {
        const items = splitList(l.value).items;
        const last = items[items.length - 1]?.toLowerCase();
        return last === 'unsafe-url' || last === 'no-referrer-when-downgrade';
      }),
  },
  responseSyntaxCheck(
    'referrer-policy-invalid',
    'Referrer-Policy',
    'Referrer Policy, https://www.w3.org/TR/referrer-policy/',
    'Referrer-Policy takes one or more of the defined policy tokens; unknown tokens are ignored.',
    (v) => (splitList(v).items.every((t) => REFERRER_POLICY_INVALID_RE.test(t)) ? null : `"${v}" contains an unknown policy`),
  ),
  responseSyntaxCheck(
    'corp-invalid',
    'Cross-Origin-Resource-Policy',
    'Fetch Standard, https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header',
    'Cross-Origin-Resource-Policy is same-site, same-origin or cross-origin.',
    (v) => (CORP_INVALID_RE.test(v.trim()) ? null : `"${v}" is not same-site, same-origin or cross-origin`),
  ),
  responseSyntaxCheck(
    'coop-invalid',
    'Cross-Origin-Opener-Policy',
    'HTML Standard, https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies',
    'Cross-Origin-Opener-Policy is unsafe-none, same-origin-allow-popups, same-origin or noopener-allow-popups.',
    (v) => (COOP_INVALID_RE.test(v.trim()) ? null : `"${v}" is not a known policy`),
  ),
  responseSyntaxCheck(
    'coep-invalid',
    'Cross-Origin-Embedder-Policy',
    'HTML Standard, https://html.spec.whatwg.org/multipage/browsers.html#coep',
    'Cross-Origin-Embedder-Policy is unsafe-none, require-corp or credentialless.',
    (v) => (COEP_INVALID_RE.test(v.trim()) ? null : `"${v}" is not a known policy`),
  ),

  // CORS
  {
    id: 'cors-wildcard-credentials',
    level: 'bad',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-origin'],
    summary: 'Access-Control-Allow-Origin: * with Allow-Credentials: true is rejected by browsers.',
    detail: 'A credentialed request needs the exact origin echoed back; the wildcard does not match, so the browser blocks the response.',
    reference: FETCH,
    run: (ctx) => {
      const a = acao(ctx);
      return a && a.value.trim() === '*' && credentialed(ctx) ? [{ subject: headerSubject(a) }] : [];
    },
  },
  {
    id: 'cors-multiple-origins',
    level: 'bad',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-origin'],
    summary: 'Access-Control-Allow-Origin holds several origins.',
    detail: 'Only one origin (or *) is allowed. To allow several, compare the request Origin with a list and echo the match.',
    reference: FETCH,
    run: (ctx) => {
      const all = ctx.resHeaders.all('access-control-allow-origin');
      return all.length > 1 || all.some((l) => CORS_MULTIPLE_ORIGINS_RE.test(l.value.trim())) ? [{ subject: headerSubject(all[0]) }] : [];
    },
  },
  {
    id: 'cors-null-origin',
    level: 'warning',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-origin'],
    summary: 'Access-Control-Allow-Origin: null grants access to sandboxed and file: documents.',
    detail: 'Any site can produce a "null" origin with a sandboxed iframe, so allowing null is close to allowing everyone.',
    reference: FETCH,
    run: (ctx) => {
      const a = acao(ctx);
      return a && a.value.trim() === 'null' ? [{ subject: headerSubject(a) }] : [];
    },
  },
  {
    id: 'cors-credentials-invalid',
    level: 'bad',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-credentials'],
    summary: 'Access-Control-Allow-Credentials has a value other than "true".',
    detail: 'The only valid value is the lowercase string true; to deny credentials, omit the header.',
    reference: FETCH,
    run: (ctx) => hits(ctx.resHeaders.all('access-control-allow-credentials'), (l) => l.value.trim() !== 'true'),
  },
  {
    id: 'cors-origin-without-vary',
    level: 'warning',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-origin'],
    summary: 'A specific Access-Control-Allow-Origin without Vary: Origin.',
    detail: "When the allowed origin depends on the request, caches must key on Origin, or one site's answer is served to another.",
    reference: FETCH + ' (CORS protocol and HTTP caches)',
    run: (ctx) => {
      const a = acao(ctx);
      return a && a.value.trim() !== '*' && !CORS_ORIGIN_WITHOUT_VARY_RE.test(ctx.resHeaders.joined('vary') ?? '')
        ? [{ subject: headerSubject(a) }]
        : [];
    },
  },
  {
    id: 'cors-origin-mismatch',
    level: 'warning',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-origin'],
    summary: 'Access-Control-Allow-Origin does not match the request Origin.',
    detail: 'A browser would block this response for the origin that asked.',
    reference: FETCH,
    applies: (s) => s.reqNames.has('origin'),
    run: (ctx) => {
      const a = acao(ctx);
      const origin = ctx.req.headers.first('origin')?.value.trim();
      return a && origin && a.value.trim() !== '*' && a.value.trim() !== origin
        ? [{ subject: headerSubject(a), summary: `Allowed origin ${a.value.trim()} is not the request Origin ${origin}.` }]
        : [];
    },
  },
  {
    id: 'cors-wildcard-with-credentials-lists',
    level: 'warning',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-allow-credentials'],
    summary: '"*" in Allow-Headers/Methods/Expose-Headers is literal for credentialed requests.',
    detail: 'With credentials, * is not a wildcard in these headers; list the names explicitly.',
    reference: FETCH,
    run: (ctx) =>
      credentialed(ctx)
        ? ['access-control-allow-headers', 'access-control-allow-methods', 'access-control-expose-headers']
            .flatMap((n) => ctx.resHeaders.all(n))
            .filter((l) => splitList(l.value).items.includes('*'))
            .map((l) => ({ subject: headerSubject(l) }))
        : NOTHING,
  },
  responseSyntaxCheck('cors-max-age-syntax', 'Access-Control-Max-Age', FETCH, 'Access-Control-Max-Age is a number of seconds.', (v) =>
    DIGITS_RE.test(v.trim()) ? null : `"${v}" is not a number of seconds`,
  ),
  {
    id: 'cors-max-age-capped',
    level: 'info',
    category: 'cors',
    scope: 'response',
    fields: ['access-control-max-age'],
    summary: 'Access-Control-Max-Age is above what browsers keep.',
    detail: 'Chromium caps preflight caching at 2 hours and Firefox at 24 hours; longer values are silently reduced.',
    reference: FETCH,
    run: (ctx) => hits(ctx.resHeaders.all('access-control-max-age'), (l) => Number(l.value.trim()) > 7200),
  },
  {
    id: 'cors-preflight-incomplete',
    level: 'warning',
    category: 'cors',
    scope: 'response',
    summary: 'A CORS preflight answer lacks Access-Control-Allow-Methods or -Origin.',
    detail:
      'The browser sent OPTIONS with Access-Control-Request-Method; without Allow-Origin and (for non-simple methods) Allow-Methods it will not send the real request.',
    reference: FETCH,
    applies: (s) => s.method === 'OPTIONS' && s.reqNames.has('access-control-request-method') && s.status >= 200 && s.status < 300,
    run: (ctx) =>
      ctx.req.method === 'OPTIONS' &&
      ctx.req.headers.has('access-control-request-method') &&
      ctx.status >= 200 &&
      ctx.status < 300 &&
      (!ctx.resHeaders.has('access-control-allow-origin') ||
        (!ctx.resHeaders.has('access-control-allow-methods') &&
          !CORS_PREFLIGHT_INCOMPLETE_RE.test(ctx.req.headers.first('access-control-request-method')?.value.trim() ?? '')))
        ? [{ subject: 'status' }]
        : NOTHING,
  },

  // Connection and TLS
  {
    id: 'plain-http',
    level: 'info',
    category: 'connection',
    scope: 'response',
    summary: 'The exchange used plain HTTP (no TLS).',
    detail: 'Everything, including headers, cookies and credentials, crossed the network unencrypted.',
    reference: 'RFC 9110, Section 4.2.1',
    applies: (s) => s.connection && !s.tls && !s.https,
    run: (ctx) => (ctx.exchange.connection && !ctx.exchange.connection.tls && !ctx.isHttps ? [{ subject: 'connection' }] : NOTHING),
  },
  {
    id: 'tls-old-protocol',
    level: 'bad',
    category: 'tls',
    scope: 'response',
    summary: 'The connection used TLS 1.0 or 1.1.',
    detail: 'TLS 1.0 and 1.1 are deprecated for weak cryptography; use TLS 1.2 or 1.3.',
    reference: 'RFC 8996',
    applies: (s) => s.tls,
    run: (ctx) => (TLS_OLD_PROTOCOL_RE.test(ctx.exchange.connection?.tls?.protocol ?? '') ? [{ subject: 'connection' }] : NOTHING),
  },
  {
    id: 'tls-modern',
    level: 'good',
    category: 'tls',
    scope: 'response',
    summary: 'The connection used TLS 1.3.',
    detail: 'TLS 1.3 has a faster handshake and only modern cipher suites.',
    reference: 'RFC 8446',
    applies: (s) => s.tls,
    run: (ctx) => (ctx.exchange.connection?.tls?.protocol === 'TLSv1.3' ? [{ subject: 'connection' }] : NOTHING),
  },
  {
    id: 'tls-unverified',
    level: 'bad',
    category: 'tls',
    scope: 'response',
    summary: 'The server certificate was not verified.',
    detail: "The request went out with verification turned off or the certificate failed it; the peer's identity is not proven.",
    reference: 'RFC 9110, Section 4.3.4',
    applies: (s) => s.tls,
    run: (ctx) => {
      const t = ctx.exchange.connection?.tls;
      return t && !t.authorized ? [{ subject: 'connection', extra: t.authorizationError ?? '' }] : [];
    },
  },
  {
    id: 'tls-certificate-expiring',
    level: 'warning',
    category: 'tls',
    scope: 'response',
    summary: 'The server certificate expires within 30 days.',
    detail: 'Renew it before clients start rejecting the connection.',
    reference: 'RFC 5280, Section 4.1.2.5',
    applies: (s) => s.tls,
    run: (ctx) => {
      const c = ctx.exchange.connection?.tls?.certificate;
      const to = c ? parseCertificateDate(c.validTo) : NaN;
      return Number.isFinite(to) && to > ctx.now && to - ctx.now < 30 * 86400000
        ? [{ subject: 'connection', summary: `The certificate expires ${c?.validTo}.` }]
        : [];
    },
  },
  {
    id: 'tls-certificate-expired',
    level: 'bad',
    category: 'tls',
    scope: 'response',
    summary: 'The server certificate has expired (or is not yet valid).',
    detail: 'Clients that verify certificates refuse the connection.',
    reference: 'RFC 5280, Section 4.1.2.5',
    applies: (s) => s.tls,
    run: (ctx) => {
      const c = ctx.exchange.connection?.tls?.certificate;
      if (!c) return NOTHING;
      const to = parseCertificateDate(c.validTo);
      const from = parseCertificateDate(c.validFrom);
      return (Number.isFinite(to) && to <= ctx.now) || (Number.isFinite(from) && from > ctx.now) ? [{ subject: 'connection' }] : [];
    },
  },
  {
    id: 'connection-close',
    level: 'info',
    category: 'connection',
    scope: 'response',
    fields: ['connection'],
    summary: 'The server closes the connection after this response.',
    detail: 'Connection: close prevents reuse, so the next request pays for a new TCP (and TLS) handshake.',
    reference: 'RFC 9112, Section 9.6',
    run: (ctx) =>
      ctx.resHeaders
        .all('connection')
        // Only a value spelling "close" (in any case) can list it: most say keep-alive.
        .filter((l) => CONNECTION_CLOSE_RE.test(l.value) && splitList(l.value).items.some((x) => x.toLowerCase() === 'close'))
        .map((l) => ({ subject: headerSubject(l) })),
  },
  {
    id: 'connection-reused',
    level: 'good',
    category: 'connection',
    scope: 'response',
    summary: 'An existing connection was reused.',
    detail: 'No DNS, TCP or TLS set-up was needed for this request.',
    reference: 'RFC 9112, Section 9.3',
    applies: (s) => s.connection,
    run: (ctx) => (ctx.exchange.connection?.reused ? [{ subject: 'connection' }] : NOTHING),
  },
  {
    id: 'alt-svc-http3',
    level: 'info',
    category: 'connection',
    scope: 'response',
    fields: ['alt-svc'],
    summary: 'The server advertises HTTP/3 through Alt-Svc.',
    detail: 'Browsers may switch to HTTP/3 over QUIC for later requests. Wire Lens speaks HTTP/1.1 only.',
    reference: 'RFC 7838; RFC 9114, Section 3.1.1',
    run: (ctx) => hits(ctx.resHeaders.all('alt-svc'), (l) => ALT_SVC_HTTP3_RE.test(l.value)),
  },

  // Trailers
  {
    id: 'trailer-forbidden-field',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'A field that must not appear in trailers was sent as a trailer.',
    detail:
      'Framing, routing, authentication, caching and content-metadata fields are not allowed after the content; recipients ignore or reject them.',
    reference: 'RFC 9110, Section 6.5.1',
    applies: (s) => s.trailers,
    run: (ctx) => ctx.trailers.lines.filter((l) => TRAILER_FORBIDDEN_FIELD_RE.test(l.name)).map((l) => ({ subject: `trailer:${l.index}` })),
  },
  {
    id: 'trailer-undeclared',
    level: 'info',
    category: 'general',
    scope: 'response',
    summary: 'A trailer field was not announced in the Trailer header.',
    detail: 'Senders should list trailer fields in Trailer so recipients can prepare for them.',
    reference: 'RFC 9110, Section 6.6.2',
    applies: (s) => s.trailers,
    run: (ctx) => {
      const declared = splitList(ctx.resHeaders.joined('trailer') ?? '').items.map((x) => x.toLowerCase());
      return ctx.trailers.lines.filter((l) => !declared.includes(l.name.toLowerCase())).map((l) => ({ subject: `trailer:${l.index}` }));
    },
  },

  // Timing
  timingCheck(
    'slow-first-byte',
    'warning',
    'firstByte',
    1000,
    'Slow time to first byte.',
    'The server took over a second between receiving the request and starting its response; usually slow application work or an overloaded upstream.',
  ),
  timingCheck(
    'slow-dns',
    'warning',
    'dns',
    500,
    'Slow DNS lookup.',
    'Name resolution took over half a second; a local cache or faster resolver helps.',
  ),
  timingCheck(
    'slow-connect',
    'warning',
    'connect',
    500,
    'Slow TCP connect.',
    'The TCP handshake took over half a second: a distant server, packet loss, or a saturated listen queue.',
  ),
  timingCheck(
    'slow-tls',
    'warning',
    'tls',
    500,
    'Slow TLS handshake.',
    'The TLS handshake took over half a second; TLS 1.3 and session resumption cut round trips.',
  ),
  {
    id: 'slow-download',
    level: 'info',
    category: 'timing',
    scope: 'response',
    summary: 'The body downloaded slowly (under 100 KB/s).',
    detail: 'Large bodies on a slow path dominate the total time; compression or smaller payloads help.',
    reference: 'Wire Lens timing model',
    run: (ctx): Finding[] => {
      const d = ctx.exchange.timings.download;
      const size = ctx.res?.body.wireSize ?? 0;
      return d !== null && d > 1000 && size > 102400 && size / (d / 1000) < 102400 ? [{ subject: 'timing' }] : [];
    },
  },
];

function timingCheck(
  id: string,
  level: 'warning',
  phase: 'firstByte' | 'dns' | 'connect' | 'tls',
  limitMs: number,
  summary: string,
  detail: string,
): CheckDef {
  return {
    id,
    level,
    category: 'timing',
    scope: 'response',
    summary,
    detail,
    reference: 'Wire Lens timing model (see RFC 9112 connection management)',
    run: (ctx) => {
      const v = ctx.exchange.timings[phase];
      return v !== null && v > limitMs ? [{ subject: 'timing', summary: `${summary.replace(FINAL_DOT_RE, '')}: ${Math.round(v)} ms.` }] : [];
    },
  };
}

function isDeletion(c: SetCookie, ctx: CheckContext): boolean {
  return (c.maxAge !== null && c.maxAge <= 0) || (c.maxAge === null && c.expires !== null && c.expires < ctx.responseTime);
}

defineChecks(checks);
