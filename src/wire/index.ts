// The wire engine's entry point: `send` runs one request, following redirects, and returns one Exchange.
// It never rejects; a failure is in `exchange.error` with everything seen before it.
import { isoNow } from '../shared/clock';
import type { Exchange, ExchangeError, HeaderPair, Note } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import type { CookieJar } from './cookieJar';
import { WL, fromUnknown } from './errors';
import { headerValue, headerValues } from '../shared/access';
import { versionNotes } from './versionNote';
import { isIdempotent } from '../shared/methods';
import { chooseChallenge, digestAuthorization, parseDigestChallenges } from './auth/digest';
import { effectiveMaxBody, type HopOptions } from './hop';
import { runAnyHop, type Http2Mode } from './h2/hop';
import type { SendOptions } from './sendOptions';
import { buildRecord, type Leg } from './record';
import { runSocket } from './sockets';
import { parsedUrl } from './urlCache';

export type { BodySink } from './hop';
export { MAX_RECORD_BYTES, effectiveMaxBody } from './hop';

export type { ClientCertificate, Lookup } from './connect';
export type { Http2Mode } from './h2/hop';
export { ResponseParser } from './parser';
export type { ParserHandler, ParserOptions, ParseError, HeadInfo, BodyMode } from './parser';
export { decodeText, mediaType, isTextual } from './charset';
export { CookieJar, COOKIE_LIMITS } from './cookieJar';
export type { SocketControl, SocketHooks } from './socketSession';
export type { StoredCookie, CookieJarLimits, CookieRejection } from './cookieJar';
export { ConnectionPool, originKey } from './pool';
export type { PoolOptions, PooledConnection, OriginParts } from './pool';
export { allowsReuse } from './hop';
export { noProxyMatches, parseProxyUrl, proxyFor, maskProxyUrl, PROXY_ERRORS } from './proxy';
export type { ProxySettings, ProxyRoute } from './proxy';

export const DEFAULTS = {
  timeoutMs: 30_000,
  maxRedirects: 10,
  maxHeaderBytes: 256 * 1024,
  maxBodyBytes: 64 * 1024 * 1024,
  /** A decoded/wire ratio above this, past `decodeRatioFloor` decoded bytes, is a decompression bomb. */
  maxDecodeRatio: 250,
  decodeRatioFloor: 8 * 1024 * 1024,
  userAgent: 'wirelens/0.1',
  /** WebSocket: the largest message (after inflating) and frame accepted. */
  maxMessageBytes: 64 * 1024 * 1024,
  maxFrameBytes: 64 * 1024 * 1024,
} as const;

export type { SendOptions } from './sendOptions';

const NO_NOTES: readonly Note[] = [];
/** Failures of a reused connection that mean the server had closed it while idle. */
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', WL.EMPTY_REPLY]);

/** True when a hop failed on a pooled connection before any response byte, in the way a closed idle one fails. */
export function failedStale(ex: Exchange): boolean {
  return (
    ex.connection?.reused === true &&
    ex.response === null &&
    ex.error !== null &&
    (ex.error.phase === 'send' || ex.error.phase === 'wait') &&
    STALE_CODES.has(ex.error.code)
  );
}

/** One hop; a stale pooled connection is retried once on a new one (idempotent methods), both attempts kept. */
async function hopWithRetry(req: ResolvedRequest, o: HopOptions, mode: Http2Mode): Promise<Exchange> {
  const first = await runAnyHop(req, o, mode);
  if (!failedStale(first) || !isIdempotent(req.method) || o.signal?.aborted) return first;
  const second = await runAnyHop(req, { ...o, newConnection: true }, mode);
  second.attempts = [first];
  if (second.connection)
    second.connection.newReason = `the reused connection failed (${first.error?.code ?? 'closed'}) before any response byte: retried once on a new one`;
  return second;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function origin(u: URL): string {
  return `${u.protocol}//${u.host}`;
}

/** The next request of a redirect chain, or an error message when the Location is unusable. */
export function redirectRequest(prev: ResolvedRequest, status: number, location: string): ResolvedRequest | string {
  let next: URL;
  try {
    next = new URL(location, prev.url);
  } catch {
    return `Location ${JSON.stringify(location)} is not a valid URL`;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return `Location uses unsupported scheme ${next.protocol}`;
  const method = prev.method.toUpperCase();
  // 303 always, and 301/302 after POST (what browsers and curl do), continue as GET without the body.
  const toGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  const crossOrigin = origin(next) !== origin(new URL(prev.url));
  const drop = new Set(['host']);
  if (toGet) for (const h of ['content-length', 'content-type', 'transfer-encoding', 'content-encoding']) drop.add(h);
  if (crossOrigin) for (const h of ['authorization', 'proxy-authorization', 'cookie']) drop.add(h);
  // Any header that carries a secret (X-Api-Key: {{apiKey}} from a private env file…) stays with its origin too.
  const secrets = (prev.secrets ?? []).filter((x) => x.length >= 2);
  const carriesSecret = (v: string): boolean => secrets.some((x) => v.includes(x));
  const headers: HeaderPair[] = prev.headers.filter(([n, v]) => !drop.has(n.toLowerCase()) && !(crossOrigin && carriesSecret(v)));
  next.hash = '';
  // The written target and its notes were about the first request; the Location decides the next one.
  const { target: _target, notes: _notes, ...rest } = prev;
  return { ...rest, method: toGet ? 'GET' : prev.method, url: next.toString(), headers, body: toGet ? null : prev.body };
}

/** The options of one hop: the request's own (`# @timeout`, `# @insecure`…) over the engine's, over the defaults. */
function hopOptionsFor(req: ResolvedRequest, opts: SendOptions, startedAt: number, follow: boolean, last: boolean): HopOptions {
  const ro = req.options;
  // `# @timeout` on the request wins over every per-phase option; without it each phase falls back to timeoutMs.
  const own = ro.timeoutMs;
  const timeout = own ?? opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes;
  const maxTimeMs = ro.maxTimeMs ?? opts.maxTimeMs ?? 0;
  const sink = opts.bodySink;
  return {
    signal: opts.signal,
    connectTimeoutMs: ro.connectTimeoutMs ?? own ?? opts.connectTimeoutMs ?? timeout,
    firstByteTimeoutMs: own ?? opts.firstByteTimeoutMs ?? timeout,
    idleTimeoutMs: own ?? opts.idleTimeoutMs ?? timeout,
    headTimeoutMs: own ?? opts.headTimeoutMs ?? timeout,
    maxHeaderBytes,
    // Applies to what is kept in memory: redirect hops, and the final body when there is no sink. Clamped so
    // that the record can hold it (a larger --max-body would end in a crash building the base64 string).
    maxBodyBytes: effectiveMaxBody(opts.maxBodyBytes ?? DEFAULTS.maxBodyBytes, maxHeaderBytes),
    maxDecodeRatio: opts.maxDecodeRatio ?? DEFAULTS.maxDecodeRatio,
    decodeRatioFloor: opts.decodeRatioFloor ?? DEFAULTS.decodeRatioFloor,
    userAgent: opts.userAgent ?? DEFAULTS.userAgent,
    // A request option decides when it is set; left undefined, the engine options (settings / CLI flags) decide.
    insecure: (ro.insecure ?? opts.insecure) === true,
    ca: opts.ca,
    clientCertificates: opts.clientCertificates,
    lookup: opts.lookup,
    // A response that will be followed keeps its (small) body in memory; only the final one goes to the sink.
    sinkFor: sink
      ? (status, headers) => (follow && !last && REDIRECTS.has(status) && headerValue(headers, 'location') !== null ? null : sink)
      : undefined,
    onProgress: opts.onProgress,
    startedAt,
    pool: opts.pool,
    proxy: opts.proxy,
    newConnection: ro.newConnection === true,
    deadlineAt: maxTimeMs > 0 ? startedAt + maxTimeMs : undefined,
    maxTimeMs,
    h2Window: opts.http2Window,
  };
}

export function send(req: ResolvedRequest, opts: SendOptions = {}): Promise<Exchange> {
  return sendAnnotated(req, opts, opts.annotate);
}

/**
 * `send` with the knowledge base's notes for each hop from `annotate` (the pipeline's), so that a caller need
 * not copy its options to add it: a spread of the options costs a microsecond on every request.
 */
export async function sendAnnotated(req: ResolvedRequest, opts: SendOptions, annotate: SendOptions['annotate']): Promise<Exchange> {
  if (req.socket)
    return buildRecord({
      legs: [{ exchange: await runSocket(req, req.socket, opts), notes: [] }],
      error: null,
      requestNotes: [],
      annotate,
    });
  const startedAt = performance.now();
  const maxRedirects = opts.maxRedirects ?? DEFAULTS.maxRedirects;
  const legs: Leg[] = [];
  // Built once, on whichever path the chain ends.
  const done = (exchange: Exchange, error: ExchangeError | null = null): Exchange => {
    legs.push({ exchange, notes: NO_NOTES });
    const versioned = versionNotes(req.httpVersion);
    const written = req.notes ?? NO_NOTES;
    return buildRecord({
      legs,
      error,
      requestNotes: versioned.length === 0 ? written : [...written, ...versioned],
      annotate,
    });
  };
  const follow = (req.options.followRedirects ?? opts.followRedirects) !== false;
  let current = req;
  let digestAnswered = false;
  try {
    for (;;) {
      const last = legs.length >= maxRedirects;
      const hopOpts = hopOptionsFor(req, opts, startedAt, follow, last);
      const jar = req.options.noCookieJar === true ? undefined : opts.cookieJar;
      const ex = await hopWithRetry(jar ? withJarCookies(current, jar) : current, hopOpts, opts.http2 ?? 'never');
      if (jar && ex.response?.headersComplete) storeCookies(jar, current.url, ex.response.headers);
      const status = ex.response?.status ?? 0;
      if (status === 401 && !ex.error && current.digest && !digestAnswered) {
        // `Authorization: Digest user pass`: answer the challenge once, keeping the 401 as an earlier hop.
        digestAnswered = true;
        const answer = digestRetry(current, ex);
        if (typeof answer === 'string') {
          return done(ex, { code: WL.INVALID_REQUEST, message: `Digest authentication: ${answer}`, phase: 'redirect' });
        }
        legs.push({ exchange: ex, notes: [] });
        current = answer;
        continue;
      }
      const location = ex.response ? headerValue(ex.response.headers, 'location') : null;
      if (ex.error || !follow || !REDIRECTS.has(status) || location === null) return done(ex);
      if (last) return done(ex, { code: WL.TOO_MANY_REDIRECTS, message: `More than ${maxRedirects} redirects`, phase: 'redirect' });
      const next = redirectRequest(current, status, location);
      if (typeof next === 'string') return done(ex, { code: WL.BAD_REDIRECT, message: next, phase: 'redirect' });
      const dropped = droppedForOrigin(current, next);
      const notes: Note[] = [];
      if (dropped.length > 0) {
        notes.push({
          id: 'redirect-secret-headers-dropped',
          subject: 'connection',
          level: 'info',
          category: 'redirect',
          summary: `${dropped.join(', ')} not sent to ${origin(new URL(next.url))}: the redirect leaves the origin`,
          detail:
            'Credentials and headers carrying secrets (values from private env files, secret-looking variables, URL user info) are sent only to the origin they were written for, as curl and browsers do with Authorization and Cookie. Write them on a request to the other origin if it should get them.',
          reference: 'https://www.rfc-editor.org/rfc/rfc9110#section-15.4',
        });
      }
      opts.onProgress?.({ phase: 'redirecting', bytes: 0, total: null, elapsedMs: performance.now() - startedAt });
      legs.push({ exchange: ex, notes });
      current = next;
    }
  } catch (e) {
    // runHop resolves on every path it knows; this is the last guard for the "never rejects" promise.
    const ex: Exchange = {
      request: { method: current.method, url: current.url, httpVersion: current.httpVersion, headers: current.headers, rawBase64: '', headSize: 0 },
      response: null,
      timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: performance.now() - startedAt },
      connection: null,
      redirects: [],
      notes: [],
      error: null,
      startedAt: isoNow(),
    };
    return done(ex, fromUnknown(e, 'send'));
  }
}

/** The request again with the Digest credentials for the 401's challenge, or why it cannot be answered. */
function digestRetry(req: ResolvedRequest, ex: Exchange): ResolvedRequest | string {
  const d = req.digest;
  if (!d) return 'no credentials';
  const challenge = chooseChallenge(parseDigestChallenges(headerValues(ex.response?.headers ?? [], 'www-authenticate')));
  if (typeof challenge === 'string') return challenge;
  // `uri` is the request-target exactly as the first leg sent it, query included.
  const sent = Buffer.from(ex.request.rawBase64 ?? '', 'base64').toString('latin1');
  const uri =
    /^\S+ (\S+) /.exec(sent)?.[1] ??
    req.target ??
    (() => {
      const u = new URL(req.url);
      return `${u.pathname}${u.search}`;
    })();
  const value = digestAuthorization(challenge, { user: d.user, password: d.password, method: req.method, uri });
  const headers: HeaderPair[] = [...req.headers.filter(([n]) => n.toLowerCase() !== 'authorization'), ['Authorization', value]];
  return { ...req, headers };
}

/** Names of the credential and secret-carrying headers a cross-origin redirect left behind. */
function droppedForOrigin(prev: ResolvedRequest, next: ResolvedRequest): string[] {
  let cross: boolean;
  try {
    cross = origin(new URL(prev.url)) !== origin(new URL(next.url));
  } catch {
    return [];
  }
  if (!cross) return [];
  const kept = new Set(next.headers.map(([n]) => n.toLowerCase()));
  const framing = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'content-encoding']);
  return [...new Set(prev.headers.map(([n]) => n).filter((n) => !kept.has(n.toLowerCase()) && !framing.has(n.toLowerCase())))];
}

/** The request with a Cookie header from the jar, unless it writes its own (kept exactly as written then). */
function withJarCookies(req: ResolvedRequest, jar: CookieJar): ResolvedRequest {
  if (headerValue(req.headers, 'cookie') !== null) return req;
  if (jar.size === 0) return req;
  let url: URL;
  try {
    url = parsedUrl(req.url);
  } catch {
    return req; // runHop reports the bad URL
  }
  const cookie = jar.cookieHeaderFor(url);
  return cookie === null ? req : { ...req, headers: [...req.headers, ['Cookie', cookie]] };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function storeCookies(jar: CookieJar, url: string, headers: HeaderPair[]): void {
  // The parser hands header values over as latin1; the request head is written as UTF-8, so non-ASCII cookie
  // bytes are taken back to the text they encode (or dropped when they are not UTF-8) to go out unchanged.
  const set = headerValues(headers, 'set-cookie');
  if (set.length === 0) return;
  const values = set.flatMap((v) => {
    if (!/[^\x00-\x7F]/.test(v)) return [v];
    try {
      return [UTF8.decode(Buffer.from(v, 'latin1'))];
    } catch {
      return [];
    }
  });
  if (values.length === 0) return;
  try {
    jar.storeFrom(parsedUrl(url), values);
  } catch {
    // A URL that got this far parses; nothing else in storeFrom throws.
  }
}
