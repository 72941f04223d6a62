// One request and its response over one fresh connection: the exact bytes out, the parser on the bytes in,
// streaming decoding, limits, per-phase timeouts, cancellation and timings. Always resolves with an Exchange;
// a failure is in `error`, with everything seen before it.
import { isoNow } from '../shared/clock';
import { exchangeId } from './exchangeId';
import type * as net from 'node:net';
import type {
  ChunkMark,
  ConnectionInfo,
  ErrorPhase,
  Exchange,
  ExchangeError,
  ExchangeResponse,
  HeaderPair,
  Note,
  Progress,
  ProgressPhase,
} from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { clientCertFor, connect, ReadHook, type ClientCertificate, type ConnectMarks, type Lookup } from './connect';
import { BodyCollector } from './body';
import { parseCodings } from './decode';
import { MAX_RECORD_BYTES, RAW_BODY_KEPT, RAW_REQUEST_CAP, SINK_PREVIEW, effectiveMaxBody, type BodySink } from './limits';
import { headerValue, headerValues } from '../shared/access';
import { CANCELLED, WL, codeOf, fromUnknown } from './errors';
import { ResponseParser, type ParseError } from './parser';
import { originKey, type ConnectionPool } from './pool';
import { ProxyError, proxyAuthNote, proxyFor, type ProxyRoute, type ProxySettings } from './proxy';
import { prepareRequest, type PreparedRequest } from './requestBytes';
import { hopTimings } from './timings';
import { tlsFailure } from './tlsAlerts';
import { HopTimers } from './hopTimers';
import { RequestWriter } from './requestWriter';
import { parsedUrl } from './urlCache';
import { ConnectionTap } from './connectionTap';
import { isIdempotent } from '../shared/methods';

// Where the other engines and the entry point have always found them.
export { MAX_RECORD_BYTES, RAW_BODY_KEPT, RAW_REQUEST_CAP, SINK_PREVIEW, effectiveMaxBody, type BodySink };

export interface HopOptions {
  signal?: AbortSignal;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /**
   * Deadline for a whole response head once its first byte arrived (0 = none): a server dripping header bytes
   * faster than the idle timeout would otherwise hold the exchange for as long as the header limit allows.
   */
  headTimeoutMs: number;
  maxHeaderBytes: number;
  maxBodyBytes: number;
  maxDecodeRatio: number;
  decodeRatioFloor: number;
  userAgent?: string;
  insecure: boolean;
  ca?: string[];
  clientCertificates?: Record<string, ClientCertificate>;
  lookup?: Lookup;
  /** Called once the final head is in: a stream for the decoded body instead of memory, or null to keep it. */
  sinkFor?: (status: number, headers: HeaderPair[]) => BodySink | null;
  onProgress?: (p: Progress) => void;
  /** Start of the whole send (first hop), for progress elapsed time. */
  startedAt: number;
  /** Keep-alive: idle connections to take from and give back to, and TLS sessions to resume. */
  pool?: ConnectionPool;
  /** Open a new connection even when the pool holds one for this origin (`# @new-connection`, a stale retry). */
  newConnection?: boolean;
  /** Proxy settings and environment; `# @proxy` / `# @no-proxy` on the request win. */
  proxy?: ProxySettings;
  /** performance.now() time at which the whole exchange must end (--max-time), when there is one. */
  deadlineAt?: number;
  maxTimeMs?: number;
  /** HTTP/2: the receive window of the stream and the connection (default 16 MiB). */
  h2Window?: number;
  /** A connection already open (HTTP/2 was offered by ALPN and the server picked http/1.1): used as is. */
  connected?: PreConnected;
}

export interface PreConnected {
  socket: net.Socket;
  info: ConnectionInfo;
  marks: ConnectMarks;
  /** When the hop started (before connecting), for its timings. */
  t0: number;
}

/** Whether the connection may carry another request after this response (RFC 9112 section 9.3). */
export function allowsReuse(requestVersion: string, requestHeaders: HeaderPair[], resp: ExchangeResponse): boolean {
  const asked = connectionTokens(requestHeaders);
  const answered = connectionTokens(resp.headers);
  if (asked.includes('close') || answered.includes('close')) return false;
  if (resp.status === 101) return false;
  const v11 = (v: string): boolean => v === '1.1' || v === 'HTTP/1.1';
  // A 1.0 request persists only when both sides said keep-alive; a 1.1 one unless either said close.
  if (!v11(requestVersion) && !asked.includes('keep-alive')) return false;
  if (v11(resp.httpVersion)) return true;
  return answered.includes('keep-alive');
}

const NO_TOKENS: readonly string[] = [];

/** The Connection options of a head, lowercased (this runs after every response: one pass, no copies). */
function connectionTokens(headers: readonly HeaderPair[]): readonly string[] {
  let out: string[] | null = null;
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i];
    if (!isConnectionName(pair[0])) continue;
    out ??= [];
    const v = pair[1];
    if (!v.includes(',')) out.push(v.trim().toLowerCase());
    else for (const t of v.split(',')) out.push(t.trim().toLowerCase());
  }
  return out ?? NO_TOKENS;
}

/** `connection` in any case, without lowercasing every ten-letter name (Keep-Alive is one). */
function isConnectionName(n: string): boolean {
  return n.length === 10 && (n.charCodeAt(0) | 0x20) === 0x63 && (n.charCodeAt(4) | 0x20) === 0x65 && n.toLowerCase() === 'connection';
}

const MAX_CHUNK_MARKS = 10_000;

const REFERENCE_MESSAGING = 'https://www.rfc-editor.org/rfc/rfc9112';

function emptyExchange(req: ResolvedRequest): Exchange {
  return {
    // The headers as written until the prepared ones replace them (copied where a failed hop keeps them).
    request: { method: req.method, url: req.url, httpVersion: req.httpVersion || 'HTTP/1.1', headers: req.headers, rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    startedAt: isoNow(),
    id: exchangeId(),
  };
}

function wireNote(code: string, message: string, subject: string): Note {
  return {
    id: `wire-${code}`,
    subject,
    level: 'warning',
    category: 'wire',
    summary: message,
    detail: `The response deviates from HTTP/1.1 message syntax (${code}); Wire Lens tolerated it, as most clients do, but stricter ones may not.`,
    reference: REFERENCE_MESSAGING,
  };
}

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

async function runHopInner(req: ResolvedRequest, o: HopOptions): Promise<Exchange> {
  const t0 = o.connected?.t0 ?? performance.now();
  const ex = emptyExchange(req);
  const marks: ConnectMarks = o.connected?.marks ?? {};
  /** When a pooled connection was taken: sending starts from here (no dns, connect or tls). */
  let reusedAt: number | undefined;
  const progress = (phase: ProgressPhase, bytes = 0, total: number | null = null): void => {
    o.onProgress?.({ phase, bytes, total, elapsedMs: performance.now() - o.startedAt });
  };
  const setTimings = (sendEnd?: number, firstByteAt?: number): void => {
    ex.timings = hopTimings({ ...marks, start: t0, reusedAt, sendEnd, firstByte: firstByteAt, end: performance.now() });
  };

  progress('resolving');
  let prepared: PreparedRequest;
  let route: ProxyRoute | null = null;
  try {
    let target: URL | null = null;
    try {
      target = parsedUrl(req.url);
    } catch {
      // prepareRequest says what is wrong with it
    }
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) route = proxyFor(target, o.proxy, req.options);
    const forward = route && target?.protocol === 'http:' && (route.kind === 'http' || route.kind === 'https');
    const ready = prepareRequest(req, o.userAgent, forward && route ? { proxyAuthorization: route.authorization } : undefined, target ?? undefined);
    prepared = ready instanceof Promise ? await ready : ready;
  } catch (e) {
    o.connected?.socket.destroy();
    ex.request.headers = [...req.headers];
    ex.error = fromUnknown(e, 'resolve');
    setTimings();
    return ex;
  }
  ex.request.method = prepared.method;
  ex.request.httpVersion = prepared.httpVersion;
  ex.request.headers = prepared.headers;
  const recordHead = prepared.recordHead ?? prepared.head;
  ex.request.rawBase64 = recordHead.toString('base64');
  ex.request.headSize = recordHead.length;
  ex.request.bodySize = 0;

  let info: ConnectionInfo = o.connected?.info ?? {
    localAddress: null,
    localPort: null,
    remoteAddress: null,
    remotePort: null,
    family: null,
    reused: false,
    tls: null,
  };
  ex.connection = info;
  let socket: net.Socket;
  let hook: ReadHook | undefined;
  let tap: ConnectionTap | undefined;
  const https = prepared.url.protocol === 'https:';
  const port = Number(prepared.url.port || (https ? 443 : 80));
  const pool = o.pool;
  const key = pool ? poolKey(prepared.url, port, o, route) : '';
  // A request that may be sent again takes an idle connection at once: should the server have closed it just
  // now, the send fails before any response byte and is retried on a new one (send()). Any other request first
  // lets pending reads run, so that a close already on its way is seen before the request goes out.
  const reusable = pool && !o.newConnection && !o.connected;
  const pooled = reusable ? (isIdempotent(prepared.method) ? pool.take(key) : await pool.takeSettled(key)) : undefined;
  let openedBy = ex.id ?? '';
  let uses = 0;
  if (o.connected) {
    // HTTP/2 was offered by ALPN and the server picked http/1.1: that connection carries this request.
    socket = o.connected.socket;
  } else if (pooled) {
    socket = pooled.tap.socket;
    tap = pooled.tap;
    hook = tap.hook;
    openedBy = pooled.openedBy;
    uses = pooled.uses;
    reusedAt = performance.now();
    info = connectionFacts(pooled.info, true, openedBy, uses);
    ex.connection = info;
  } else {
    if (pool) {
      info.openedBy = openedBy;
      info.requestsBefore = 0;
      if (o.newConnection) info.newReason = 'a new connection was asked for';
    }
    // Plain reads go through the hook: a direct http connection, or one to a plain forward proxy.
    hook = !https && (!route || route.kind === 'http') ? new ReadHook() : undefined;
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
          onPhase: (p) => progress(p),
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
      setTimings();
      return ex;
    }
  }

  // Every HTTP/1.x connection's events go through one tap for its life (the pool's connections have theirs).
  const connTap = tap ?? new ConnectionTap(socket, hook);
  return new Promise<Exchange>((resolve) => {
    const sock = socket;
    let finished = false;
    /** True while a failed hop lets its decoder finish what arrived (see flushDecoder). */
    let flushing = false;
    let sendEnd: number | undefined;
    let firstByteAt: number | undefined;
    let lastProgress = 0;
    // What arrived.
    const raw: Buffer[] = [];
    let rawLen = 0;
    let rawCap = o.maxHeaderBytes + o.maxBodyBytes;
    let received = 0;
    let resp: ExchangeResponse | null = null;
    let headSize = 0;
    const chunks: ChunkMark[] = [];
    let expected: number | null = null;
    // The body: decoding, limits and the sink are the shared collector's (src/wire/body.ts).
    let body: BodyCollector | null = null;
    let sink: BodySink | null = null;
    /** True while the chunk being handled is a view of the shared read buffer (copy it to keep it). */
    let borrowed = false;
    const own = (b: Buffer): Buffer => (borrowed ? Buffer.from(b) : b);
    let waiting = 0;
    let extraNoted = false;
    /** How the final response's body is delimited: one read to the close cannot leave the connection open. */
    let bodyMode: string = 'none';
    let requestSent = false;
    /** The final response head is in (its deadline is over). */
    let headComplete = false;
    const writer = new RequestWriter(sock, prepared, recordHead, {
      stopped: () => finished,
      progressed: () => arm(o.idleTimeoutMs, 'send', 'progress sending the request'),
      queued: () => {
        requestSent = true;
      },
      sent: () => {
        sendEnd = performance.now();
        if (firstByteAt === undefined) {
          progress('waiting');
          arm(o.firstByteTimeoutMs, 'wait', 'response');
        }
      },
    });

    const pause = (): void => {
      if (waiting++ === 0) sock.pause();
    };
    // While paused for a slow consumer nothing arrives: restart the idle clock when reading resumes.
    const unpause = (): void => {
      if (--waiting === 0 && !finished) {
        sock.resume();
        if (!parser.finished) arm(o.idleTimeoutMs, parser.phase, 'data from the server');
      }
    };

    const timers = new HopTimers(o.headTimeoutMs, (e) => fail(e));
    const arm = (ms: number, phase: ErrorPhase, what: string): void => timers.arm(ms, phase, what);
    const phaseNow = (): ErrorPhase => (sendEnd === undefined ? 'send' : firstByteAt === undefined ? 'wait' : parser.phase);

    const onAbort = (): void => fail({ code: CANCELLED, message: 'Cancelled by the user', phase: phaseNow() });

    const finish = (): void => {
      if (finished) return;
      finished = true;
      timers.stop();
      if (sink && 'write' in sink) sink.removeListener('error', onSinkError);
      o.signal?.removeEventListener('abort', onAbort);
      if (!keepOrClose()) sock.destroy();
      body?.destroy();
      writer.record(ex.request);
      const deferred = body?.deferredError ?? null;
      if (deferred && !ex.error) ex.error = deferred;
      // A status line that was refused (or cut short) is still what arrived: the record keeps it and the bytes.
      if (!resp && rawLen > 0) resp = refusedResponse(Buffer.concat(raw, rawLen));
      if (resp) {
        // No body arrived (no head, or a bodyless response): an empty one, read as the head's content type says.
        resp.body = (body ?? new BodyCollector([], null, limits, collectorCallbacks)).result(headerValue(resp.headers, 'content-type') ?? undefined);
        resp.rawBase64 = (raw.length === 1 ? raw[0] : Buffer.concat(raw, rawLen)).toString('base64');
        resp.receivedBytes = received;
        if (received > rawLen) resp.rawTruncated = true;
        resp.headSize = headSize;
        if (chunks.length > 0) resp.chunks = chunks;
      }
      ex.response = resp;
      // Through a forward proxy a 407 is the proxy's own answer.
      if (resp && resp.status === 407 && route && info.proxy?.mode === 'forward') ex.notes.push(proxyAuthNote(resp.headers, route));
      // The response completed before the last write's callback: the request was out before its first byte.
      setTimings(sendEnd ?? (requestSent ? firstByteAt : undefined), firstByteAt);
      progress('done', received, expected);
      resolve(ex);
    };

    const sinkFailed = (e: unknown): void =>
      fail({ code: WL.BODY_OUT, message: `Writing the body out: ${e instanceof Error ? e.message : String(e)}`, phase: 'body' });
    const onSinkError = (e: Error): void => sinkFailed(e);

    const fail = (err: ExchangeError): void => {
      if (finished) return;
      if (!ex.error) ex.error = err;
      // A flush under way finishes the hop itself (the socket's close after it must not cut the decoder short).
      if (flushing) return;
      // A failure from outside the parser: the last whole field line is still held back by it.
      if (!parser.finished) parser.flushHeld();
      // The body stopped early (close, reset, timeout, cancel): keep everything the decoder can still make of it.
      if (err.phase !== 'decode' && err.code !== WL.BODY_TOO_LARGE && flushDecoder()) {
        sock.destroy();
        timers.disarm();
        return;
      }
      finish();
    };

    /** Failing while a decoder runs: let it hand on what it can still decode from what arrived, then finish. */
    const flushDecoder = (): boolean => {
      if (!body?.decoding || flushing || finished) return false;
      flushing = true;
      // Bounded: the decoder has only what already arrived to work through.
      const guard = setTimeout(finish, 5000);
      void body.settle().then(() => {
        clearTimeout(guard);
        finish();
      });
      return true;
    };
    // The collector's end waits for the decoder and for the caller's stream to take what was written.
    const completeBody = (): void => {
      if (!body) finish();
      else void body.end().then(finish);
    };

    const limits = {
      maxBodyBytes: o.maxBodyBytes,
      maxHeaderBytes: o.maxHeaderBytes,
      maxDecodeRatio: o.maxDecodeRatio,
      decodeRatioFloor: o.decodeRatioFloor,
    };
    // Body notes go into the record as they are found, in order with the parser's.
    const collectorCallbacks = { fail: (e: ExchangeError) => fail(e), pause, resume: unpause, note: (n: Note) => ex.notes.push(n) };

    const parser = new ResponseParser(
      {
        onStatus: (version, status, latin1Reason) => {
          const reason = utf8IfValid(latin1Reason);
          if (!resp) {
            resp = {
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
          } else {
            resp.httpVersion = version;
            resp.status = status;
            resp.reason = reason;
            resp.headers = [];
          }
        },
        onHeader: (n, v) => {
          resp?.headers.push([n, v]);
        },
        onHeadersComplete: (h) => {
          if (!resp) return;
          if (h.interim) {
            resp.interim.push({ status: resp.status, reason: resp.reason, headers: resp.headers });
            // The final head may legitimately take a while after a 100 Continue: the next one gets a full deadline.
            timers.armHead();
            return;
          }
          timers.disarmHead();
          headComplete = true;
          resp.headersComplete = true;
          headSize = h.offset;
          bodyMode = h.mode.kind;
          if (h.mode.kind === 'length') expected = h.mode.length;
          if (h.mode.kind !== 'none') {
            sink = o.sinkFor?.(resp.status, resp.headers) ?? null;
            // A stream that fails would otherwise leave the hop waiting for a 'drain' that never comes.
            if (sink && 'write' in sink) sink.once('error', onSinkError);
            rawCap = Math.min(rawCap, headSize + (sink ? SINK_PREVIEW : RAW_BODY_KEPT));
            const chunked = h.mode.kind === 'chunked';
            const te = parseCodings(headerValues(resp.headers, 'transfer-encoding'));
            // The parser rejects a Content-Length that is not a number; the limit bounds what is allocated.
            const length = h.mode.kind === 'length' && !o.sinkFor ? h.mode.length : null;
            body = new BodyCollector(resp.headers, sink, limits, collectorCallbacks, { transfer: chunked ? te.slice(0, -1) : te, chunked, length });
          }
        },
        onChunkHeader: (size, _ext, offset) => {
          if (chunks.length < MAX_CHUNK_MARKS) chunks.push({ offset, size });
        },
        onBody: (chunk) => {
          body?.write(chunk, borrowed);
        },
        onTrailer: (n, v) => {
          resp?.trailers.push([n, v]);
        },
        onMessageComplete: () => {
          timers.disarm();
          completeBody();
        },
        onNote: (code, message) => {
          const subject = code === 'obs-fold' && resp ? `header:${resp.headers.length}` : parser.phase === 'body' ? 'body' : 'status';
          if (!ex.notes.some((n) => n.id === `wire-${code}` && n.subject === subject)) ex.notes.push(wireNote(code, message, subject));
        },
        onError: (e: ParseError) => {
          // Nothing at all before the close reads better as curl's "empty reply" than as a parser state.
          if (e.code === 'HPE_INVALID_EOF_STATE' && received === 0)
            fail({ code: WL.EMPTY_REPLY, message: 'The server closed the connection without sending anything', phase: 'wait' });
          else fail({ code: e.code, message: e.message, phase: e.phase });
        },
      },
      { method: prepared.method, maxHeaderBytes: o.maxHeaderBytes },
    );

    const onData = (chunk: Buffer, view: boolean): void => {
      if (finished) return;
      // A view of the shared read buffer that the record keeps whole (its raw bytes) is copied once here for both
      // the record and the body; one the record keeps in part or not at all (a large download) stays a view, and
      // each copies what it keeps.
      const copy = view && rawLen + chunk.length <= rawCap;
      const d = copy ? Buffer.from(chunk) : chunk;
      borrowed = view && !copy;
      const first = firstByteAt === undefined;
      if (first) {
        firstByteAt = performance.now();
        lastProgress = firstByteAt;
        progress('downloading', 0, null);
      }
      received += d.length;
      if (rawLen < rawCap) {
        const part = rawLen + d.length <= rawCap ? d : d.subarray(0, rawCap - rawLen);
        raw.push(own(part));
        rawLen += part.length;
      }
      parser.execute(d);
      borrowed = false;
      // The head deadline runs from the first byte; a head that came whole in that read (the usual case) needs
      // no timer at all.
      if (first && !headComplete && !finished && firstByteAt !== undefined) timers.armHead(performance.now() - firstByteAt);
      // curl -v says "Excess found": a Content-Length smaller than what was sent cuts the body silently otherwise.
      // The record is still this object when it was resolved inside execute (consumers run after this read).
      if (parser.extraBytes > 0 && !extraNoted) {
        extraNoted = true;
        ex.notes.push({
          ...wireNote('extra-bytes', `${parser.extraBytes} bytes arrived after the end of the message (ignored)`, 'body'),
          detail:
            'The server sent more than the message framing (Content-Length or the last chunk) announced. Wire Lens, like curl, ignores the excess; the announced length is probably wrong. The raw response shows the extra bytes.',
        });
      }
      if (!parser.finished) arm(o.idleTimeoutMs, parser.phase, 'data from the server');
      if (o.onProgress) {
        const now = performance.now();
        if (now - lastProgress > 100) {
          lastProgress = now;
          progress('downloading', received, expected);
        }
      }
    };
    const onEnd = (): void => {
      if (finished || parser.finished) return;
      parser.finish();
    };
    const onError = (e: NodeJS.ErrnoException): void => {
      if (finished || parser.complete) return;
      // TLS 1.3 servers check the client certificate after the client's handshake is done: their alert comes
      // while waiting for the response, and is a TLS failure all the same.
      const tlsError =
        prepared.url.protocol === 'https:'
          ? tlsFailure(e, { host: prepared.url.host, clientCertificate: hasClientCert(o.clientCertificates, prepared.url) })
          : null;
      if (tlsError) {
        fail(tlsError.toJSON());
        return;
      }
      const phase = phaseNow();
      const code = codeOf(e, 'ECONNRESET');
      // A server that answers before reading the whole body (413, 401) and closes: the write fails, and Node takes
      // the socket down before the answer waiting in the kernel can be read. Say so instead of a bare EPIPE.
      const early = received === 0 && !requestSent && (code === 'EPIPE' || code === 'ECONNRESET');
      fail({
        code,
        message: early
          ? `${e.message}: the server closed the connection before the whole request was sent (${writer.bodyBytesWritten} of ${prepared.bodyLength} body bytes written); it may have answered early without reading the body (a 413 or 401, say), and that answer went with the connection`
          : `${e.message}${phase === 'headers' || phase === 'body' ? ' (partial response kept)' : ''}`,
        phase,
      });
    };
    // Hands the connection to the pool when the response allows another request on it; false: close it.
    function keepOrClose(): boolean {
      if (!pool || ex.error || !resp || !parser.complete || !requestSent || bodyMode === 'eof' || parser.extraBytes > 0) return false;
      if (sock.destroyed || !sock.writable || sock.readableEnded) return false;
      if (!allowsReuse(prepared.httpVersion, prepared.headers, resp)) return false;
      connTap.release();
      const opener = connectionFacts(info, false, openedBy, 0);
      return pool.put({ key, tap: connTap, info: pooled ? pooled.info : opener, openedBy, uses: uses + 1 });
    }
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // Held last: bytes a server sent before the request (held by the tap) may complete the exchange here.
    connTap.hold({ data: onData, end: onEnd, close: onEnd, error: onError });
    if (finished) return;

    progress('sending');
    // Socket failures arrive as 'error' events; a rejection here is the body file failing to read.
    writer
      .send()
      .catch((e: unknown) =>
        fail({ code: WL.BODY_FILE, message: `Reading the body file: ${e instanceof Error ? e.message : String(e)}`, phase: 'send' }),
      );
  });
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

/**
 * A connection's facts for another exchange on it: built field by field, without `newReason` (spreading or
 * deleting costs a microsecond or more on every request). The TLS facts are the connection's and are shared: no
 * one changes them after the handshake.
 */
function connectionFacts(from: ConnectionInfo, reused: boolean, openedBy: string, requestsBefore: number): ConnectionInfo {
  const c: ConnectionInfo = {
    localAddress: from.localAddress,
    localPort: from.localPort,
    remoteAddress: from.remoteAddress,
    remotePort: from.remotePort,
    family: from.family,
    reused,
    tls: from.tls,
    openedBy,
    requestsBefore,
  };
  if (from.resolvedAddresses !== undefined) c.resolvedAddresses = from.resolvedAddresses;
  if (from.proxy !== undefined) c.proxy = from.proxy;
  return c;
}

/** Whether a client certificate is configured for the URL's host (the keys connect.ts looks up). */
function hasClientCert(map: Record<string, ClientCertificate> | undefined, url: URL): boolean {
  if (!map) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return map[`${host}:${port}`] !== undefined || map[host] !== undefined || map[url.host] !== undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Head text arrives as latin1 (one char per byte); a reason phrase that is valid UTF-8 is shown as such. */
export function utf8IfValid(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return UTF8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1;
  }
}

/** The record of a response whose status line was refused or cut: the line as received, what it seems to say. */
function refusedResponse(bytes: Buffer): ExchangeResponse {
  const lf = bytes.indexOf(10);
  const line = bytes
    .subarray(0, Math.min(lf < 0 ? bytes.length : lf, 1024))
    .toString('latin1')
    .replace(/\r$/, '');
  const m = /^([A-Za-z]+\/(\d+(?:\.\d+)?))?\s*(\d{3})(?:\s(.*))?$/.exec(line);
  return {
    httpVersion: m?.[2] ?? '',
    status: m ? Number(m[3]) : 0,
    reason: m ? utf8IfValid(m[4] ?? '') : '',
    headers: [],
    trailers: [],
    interim: [],
    body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
    rawBase64: '',
    headersComplete: false,
    statusLine: line,
  };
}
