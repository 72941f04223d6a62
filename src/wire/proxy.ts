// Proxies: which one a request goes through (request metadata, settings or CLI flags, then curl's environment
// variables, with curl's NO_PROXY rules), and the proxy's part of the wire: the CONNECT tunnel as an exchange of
// its own (kept as the first leg of the hop), the forward form for http:// targets, TLS to an https:// proxy,
// and SOCKS5 (socks.ts). Credentials come from the proxy URL's user info and are masked in the record.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Exchange, HeaderPair, Note, ProxyInfo } from '../shared/exchange';
import type { RequestOptions } from '../shared/request';
import { CANCELLED, WL, WireError, codeOf } from './errors';
import { isWireErrorCode, type WireErrorCode } from '../shared/errorCodes';
import { ResponseParser } from './parser';

export interface ProxySettings {
  /** The proxy for every request (VS Code's `http.proxy`, the CLI's `--proxy`); wins over the environment. */
  url?: string;
  /** Hosts reached directly (`http.noProxy`, `--noproxy`), NO_PROXY syntax; replaces NO_PROXY when given. */
  noProxy?: string[];
  /** Verify an https:// proxy's certificate (`http.proxyStrictSSL`, default true). */
  strictSSL?: boolean;
  /** Where HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY are read (either case); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How `url` is named in the record: `settings`, `--proxy`. */
  source?: string;
}

export type ProxyKind = ProxyInfo['kind'];

/** The proxy chosen for one request. */
export interface ProxyRoute {
  url: URL;
  kind: ProxyKind;
  host: string;
  port: number;
  /** `Basic …` from the URL's user info (HTTP proxies), when it has one. */
  authorization?: string;
  username?: string;
  password?: string;
  /** The proxy URL with the password masked, for the record. */
  masked: string;
  source: string;
  strictSSL: boolean;
  /** Extra trusted roots for an https:// proxy (the same list as for targets). */
}

export const PROXY_ERRORS = {
  CONFIG: WL.PROXY_CONFIG,
  /** The proxy answered CONNECT with something other than 2xx. */
  CONNECT: WL.PROXY_CONNECT,
  /** 407: the proxy wants (other) credentials. */
  AUTH: WL.PROXY_AUTH,
  SOCKS: WL.SOCKS,
} as const;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'socks5:': 1080, 'socks5h:': 1080 };

/** `http://user:****@proxy:3128` */
export function maskProxyUrl(u: URL): string {
  const c = new URL(u.href);
  if (c.password) c.password = '****';
  return c.href.replace(/\/$/, '');
}

/** Parses a proxy URL as curl does: no scheme means http://. Throws WL_PROXY_CONFIG. */
export function parseProxyUrl(text: string, source: string, strictSSL = true): ProxyRoute {
  const raw = text.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new WireError(PROXY_ERRORS.CONFIG, `Proxy ${JSON.stringify(raw)} (from ${source}) is not a valid URL`, 'resolve');
  }
  const kind = u.protocol.slice(0, -1) as ProxyKind;
  if (!(u.protocol in DEFAULT_PORTS)) {
    throw new WireError(
      PROXY_ERRORS.CONFIG,
      `Proxy scheme ${u.protocol}// (from ${source}) is not supported: http, https, socks5, socks5h`,
      'resolve',
    );
  }
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  const route: ProxyRoute = {
    url: u,
    kind,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || DEFAULT_PORTS[u.protocol]),
    masked: maskProxyUrl(u),
    source,
    strictSSL,
  };
  if (u.username || u.password) {
    route.username = username;
    route.password = password;
    if (kind === 'http' || kind === 'https') route.authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  return route;
}

/**
 * The environment's proxy variables as read for one settings object: a run hands the same object to every request,
 * and reading `process.env` (a call into the C++ environment per name, two names per variable) is per run, not per
 * request.
 */
const envSeen = new WeakMap<ProxySettings, Map<string, { name: string; value: string } | null>>();

function settingsEnv(settings: ProxySettings | undefined, name: string): { name: string; value: string } | null {
  if (!settings?.env) return null;
  let seen = envSeen.get(settings);
  if (!seen) envSeen.set(settings, (seen = new Map()));
  let v = seen.get(name);
  if (v === undefined) seen.set(name, (v = envValue(settings.env, name)));
  return v;
}

function envValue(env: Readonly<Record<string, string | undefined>> | undefined, name: string): { name: string; value: string } | null {
  if (!env) return null;
  // curl reads the lower-case form first (and http_proxy only in lower case, against CGI's HTTP_PROXY).
  for (const n of [name.toLowerCase(), name.toUpperCase()]) {
    const v = env[n];
    if (v !== undefined && v.trim() !== '') return { name: n, value: v };
  }
  return null;
}

function parseCidr(entry: string): { base: string; bits: number; family: 4 | 6 } | null {
  const m = /^\[?([^\]/]+)\]?(?:\/(\d{1,3}))?$/.exec(entry);
  if (!m) return null;
  const family = net.isIP(m[1]);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const bits = m[2] === undefined ? max : Number(m[2]);
  if (bits > max) return null;
  return { base: m[1], bits, family: family as 4 | 6 };
}

/**
 * curl's NO_PROXY: entries separated by commas (or spaces); `*` alone matches every host; a name matches
 * itself and its subdomains (`example.com` and `.example.com` both match `www.example.com`, not
 * `myexample.com`); an IP address or CIDR range matches addresses in it; `host:port` limits an entry to a port.
 */
export function noProxyMatches(list: string | readonly string[], host: string, port: number): boolean {
  const entries = (typeof list === 'string' ? list.split(/[,\s]+/) : list.flatMap((e) => e.split(/[,\s]+/)))
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const ipFamily = net.isIP(h);
  for (let entry of entries) {
    if (entry === '*') return true;
    // An optional :port (IPv6 entries carry it after a bracket).
    const pm = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (pm) {
      if (Number(pm[2]) !== port) continue;
      entry = pm[1];
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (ipFamily !== 0) {
      const c = parseCidr(entry);
      if (c && c.family === ipFamily) {
        const bl = new net.BlockList();
        bl.addSubnet(c.base, c.bits, c.family === 4 ? 'ipv4' : 'ipv6');
        if (bl.check(h, ipFamily === 4 ? 'ipv4' : 'ipv6')) return true;
      }
      continue;
    }
    const name = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (name === '') continue;
    if (h === name || h.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * The proxy for a request, or null for a direct connection. Order: `# @no-proxy`, `# @proxy URL`, the
 * settings / `--proxy`, then HTTPS_PROXY (https targets) or HTTP_PROXY (http), then ALL_PROXY; NO_PROXY (or
 * the noProxy list) exempts hosts from all but `# @proxy`. Throws WL_PROXY_CONFIG for an unusable URL.
 */
export function proxyFor(target: URL, settings: ProxySettings | undefined, options: RequestOptions = {}): ProxyRoute | null {
  const strict = settings?.strictSSL !== false;
  if (options.noProxy) return null;
  if (options.proxy) return parseProxyUrl(options.proxy, '# @proxy', strict);
  const host = target.hostname;
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const exempt = (): boolean => {
    const list = settings?.noProxy && settings.noProxy.length > 0 ? settings.noProxy : settingsEnv(settings, 'no_proxy')?.value;
    return list !== undefined && noProxyMatches(list, host, port);
  };
  if (settings?.url && settings.url.trim() !== '') {
    if (exempt()) return null;
    return parseProxyUrl(settings.url, settings.source ?? 'settings', strict);
  }
  const scheme = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const found = settingsEnv(settings, scheme) ?? settingsEnv(settings, 'all_proxy');
  if (!found || exempt()) return null;
  return parseProxyUrl(found.value, found.name, strict);
}

/** The record's description of a route (address filled once connected). */
export function proxyInfo(route: ProxyRoute, target: URL, mode: ProxyInfo['mode']): ProxyInfo {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  return {
    url: route.masked,
    kind: route.kind,
    mode,
    address: null,
    port: null,
    target: `${hostForAuthority(target.hostname)}:${port}`,
    source: route.source,
  };
}

function hostForAuthority(hostname: string): string {
  const h = hostname.replace(/^\[|\]$/g, '');
  return net.isIPv6(h) ? `[${h}]` : h;
}

/** Replaces the credentials of a `Proxy-Authorization` value by asterisks of the same length (for the record). */
export function maskAuthorization(value: string): string {
  const sp = value.indexOf(' ');
  return sp < 0 ? '*'.repeat(value.length) : `${value.slice(0, sp + 1)}${'*'.repeat(value.length - sp - 1)}`;
}

/** A note that explains a 407 from a proxy: what it asks for and how to give it. */
export function proxyAuthNote(headers: HeaderPair[], route: ProxyRoute): Note {
  const challenge = headers.filter(([n]) => n.toLowerCase() === 'proxy-authenticate').map(([, v]) => v);
  const asked = challenge.length > 0 ? ` It asks for: ${challenge.join('; ')}.` : ' It sent no Proxy-Authenticate challenge.';
  const sent = route.authorization
    ? `Wire Lens sent Basic credentials for user "${route.username ?? ''}" from the proxy URL; the proxy rejected them (wrong user or password, or it wants another scheme).`
    : `No credentials were sent: put them in the proxy URL, e.g. ${route.url.protocol}//USER:PASSWORD@${hostForAuthority(route.host)}:${route.port} (Basic authentication; the password is masked wherever the exchange is shown).`;
  return {
    id: 'proxy-auth-required',
    subject: 'connection',
    level: 'bad',
    category: 'proxy',
    summary: `Proxy ${route.masked} requires authentication (407)`,
    detail: `407 Proxy Authentication Required comes from the proxy (${route.source}), not from the target server.${asked} ${sent}`,
    reference: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.8',
  };
}

export interface TunnelOptions {
  route: ProxyRoute;
  target: URL;
  userAgent?: string;
  timeoutMs: number;
  maxHeaderBytes: number;
  signal?: AbortSignal;
  /** Where the tunnel's own connection facts and the time its connection began come from. */
  leg: Exchange;
  /** performance.now() when the connection to the proxy started (for the leg's total). */
  startedAt: number;
}

/** A failure of the proxy's part that keeps the CONNECT exchange for the record. */
export class ProxyError extends WireError {
  constructor(
    code: WireErrorCode,
    message: string,
    readonly leg: Exchange | null,
    readonly note: Note | null = null,
  ) {
    super(code, message, 'connect');
  }
}

const MAX_TUNNEL_BODY = 64 * 1024;

/**
 * Sends `CONNECT host:port` on a connection to the proxy and reads its answer into `leg` (request and response
 * bytes, headers, timings). Resolves once a 2xx head arrived (the socket is then a tunnel to the target; any
 * bytes after the head are put back); rejects with a ProxyError carrying the leg otherwise.
 */
export function connectTunnel(sock: net.Socket, o: TunnelOptions): Promise<void> {
  const authority = `${hostForAuthority(o.target.hostname)}:${Number(o.target.port || 443)}`;
  const headers: HeaderPair[] = [['Host', authority]];
  if (o.route.authorization) headers.push(['Proxy-Authorization', o.route.authorization]);
  if (o.userAgent) headers.push(['User-Agent', o.userAgent]);
  headers.push(['Proxy-Connection', 'Keep-Alive']);
  const head = (hs: HeaderPair[]): Buffer =>
    Buffer.from(`CONNECT ${authority} HTTP/1.1\r\n${hs.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'utf8');
  const recorded: HeaderPair[] = headers.map(([n, v]) => [n, n === 'Proxy-Authorization' ? maskAuthorization(v) : v]);
  const leg = o.leg;
  leg.request = {
    method: 'CONNECT',
    url: `${o.route.masked}`,
    httpVersion: 'HTTP/1.1',
    headers: recorded,
    rawBase64: head(recorded).toString('base64'),
    bodySize: 0,
  };
  const ready = performance.now();
  return new Promise<void>((resolve, reject) => {
    const raw: Buffer[] = [];
    let rawLen = 0;
    let sentAt: number | undefined;
    let firstAt: number | undefined;
    let headOk = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let body = 0;
    const t = leg.timings;
    const finishTimings = (): void => {
      const end = performance.now();
      t.send = sentAt !== undefined ? sentAt - ready : null;
      t.firstByte = firstAt !== undefined && sentAt !== undefined ? Math.max(0, firstAt - sentAt) : null;
      t.download = firstAt !== undefined ? end - firstAt : null;
      t.total = end - o.startedAt;
    };
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      sock.off('data', onData);
      sock.off('end', onClose);
      sock.off('close', onClose);
      sock.off('error', onError);
      o.signal?.removeEventListener('abort', onAbort);
    };
    const settle = (err: ProxyError | null): void => {
      if (settled) return;
      settled = true;
      cleanup();
      if (leg.response) {
        leg.response.rawBase64 = Buffer.concat(raw, rawLen).toString('base64');
        leg.response.receivedBytes = rawLen;
      }
      finishTimings();
      if (err) {
        if (!leg.error) leg.error = err.toJSON();
        sock.destroy();
        reject(err);
      } else resolve();
    };
    const refused = (): void => {
      const r = leg.response;
      if (!r) return;
      if (r.status === 407) {
        const note = proxyAuthNote(r.headers, o.route);
        leg.notes.push(note);
        settle(
          new ProxyError(
            PROXY_ERRORS.AUTH,
            `Proxy ${o.route.masked} requires authentication (407 ${r.reason})${o.route.authorization ? ': the credentials in the proxy URL were rejected' : ': give user:password in the proxy URL'}`,
            leg,
            note,
          ),
        );
      } else {
        settle(new ProxyError(PROXY_ERRORS.CONNECT, `Proxy ${o.route.masked} refused the tunnel to ${authority}: ${r.status} ${r.reason}`, leg));
      }
    };
    const parser = new ResponseParser(
      {
        onStatus: (version, status, reason) => {
          leg.response = {
            httpVersion: version,
            status,
            reason,
            headers: [],
            trailers: [],
            interim: [],
            body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
            rawBase64: '',
            headersComplete: false,
          };
        },
        onHeader: (n, v) => {
          leg.response?.headers.push([n, v]);
        },
        onHeadersComplete: (h) => {
          const r = leg.response;
          if (!r || h.interim) return;
          r.headersComplete = true;
          r.headSize = h.offset;
          if (r.status >= 200 && r.status < 300) headOk = true;
        },
        onBody: (chunk) => {
          body += chunk.length;
          const r = leg.response;
          if (r && body <= MAX_TUNNEL_BODY) {
            const prev = Buffer.from(r.body.base64, 'base64');
            const all = Buffer.concat([prev, chunk]);
            r.body = { base64: all.toString('base64'), text: all.toString('utf8'), size: all.length, wireSize: all.length, truncated: false };
          }
        },
        onMessageComplete: () => undefined,
        onError: (e) => settle(new ProxyError(e.code, `The proxy's answer to CONNECT is malformed: ${e.message}`, leg)),
      },
      { method: 'CONNECT', maxHeaderBytes: o.maxHeaderBytes },
    );
    const onData = (d: Buffer): void => {
      if (settled) return;
      if (firstAt === undefined) firstAt = performance.now();
      const before = rawLen;
      if (rawLen < o.maxHeaderBytes + MAX_TUNNEL_BODY) {
        raw.push(d);
        rawLen += d.length;
      }
      parser.execute(d);
      if (settled) return;
      if (headOk) {
        // The target speaks first over TLS only after the ClientHello: bytes after the 2xx head are the proxy's.
        const used = (leg.response?.headSize ?? 0) - before;
        if (used >= 0 && used < d.length) {
          settle(
            new ProxyError(
              PROXY_ERRORS.CONNECT,
              `Proxy ${o.route.masked} sent ${d.length - used} bytes after its ${leg.response?.status ?? ''} answer to CONNECT, before the tunnel was used`,
              leg,
            ),
          );
          return;
        }
        settle(null);
        return;
      }
      if (parser.finished || body > MAX_TUNNEL_BODY) refused();
    };
    const onClose = (): void => {
      if (settled) return;
      if (!parser.finished) parser.finish();
      if (leg.response?.headersComplete && !headOk) refused();
      else if (!settled)
        settle(
          new ProxyError(
            PROXY_ERRORS.CONNECT,
            `Proxy ${o.route.masked} closed the connection ${leg.response ? 'in the middle of its answer to' : 'without answering'} CONNECT ${authority}`,
            leg,
          ),
        );
    };
    const onError = (e: NodeJS.ErrnoException): void =>
      settle(new ProxyError(codeOf(e, 'ECONNRESET'), `Talking to proxy ${o.route.masked}: ${e.message}`, leg));
    const onAbort = (): void => settle(new ProxyError(CANCELLED, 'Cancelled while the proxy opened the tunnel', leg));
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    sock.on('data', onData);
    sock.once('end', onClose);
    sock.once('close', onClose);
    sock.on('error', onError);
    if (o.timeoutMs > 0)
      timer = setTimeout(
        () => settle(new ProxyError('ETIMEDOUT', `Proxy ${o.route.masked} did not answer CONNECT within ${o.timeoutMs} ms`, leg)),
        o.timeoutMs,
      );
    sock.write(head(headers), () => {
      sentAt = performance.now();
    });
  });
}

/** TLS to an https:// proxy (verified unless http.proxyStrictSSL is off). */
export function tlsToProxy(
  raw: net.Socket,
  route: ProxyRoute,
  ca: string[] | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<tls.TLSSocket> {
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const servername = net.isIP(route.host) ? undefined : route.host;
    const s = tls.connect({
      socket: raw,
      servername,
      rejectUnauthorized: false,
      ca: ca && ca.length > 0 ? [...tls.rootCertificates, ...ca] : undefined,
    });
    s.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const done = (err: WireError | null): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      s.off('error', onError);
      if (err) {
        s.destroy();
        reject(err);
      } else resolve(s);
    };
    const onAbort = (): void => done(new WireError(CANCELLED, 'Cancelled during the TLS handshake with the proxy', 'connect'));
    const onError = (e: NodeJS.ErrnoException): void =>
      done(new WireError(codeOf(e, 'ERR_TLS'), `TLS handshake with proxy ${route.masked} failed: ${e.message}`, 'connect'));
    s.once('error', onError);
    s.once('secureConnect', () => {
      if (!s.authorized && route.strictSSL) {
        const why = String(s.authorizationError ?? 'ERR_TLS_CERT_UNTRUSTED');
        done(
          new WireError(
            isWireErrorCode(why) ? why : 'ERR_TLS_CERT_UNTRUSTED',
            `Certificate of proxy ${route.masked} rejected (${why}); trust its CA, or turn off http.proxyStrictSSL`,
            'connect',
          ),
        );
        return;
      }
      done(null);
    });
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0)
      timer = setTimeout(
        () => done(new WireError('ETIMEDOUT', `TLS handshake with proxy ${route.masked} timed out after ${timeoutMs} ms`, 'connect')),
        timeoutMs,
      );
  });
}
