// An in-memory cookie store after RFC 6265, section 5 (with the Secure rules of its successor draft): what a
// response's Set-Cookie asks to keep, and which cookies go back in a later request's Cookie header.
// It lives as long as its owner (a VS Code window, one CLI run); nothing is written to disk.

export interface StoredCookie {
  name: string;
  value: string;
  /** Lowercased host (host-only) or the Domain attribute without its leading dot. */
  domain: string;
  path: string;
  /** Sent only to exactly `domain`, not to its subdomains. */
  hostOnly: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  /** Epoch ms when the cookie expires; null for a session cookie (kept until the jar is cleared). */
  expires: number | null;
  /** Epoch ms. */
  created: number;
  lastAccess: number;
}

export interface CookieJarLimits {
  perDomain: number;
  total: number;
  /** Largest name + value, in bytes (UTF-8); a larger cookie is dropped. */
  cookieBytes: number;
}

export const COOKIE_LIMITS: CookieJarLimits = { perDomain: 50, total: 3000, cookieBytes: 4096 };

/** Why a Set-Cookie value was not stored (for callers that want to tell the user). */
export interface CookieRejection {
  setCookie: string;
  reason: string;
}

interface Entry extends StoredCookie {
  /** Order of creation when two cookies share a creation millisecond. */
  seq: number;
}

interface ParsedCookie {
  name: string;
  value: string;
  expires: number | null;
  maxAge: number | null;
  domain: string | null;
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
}

// Control characters other than HTAB make a cookie unusable in a header (RFC 6265bis, 5.6 step 4).
const CONTROL = /[\x00-\x08\x0A-\x1F\x7F]/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// Registrable-domain boundaries that are not single labels; single-label domains (com, org, localhost…) are
// rejected by rule. Not the full Public Suffix List, only the suffixes people meet most.
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'net.uk',
  'com.au',
  'net.au',
  'org.au',
  'edu.au',
  'gov.au',
  'co.nz',
  'org.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'com.br',
  'com.cn',
  'net.cn',
  'org.cn',
  'co.in',
  'co.za',
  'com.mx',
  'com.tr',
  'co.kr',
  'com.sg',
  'com.hk',
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'vercel.app',
  'netlify.app',
  'pages.dev',
  'workers.dev',
  'azurewebsites.net',
  'cloudfront.net',
  'appspot.com',
  'blogspot.com',
  'firebaseapp.com',
  'web.app',
]);

function isIp(host: string): boolean {
  return IPV4.test(host) || host.startsWith('[') || host.includes(':');
}

/** The request host as cookies compare it: lowercase, without a trailing dot. */
function canonicalHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

function isPublicSuffix(domain: string): boolean {
  return !domain.includes('.') || MULTI_LABEL_SUFFIXES.has(domain);
}

/** RFC 6265, 5.1.3. */
export function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && !isIp(host);
}

/** RFC 6265, 5.1.4: the directory of the request path. */
export function defaultPath(urlPath: string): string {
  if (!urlPath.startsWith('/')) return '/';
  const last = urlPath.lastIndexOf('/');
  return last === 0 ? '/' : urlPath.slice(0, last);
}

/** RFC 6265, 5.1.4. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * RFC 6265, 5.1.1: the lenient cookie-date algorithm (accepts the IMF, RFC 850, asctime and Netscape
 * `Wed, 21-Oct-2015 07:28:00 GMT` forms and most variants). Epoch ms, or null when it is not a date.
 */
export function parseCookieDate(text: string): number | null {
  const tokens = text.split(/[\x09\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]+/).filter(Boolean);
  let time: number[] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  for (const t of tokens) {
    if (!time) {
      const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/.exec(t);
      if (m) {
        time = [Number(m[1]), Number(m[2]), Number(m[3])];
        continue;
      }
    }
    if (day === null) {
      const m = /^(\d{1,2})(?:\D.*)?$/.exec(t);
      if (m) {
        day = Number(m[1]);
        continue;
      }
    }
    if (month === null) {
      const i = MONTHS.indexOf(t.slice(0, 3).toLowerCase());
      if (i >= 0) {
        month = i;
        continue;
      }
    }
    if (year === null) {
      const m = /^(\d{2,4})(?:\D.*)?$/.exec(t);
      if (m) {
        year = Number(m[1]);
        continue;
      }
    }
  }
  if (!time || day === null || month === null || year === null) return null;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [h, mi, s] = time;
  if (day < 1 || day > 31 || year < 1601 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(year, month, day, h, mi, s);
  // Date.UTC rolls 31 February over into March; such a date does not exist.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms;
}

/** RFC 6265, 5.2. Null when the whole Set-Cookie is to be ignored, with the reason. */
function parseSetCookie(header: string): ParsedCookie | string {
  const semi = header.indexOf(';');
  const pair = semi < 0 ? header : header.slice(0, semi);
  const eq = pair.indexOf('=');
  if (eq < 0) return 'no "=" in the name-value pair';
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (!name) return 'the cookie name is empty';
  if (CONTROL.test(name) || CONTROL.test(value)) return 'control characters in the name or value';
  const out: ParsedCookie = { name, value, expires: null, maxAge: null, domain: null, path: null, secure: false, httpOnly: false, sameSite: null };
  if (semi < 0) return out;
  // Later attributes of the same name win: the loop simply overwrites.
  for (const raw of header.slice(semi + 1).split(';')) {
    const aeq = raw.indexOf('=');
    const key = (aeq < 0 ? raw : raw.slice(0, aeq)).trim().toLowerCase();
    const val = aeq < 0 ? '' : raw.slice(aeq + 1).trim();
    switch (key) {
      case 'expires': {
        const t = parseCookieDate(val);
        if (t !== null) out.expires = t;
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(val)) out.maxAge = Number(val);
        break;
      case 'domain':
        // An empty Domain is ignored; a leading dot is dropped (5.2.3).
        if (val) out.domain = val.replace(/^\./, '').toLowerCase();
        break;
      case 'path':
        out.path = val.startsWith('/') ? val : null;
        break;
      case 'secure':
        out.secure = true;
        break;
      case 'httponly':
        out.httpOnly = true;
        break;
      case 'samesite':
        out.sameSite = val || null;
        break;
      default:
        break;
    }
  }
  return out;
}

export class CookieJar {
  private readonly cookies: Entry[] = [];
  private seq = 0;
  readonly limits: CookieJarLimits;

  constructor(limits: Partial<CookieJarLimits> = {}) {
    this.limits = { ...COOKIE_LIMITS, ...limits };
  }

  /**
   * Stores the Set-Cookie header values of a response to `url` (RFC 6265, 5.3). Returns the values that were
   * ignored, with why; a cookie that arrives already expired deletes its stored namesake and is not a rejection.
   */
  storeFrom(url: URL, setCookieValues: readonly string[], now: number = Date.now()): CookieRejection[] {
    const rejected: CookieRejection[] = [];
    for (const sc of setCookieValues) {
      const reason = this.storeOne(url, sc, now);
      if (reason) rejected.push({ setCookie: sc, reason });
    }
    return rejected;
  }

  /** The Cookie header value for a request to `url`, or null when no stored cookie applies (RFC 6265, 5.4). */
  cookieHeaderFor(url: URL, now: number = Date.now()): string | null {
    // A run's jar is mostly empty: asked before every request, it answers at once then.
    if (this.cookies.length === 0) return null;
    this.purge(now);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const host = canonicalHost(url);
    const path = url.pathname || '/';
    const secure = url.protocol === 'https:';
    const matching = this.cookies.filter(
      (c) => (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)) && pathMatches(path, c.path) && (secure || !c.secure),
    );
    if (matching.length === 0) return null;
    // Longer paths first, then earlier creation (5.4 step 2).
    matching.sort((a, b) => b.path.length - a.path.length || a.created - b.created || a.seq - b.seq);
    for (const c of matching) c.lastAccess = now;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** The live cookies, oldest first (copies). */
  list(now: number = Date.now()): StoredCookie[] {
    this.purge(now);
    return [...this.cookies].sort((a, b) => a.created - b.created || a.seq - b.seq).map(({ seq: _seq, ...c }) => ({ ...c }));
  }

  get size(): number {
    return this.cookies.length;
  }

  clear(): void {
    this.cookies.length = 0;
  }

  private storeOne(url: URL, setCookie: string, now: number): string | null {
    const p = parseSetCookie(setCookie);
    if (typeof p === 'string') return p;
    if (Buffer.byteLength(p.name) + Buffer.byteLength(p.value) > this.limits.cookieBytes) {
      return `name and value are longer than ${this.limits.cookieBytes} bytes`;
    }
    const host = canonicalHost(url);
    const secureOrigin = url.protocol === 'https:';
    // Max-Age wins over Expires; Max-Age <= 0 means the earliest representable time, i.e. delete now.
    let expires: number | null = null;
    if (p.maxAge !== null) expires = p.maxAge <= 0 ? 0 : now + Math.min(p.maxAge, 400 * 86_400) * 1000;
    else if (p.expires !== null) expires = p.expires;
    let domain = p.domain;
    if (domain !== null && isPublicSuffix(domain)) {
      // A public suffix is only acceptable as the very host that set it, and then as host-only (5.3 step 5).
      if (domain !== host) return `Domain=${domain} is a public suffix`;
      domain = null;
    }
    let hostOnly: boolean;
    if (domain !== null) {
      if (!domainMatches(host, domain)) return `Domain=${domain} does not match the host ${host}`;
      // Cookies of an IP address go back to that address only.
      hostOnly = isIp(host);
      if (hostOnly) domain = host;
    } else {
      hostOnly = true;
      domain = host;
    }
    const path = p.path ?? defaultPath(url.pathname || '/');
    if (p.secure && !secureOrigin) return 'Secure cookie set over plain http';
    const idx = this.cookies.findIndex((c) => c.name === p.name && c.domain === domain && c.path === path);
    const old = idx >= 0 ? this.cookies[idx] : undefined;
    // A plain-http response may not overwrite or shadow a Secure cookie (RFC 6265bis, 5.7 step 16).
    if (
      !secureOrigin &&
      this.cookies.some(
        (c) => c.secure && c.name === p.name && (domainMatches(domain, c.domain) || domainMatches(c.domain, domain)) && pathMatches(path, c.path),
      )
    ) {
      return 'would overwrite a Secure cookie over plain http';
    }
    if (old) this.cookies.splice(idx, 1);
    if (expires !== null && expires <= now) return null;
    const entry: Entry = {
      name: p.name,
      value: p.value,
      domain,
      path,
      hostOnly,
      secure: p.secure,
      httpOnly: p.httpOnly,
      sameSite: p.sameSite,
      expires,
      created: old ? old.created : now,
      lastAccess: now,
      seq: old ? old.seq : this.seq++,
    };
    this.cookies.push(entry);
    this.evict(domain, now);
    return null;
  }

  private purge(now: number): void {
    for (let i = this.cookies.length - 1; i >= 0; i--) {
      const e = this.cookies[i].expires;
      if (e !== null && e <= now) this.cookies.splice(i, 1);
    }
  }

  /** Over a limit, expired cookies go first, then the least recently used (5.3 step 12). */
  private evict(domain: string, now: number): void {
    this.purge(now);
    const dropOldest = (pool: Entry[], keep: number): void => {
      if (pool.length <= keep) return;
      const victims = [...pool].sort((a, b) => a.lastAccess - b.lastAccess || a.seq - b.seq).slice(0, pool.length - keep);
      for (const v of victims) this.cookies.splice(this.cookies.indexOf(v), 1);
    };
    dropOldest(
      this.cookies.filter((c) => c.domain === domain),
      this.limits.perDomain,
    );
    dropOldest(this.cookies, this.limits.total);
  }
}
