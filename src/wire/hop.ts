// One HTTP/1.x request and its response: the request resolved into its bytes and a connection taken (pooled,
// new, or handed over), then the exchange on it (hopRun.ts). Always resolves with an Exchange; a failure is in
// `error`, with everything seen before it.
import type * as net from 'node:net';
import type { ConnectionInfo, Exchange } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { clientCertFor, connect, ReadHook, type ClientCertificate, type ConnectMarks } from './connect';
import { MAX_RECORD_BYTES, RAW_BODY_KEPT, RAW_REQUEST_CAP, SINK_PREVIEW, effectiveMaxBody, type BodySink } from './limits';
import { CANCELLED, WL, fromUnknown } from './errors';
import { originKey, type PooledConnection } from './pool';
import { ProxyError, proxyFor, type ProxyRoute } from './proxy';
import { prepareRequest, type PreparedRequest } from './requestBytes';
import { phaseTimings } from './timings';
import { parsedUrl } from './urlCache';
import { ConnectionTap } from './connectionTap';
import { isIdempotent } from '../shared/methods';
import { HopRun, reportProgress } from './hopRun';
import { connectionFacts, emptyExchange } from './hopRecord';

// Where the other engines and the entry point have always found them.
export { MAX_RECORD_BYTES, RAW_BODY_KEPT, RAW_REQUEST_CAP, SINK_PREVIEW, effectiveMaxBody, type BodySink };
export { allowsReuse } from './hopRun';
export { utf8IfValid } from './hopRecord';

import type { HopOptions } from './hopOptions';
export type { HopOptions, PreConnected } from './hopOptions';

export function runHop(req: ResolvedRequest, outer: HopOptions): Promise<Exchange> {
  return withDeadline(outer, (o) => runHopInner(req, o));
}

/** Runs a hop (any protocol) under the whole-exchange deadline of its options. */
export function withDeadline(outer: HopOptions, run: (o: HopOptions) => Promise<Exchange>): Promise<Exchange> {
  // Without a deadline (the usual case) the caller's signal is used as is: no controller, listener or timer per
  // hop, and no promise of its own around the hop's.
  return outer.deadlineAt === undefined ? run(outer) : underDeadline(outer, run);
}

async function underDeadline(outer: HopOptions, run: (o: HopOptions) => Promise<Exchange>): Promise<Exchange> {
  // The whole-exchange deadline acts through the same signal as a cancel, so every phase (DNS, connect, TLS,
  // send, body drips) stops at it; the error then says which it was.
  const deadline = new AbortController();
  let deadlineHit = false;
  const relay = (): void => deadline.abort();
  if (outer.signal?.aborted) deadline.abort();
  else outer.signal?.addEventListener('abort', relay, { once: true });
  const left = outer.deadlineAt !== undefined ? outer.deadlineAt - performance.now() : undefined;
  const expire = (): void => {
    deadlineHit = true;
    deadline.abort();
  };
  let deadlineTimer: NodeJS.Timeout | undefined;
  if (left !== undefined && left <= 0) expire();
  else if (left !== undefined) deadlineTimer = setTimeout(expire, left);
  const o: HopOptions = { ...outer, signal: deadline.signal };
  try {
    const ex = await run(o);
    if (deadlineHit && ex.error?.code === CANCELLED) {
      ex.error = {
        code: WL.MAX_TIME,
        message: `The exchange took longer than the maximum time of ${outer.maxTimeMs ?? 0} ms (${ex.error.phase}); what arrived is kept`,
        phase: ex.error.phase,
      };
    }
    return ex;
  } finally {
    clearTimeout(deadlineTimer);
    outer.signal?.removeEventListener('abort', relay);
  }
}

/** What a hop has resolved before it has a connection. */
interface Resolved {
  o: HopOptions;
  ex: Exchange;
  prepared: PreparedRequest;
  recordHead: Buffer;
  route: ProxyRoute | null;
  t0: number;
  marks: ConnectMarks;
  key: string;
}

/**
 * Resolves the request and takes a connection. Synchronous up to the request going out on a pooled connection
 * (the usual request of a run: no body file, an idle connection to take); only reading a body file, waiting for
 * pending reads on a pooled connection and connecting are asynchronous.
 */
function runHopInner(req: ResolvedRequest, o: HopOptions): Promise<Exchange> {
  const t0 = o.connected?.t0 ?? performance.now();
  const ex = emptyExchange(req);
  reportProgress(o, 'resolving');
  let route: ProxyRoute | null = null;
  let ready: PreparedRequest | Promise<PreparedRequest>;
  try {
    let target: URL | null = null;
    try {
      target = parsedUrl(req.url);
    } catch {
      // prepareRequest says what is wrong with it
    }
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) route = proxyFor(target, o.proxy, req.options);
    const forward = route && target?.protocol === 'http:' && (route.kind === 'http' || route.kind === 'https');
    ready = prepareRequest(req, o.userAgent, forward && route ? { proxyAuthorization: route.authorization } : undefined, target ?? undefined);
  } catch (e) {
    return Promise.resolve(unresolved(req, o, ex, t0, e));
  }
  if (ready instanceof Promise) {
    const r = route;
    return ready.then(
      (prepared) => withConnection(o, ex, prepared, r, t0),
      (e: unknown) => unresolved(req, o, ex, t0, e),
    );
  }
  return withConnection(o, ex, ready, route, t0);
}

/** The request could not be made (a bad URL, header or body file): the record says why, nothing was sent. */
function unresolved(req: ResolvedRequest, o: HopOptions, ex: Exchange, t0: number, e: unknown): Exchange {
  o.connected?.socket.destroy();
  ex.request.headers = [...req.headers];
  ex.error = fromUnknown(e, 'resolve');
  ex.timings = phaseTimings(o.connected?.marks ?? {}, t0, undefined, undefined, undefined, performance.now());
  return ex;
}

function withConnection(o: HopOptions, ex: Exchange, prepared: PreparedRequest, route: ProxyRoute | null, t0: number): Promise<Exchange> {
  ex.request.method = prepared.method;
  ex.request.httpVersion = prepared.httpVersion;
  ex.request.headers = prepared.headers;
  const recordHead = prepared.recordHead ?? prepared.head;
  ex.request.rawBase64 = recordHead.toString('base64');
  ex.request.headSize = recordHead.length;
  ex.request.bodySize = 0;
  const pool = o.pool;
  const port = Number(prepared.url.port || (prepared.url.protocol === 'https:' ? 443 : 80));
  const key = pool ? poolKey(prepared.url, port, o, route) : '';
  const r: Resolved = { o, ex, prepared, recordHead, route, t0, marks: o.connected?.marks ?? NO_MARKS, key };
  if (o.connected) {
    // HTTP/2 was offered by ALPN and the server picked http/1.1: that connection carries this request.
    const info = o.connected.info;
    ex.connection = info;
    return hopOn(r, o.connected.socket, new ConnectionTap(o.connected.socket), info, undefined, null, ex.id ?? '', 0);
  }
  if (!pool || o.newConnection) return connected(r);
  // A request that may be sent again takes an idle connection at once: should the server have closed it just
  // now, the send fails before any response byte and is retried on a new one (send()). Any other request first
  // lets pending reads run, so that a close already on its way is seen before the request goes out.
  if (isIdempotent(prepared.method)) return onPooled(r, pool.take(key));
  return pool.takeSettled(key).then((pooled) => onPooled(r, pooled));
}

/** Marks of a connection that was not opened by this hop (nothing to time: no dns, connect or tls). */
const NO_MARKS: ConnectMarks = Object.freeze({});

function onPooled(r: Resolved, pooled: PooledConnection | undefined): Promise<Exchange> {
  if (!pooled) return connected(r);
  const reusedAt = performance.now();
  const info = connectionFacts(pooled.info, true, pooled.openedBy, pooled.uses);
  r.ex.connection = info;
  return hopOn(r, pooled.tap.socket, pooled.tap, info, reusedAt, pooled.info, pooled.openedBy, pooled.uses);
}

/** A new connection for the hop (to the origin, or through its proxy), then the exchange on it. */
async function connected(r: Resolved): Promise<Exchange> {
  const { o, ex, prepared, route, key } = r;
  const pool = o.pool;
  const info: ConnectionInfo = {
    localAddress: null,
    localPort: null,
    remoteAddress: null,
    remotePort: null,
    family: null,
    reused: false,
    tls: null,
  };
  ex.connection = info;
  const openedBy = ex.id ?? '';
  if (pool) {
    info.openedBy = openedBy;
    info.requestsBefore = 0;
    if (o.newConnection) info.newReason = 'a new connection was asked for';
  }
  // This hop's own marks: connect() fills them in.
  const marks: ConnectMarks = {};
  r.marks = marks;
  // Plain reads go through the hook: a direct http connection, or one to a plain forward proxy.
  const hook = prepared.url.protocol !== 'https:' && (!route || route.kind === 'http') ? new ReadHook() : undefined;
  let socket: net.Socket;
  try {
    socket = await connect(
      {
        url: prepared.url,
        insecure: o.insecure,
        ca: o.ca,
        clientCertificates: o.clientCertificates,
        lookup: o.lookup,
        connectTimeoutMs: o.connectTimeoutMs,
        signal: o.signal,
        marks,
        readHook: hook,
        onPhase: (p) => reportProgress(o, p),
        session: pool?.session(key),
        onSession: pool ? (sess) => pool.rememberSession(key, sess) : undefined,
        proxy: route,
        onTunnel: (leg) => {
          ex.tunnel = leg;
        },
        userAgent: o.userAgent,
        maxHeaderBytes: o.maxHeaderBytes,
      },
      info,
    );
  } catch (e) {
    if (e instanceof ProxyError) {
      if (e.leg) ex.tunnel = e.leg;
      if (e.note) ex.notes.push(e.note);
    }
    ex.error = fromUnknown(e, 'connect');
    ex.timings = phaseTimings(marks, r.t0, undefined, undefined, undefined, performance.now());
    return ex;
  }
  // Every HTTP/1.x connection's events go through one tap for its life (the pool's connections have theirs).
  return hopOn(r, socket, new ConnectionTap(socket, hook), info, undefined, null, openedBy, 0);
}

function hopOn(
  r: Resolved,
  socket: net.Socket,
  tap: ConnectionTap,
  info: ConnectionInfo,
  reusedAt: number | undefined,
  pooledInfo: ConnectionInfo | null,
  openedBy: string,
  uses: number,
): Promise<Exchange> {
  return new HopRun({
    ex: r.ex,
    o: r.o,
    prepared: r.prepared,
    recordHead: r.recordHead,
    socket,
    tap,
    info,
    route: r.route,
    marks: r.marks,
    t0: r.t0,
    reusedAt,
    pool: r.o.pool,
    key: r.key,
    pooledInfo,
    openedBy,
    uses,
  }).run();
}

/** The last pool key computed per URL, with what it was computed from (a run asks again for the same). */
const keys = new WeakMap<URL, { insecure: boolean; ca?: string[]; certs?: Record<string, ClientCertificate>; proxy: string; key: string }>();

/** The origin key of a request's connection: scheme, host, port, TLS settings and proxy (see pool.ts). */
function poolKey(url: URL, port: number, o: HopOptions, route: ProxyRoute | null): string {
  const proxy = route?.url.href ?? '';
  const known = keys.get(url);
  if (known && known.insecure === o.insecure && known.ca === o.ca && known.certs === o.clientCertificates && known.proxy === proxy) return known.key;
  const key = originKey({
    protocol: url.protocol,
    host: url.hostname,
    port,
    insecure: o.insecure,
    ca: o.ca,
    proxy,
    clientCert: url.protocol === 'https:' ? JSON.stringify(clientCertFor(o.clientCertificates, url, port) ?? null) : undefined,
  });
  keys.set(url, { insecure: o.insecure, ca: o.ca, certs: o.clientCertificates, proxy, key });
  return key;
}
