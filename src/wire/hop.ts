// One request and its response over one fresh connection: the exact bytes out, the parser on the bytes in,
// streaming decoding, limits, per-phase timeouts, cancellation and timings. Always resolves with an Exchange;
// a failure is in `error`, with everything seen before it.
import { constants as bufferConstants } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import type { Writable } from 'node:stream';
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
import { bodyFromBytes } from '../shared/body';
import { decodeText } from './charset';
import { clientCertFor, connect, ReadHook, type ClientCertificate, type ConnectMarks, type Lookup } from './connect';
import { BodyDecoder, KNOWN_CODINGS, MAX_CODINGS, parseCodings } from './decode';
import { headerValue, headerValues } from '../shared/access';
import { CANCELLED, WL, codeOf, fromUnknown } from './errors';
import { ResponseParser, type ParseError } from './parser';
import { originKey, type ConnectionPool } from './pool';
import { ProxyError, proxyAuthNote, proxyFor, type ProxyRoute, type ProxySettings } from './proxy';
import { prepareRequest, type PreparedRequest } from './requestBytes';
import { hopTimings } from './timings';
import { tlsFailure } from './tlsAlerts';

/**
 * Where a body goes instead of memory: a stream, or a file descriptor written synchronously. The descriptor form
 * needs no copy of each read (the bytes are written before the read buffer is reused), so it is the fast path.
 */
export type BodySink = Writable | { fd: number };

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
  for (const [n, v] of headers) {
    if (n.length !== 10 || n.toLowerCase() !== 'connection') continue;
    out ??= [];
    for (const t of v.split(',')) out.push(t.trim().toLowerCase());
  }
  return out ?? NO_TOKENS;
}

/**
 * The most bytes one record field can hold: bodies and raw bytes are kept as base64 strings, and V8 has a
 * longest string. Past it building the record would throw; the engine's in-memory limits stay below it.
 */
export const MAX_RECORD_BYTES = Math.floor(bufferConstants.MAX_STRING_LENGTH / 4) * 3;

/** The in-memory body limit actually applied: what was asked for, within what a record can hold. */
export function effectiveMaxBody(requested: number, maxHeaderBytes: number): number {
  return Math.max(0, Math.min(requested, MAX_RECORD_BYTES - maxHeaderBytes));
}

/** Request bytes kept in `rawBase64` (a streamed file body beyond this is counted, not kept). */
export const RAW_REQUEST_CAP = 1024 * 1024;
/** Body bytes kept in memory as a preview when the body goes to a sink. */
export const SINK_PREVIEW = 64 * 1024;
/** Body bytes kept as received in `response.rawBase64` after the head. The raw view shows far less, and the
 * decoded body is kept whole in `body`: a second full copy only multiplied the memory of large responses. */
export const RAW_BODY_KEPT = 1024 * 1024;
const MAX_CHUNK_MARKS = 10_000;

const REFERENCE_MESSAGING = 'https://www.rfc-editor.org/rfc/rfc9112';

function emptyExchange(req: ResolvedRequest): Exchange {
  return {
    request: { method: req.method, url: req.url, httpVersion: req.httpVersion || 'HTTP/1.1', headers: [...req.headers], rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    startedAt: new Date().toISOString(),
    id: randomUUID(),
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

export async function runHop(req: ResolvedRequest, outer: HopOptions): Promise<Exchange> {
  return withDeadline(outer, (o) => runHopInner(req, o));
}

/** Runs a hop (any protocol) under the whole-exchange deadline of its options. */
export async function withDeadline(outer: HopOptions, run: (o: HopOptions) => Promise<Exchange>): Promise<Exchange> {
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
      target = new URL(req.url);
    } catch {
      // prepareRequest says what is wrong with it
    }
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) route = proxyFor(target, o.proxy, req.options);
    const forward = route && target?.protocol === 'http:' && (route.kind === 'http' || route.kind === 'https');
    prepared = await prepareRequest(req, o.userAgent, forward && route ? { proxyAuthorization: route.authorization } : undefined);
  } catch (e) {
    o.connected?.socket.destroy();
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
  const https = prepared.url.protocol === 'https:';
  const port = Number(prepared.url.port || (https ? 443 : 80));
  const pool = o.pool;
  const key = pool
    ? originKey({
        protocol: prepared.url.protocol,
        host: prepared.url.hostname,
        port,
        insecure: o.insecure,
        ca: o.ca,
        proxy: route?.url.href ?? '',
        clientCert: https ? JSON.stringify(clientCertFor(o.clientCertificates, prepared.url, port) ?? null) : undefined,
      })
    : '';
  const pooled = pool && !o.newConnection && !o.connected ? await pool.takeSettled(key) : undefined;
  let openedBy = ex.id ?? '';
  let uses = 0;
  if (o.connected) {
    // HTTP/2 was offered by ALPN and the server picked http/1.1: that connection carries this request.
    socket = o.connected.socket;
  } else if (pooled) {
    socket = pooled.socket;
    hook = pooled.hook;
    openedBy = pooled.openedBy;
    uses = pooled.uses;
    reusedAt = performance.now();
    info = { ...pooled.info, tls: pooled.info.tls ? { ...pooled.info.tls } : null, reused: true, openedBy, requestsBefore: uses };
    delete info.newReason;
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

  return new Promise<Exchange>((resolve) => {
    const sock = socket;
    let finished = false;
    /** True while a failed hop lets its decoder finish what arrived (see flushDecoder). */
    let flushing = false;
    let sendEnd: number | undefined;
    let firstByteAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastProgress = 0;
    // What was sent.
    const rawReq: Buffer[] = [recordHead];
    let rawReqLen = prepared.head.length;
    let bodySent = 0;
    // What arrived.
    const raw: Buffer[] = [];
    let rawLen = 0;
    let rawCap = o.maxHeaderBytes + o.maxBodyBytes;
    let received = 0;
    let resp: ExchangeResponse | null = null;
    let headSize = 0;
    const chunks: ChunkMark[] = [];
    let expected: number | null = null;
    // The body.
    let decoder: BodyDecoder | null = null;
    let sink: BodySink | null = null;
    /** True while the chunk being handled is a view of the shared read buffer (copy it to keep it). */
    let borrowed = false;
    const own = (b: Buffer): Buffer => (borrowed ? Buffer.from(b) : b);
    const kept: Buffer[] = [];
    let keptLen = 0;
    /** With a Content-Length and no coding, the body is read into one buffer of that size: no concat at the end. */
    let sized: Buffer | null = null;
    let decodedSize = 0;
    let wireSize = 0;
    let truncated = false;
    let waiting = 0;
    let extraNoted = false;
    /** How the final response's body is delimited: one read to the close cannot leave the connection open. */
    let bodyMode: string = 'none';
    let requestSent = false;

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

    // One timer per hop, refreshed rather than re-created on every read (this runs per socket chunk).
    let timerMs = 0;
    let timerPhase: ErrorPhase = 'send';
    let timerWhat = '';
    const disarmIdle = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    const disarm = (): void => {
      disarmIdle();
      disarmHead();
    };
    // The head deadline runs beside the idle timer: started by the first byte of each head, stopped by its end.
    let headTimer: NodeJS.Timeout | undefined;
    const disarmHead = (): void => {
      if (headTimer) clearTimeout(headTimer);
      headTimer = undefined;
    };
    const armHead = (): void => {
      disarmHead();
      if (finished || o.headTimeoutMs <= 0) return;
      headTimer = setTimeout(
        () =>
          fail({
            code: 'ETIMEDOUT',
            message: `Response head not complete within ${o.headTimeoutMs} ms of its first byte (the server sends it too slowly)`,
            phase: 'headers',
          }),
        o.headTimeoutMs,
      );
    };
    const arm = (ms: number, phase: ErrorPhase, what: string): void => {
      // A failure inside a read (body limit, decoder) finishes the hop before the read returns.
      if (finished) return;
      timerPhase = phase;
      timerWhat = what;
      if (timer && ms === timerMs) {
        timer.refresh();
        return;
      }
      disarmIdle();
      timerMs = ms;
      if (ms > 0) timer = setTimeout(() => fail({ code: 'ETIMEDOUT', message: `No ${timerWhat} within ${timerMs} ms`, phase: timerPhase }), ms);
    };
    const phaseNow = (): ErrorPhase => (sendEnd === undefined ? 'send' : firstByteAt === undefined ? 'wait' : parser.phase);

    const onAbort = (): void => fail({ code: CANCELLED, message: 'Cancelled by the user', phase: phaseNow() });

    const finish = (): void => {
      if (finished) return;
      finished = true;
      disarm();
      if (sink && 'write' in sink) sink.removeListener('error', onSinkError);
      o.signal?.removeEventListener('abort', onAbort);
      if (!keepOrClose()) sock.destroy();
      decoder?.destroy();
      const rawOut = Buffer.concat(rawReq);
      ex.request.rawBase64 = rawOut.toString('base64');
      ex.request.bodySize = bodySent;
      if (rawReqLen > rawOut.length || bodySent > rawOut.length - prepared.head.length) ex.request.rawTruncated = true;
      if (codingError && !ex.error) ex.error = codingError;
      // A status line that was refused (or cut short) is still what arrived: the record keeps it and the bytes.
      if (!resp && rawLen > 0) resp = refusedResponse(Buffer.concat(raw, rawLen));
      if (resp) {
        const body = sized ? sized.subarray(0, keptLen) : kept.length === 1 ? kept[0].subarray(0, keptLen) : Buffer.concat(kept, keptLen);
        kept.length = 0;
        const contentType = headerValue(resp.headers, 'content-type') ?? undefined;
        const txt = !undecoded ? decodeText(body, contentType) : { text: null, charset: null };
        // The bytes are held once; base64 is derived when something reads it (JSON, a save).
        resp.body = bodyFromBytes(body, {
          text: txt.text,
          size: decodedSize,
          wireSize,
          truncated,
          charset: txt.charset,
          decodedFrom: decoder ? decoder.decodedFrom : [],
        });
        resp.rawBase64 = Buffer.concat(raw, rawLen).toString('base64');
        resp.receivedBytes = received;
        if (received > rawLen) resp.rawTruncated = true;
        resp.headSize = headSize;
        if (chunks.length > 0) resp.chunks = chunks;
      }
      ex.response = resp;
      // Through a forward proxy a 407 is the proxy's own answer.
      if (resp && resp.status === 407 && route && info.proxy?.mode === 'forward') ex.notes.push(proxyAuthNote(resp.headers, route));
      setTimings(sendEnd, firstByteAt);
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
        disarm();
        return;
      }
      finish();
    };

    const keep = (chunk: Buffer): void => {
      decodedSize += chunk.length;
      if (sink) {
        if (keptLen < SINK_PREVIEW) {
          const part = chunk.subarray(0, SINK_PREVIEW - keptLen);
          kept.push(Buffer.from(part));
          keptLen += part.length;
          if (keptLen < decodedSize) truncated = true;
        } else truncated = true;
        if ('write' in sink) {
          const s = sink;
          if (!s.write(own(chunk))) {
            pause();
            s.once('drain', unpause);
          }
        } else {
          try {
            for (let off = 0; off < chunk.length;) off += fs.writeSync(sink.fd, chunk, off, chunk.length - off);
          } catch (e) {
            sinkFailed(e);
          }
        }
        return;
      }
      if (keptLen + chunk.length > o.maxBodyBytes) {
        const part = chunk.subarray(0, o.maxBodyBytes - keptLen);
        if (sized && keptLen + part.length <= sized.length) part.copy(sized, keptLen);
        else {
          if (sized) {
            kept.push(sized.subarray(0, keptLen));
            sized = null;
          }
          kept.push(own(part));
        }
        keptLen += part.length;
        truncated = true;
        const ceiling = o.maxBodyBytes >= MAX_RECORD_BYTES - o.maxHeaderBytes;
        const hint = ceiling
          ? 'the most a record can hold; write it to a file (--body-out in the terminal)'
          : 'raise it with wirelens.maxBodyMiB, or --max-body in the terminal';
        fail({
          code: WL.BODY_TOO_LARGE,
          message: `Body larger than the limit of ${o.maxBodyBytes} bytes kept in memory (${hint})`,
          phase: decoder ? 'decode' : 'body',
        });
        return;
      }
      if (sized && keptLen + chunk.length <= sized.length) {
        chunk.copy(sized, keptLen);
        keptLen += chunk.length;
        return;
      }
      if (sized) {
        // More than announced (the parser stops at the length; this is the guard): back to a list of chunks.
        kept.push(sized.subarray(0, keptLen));
        sized = null;
      }
      kept.push(own(chunk));
      keptLen += chunk.length;
    };

    /** Set when the body is coded but not decoded: shown as received, never as text. */
    let undecoded = false;
    /** Reported once the body was read (kept as received): more codings than decoders are built for. */
    let codingError: ExchangeError | null = null;
    const startDecoder = (chunked: boolean): void => {
      if (!resp) return;
      const content = parseCodings(headerValues(resp.headers, 'content-encoding'));
      // Transfer codings other than the final chunked (RFC 9112 §7) wrap the content codings: undone first.
      const te = parseCodings(headerValues(resp.headers, 'transfer-encoding'));
      const transfer = chunked ? te.slice(0, -1) : te;
      const codings = [...content, ...transfer];
      if (codings.length === 0) return;
      undecoded = true;
      if (codings.length > MAX_CODINGS) {
        codingError = {
          code: WL.TOO_MANY_CODINGS,
          message: `The response lists ${codings.length} content codings; Wire Lens, like curl, decodes at most ${MAX_CODINGS} stacked (the body is kept as received)`,
          phase: 'decode',
        };
        return;
      }
      const unknown = codings.filter((c) => !KNOWN_CODINGS.has(c));
      if (unknown.length > 0) {
        const which = transfer.some((c) => unknown.includes(c)) && !content.some((c) => unknown.includes(c)) ? 'Transfer coding' : 'Content coding';
        ex.notes.push({
          id: 'wire-unknown-coding',
          subject: 'body',
          level: 'info',
          category: 'wire',
          summary: `${which} ${codings.join(', ')} not decoded`,
          detail: 'Wire Lens decodes gzip, deflate and br; the body is shown as received.',
          reference: 'https://www.rfc-editor.org/rfc/rfc9110#section-8.4',
        });
        return;
      }
      if (transfer.length > 0) {
        ex.notes.push({
          id: 'wire-transfer-coding',
          subject: 'body',
          level: 'info',
          category: 'wire',
          summary: `Transfer coding ${transfer.join(', ')} removed${chunked ? ' after de-chunking' : ''}`,
          detail:
            'Transfer codings other than chunked are allowed by RFC 9112 but rare; clients that do not decode them (curl without --tr-encoding, most libraries) would show the coded bytes. The body shown is decoded.',
          reference: 'https://www.rfc-editor.org/rfc/rfc9112#section-7',
        });
      }
      undecoded = false;
      decoder = new BodyDecoder(
        codings,
        {
          maxRatio: o.maxDecodeRatio,
          ratioFloor: o.decodeRatioFloor,
          onTrailingGarbage: (coding, bytes) => {
            ex.notes.push({
              id: 'wire-coding-trailing-garbage',
              subject: 'body',
              level: 'warning',
              category: 'wire',
              summary: `${bytes} bytes after the end of the ${coding} stream (ignored)`,
              detail:
                'The coded stream ended before the body did. Wire Lens, like curl and browsers, keeps what was decoded and ignores the rest; the raw response shows the extra bytes.',
              reference: 'https://www.rfc-editor.org/rfc/rfc1952',
            });
          },
        },
        keep,
        (e) => fail(e.toJSON()),
      );
    };
    /** Failing while a decoder runs: let it hand on what it can still decode from what arrived, then finish. */
    const flushDecoder = (): boolean => {
      if (!decoder || flushing || finished) return false;
      flushing = true;
      const d = decoder;
      // Bounded: the decoder has only what already arrived to work through.
      const guard = setTimeout(finish, 5000);
      const done = (): void => {
        clearTimeout(guard);
        finish();
      };
      d.end().then(done, done);
      return true;
    };

    const completeBody = (): void => {
      if (!decoder) {
        finishSink();
        return;
      }
      decoder.end().then(finishSink, (e: unknown) => fail(fromUnknown(e, 'decode')));
    };
    const finishSink = (): void => {
      if (!sink || finished || !('write' in sink)) {
        finish();
        return;
      }
      const s = sink;
      // The sink is the caller's; wait until what was written is flushed before reporting success.
      if (s.writableNeedDrain) s.once('drain', finish);
      else finish();
    };

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
            armHead();
            return;
          }
          disarmHead();
          resp.headersComplete = true;
          headSize = h.offset;
          bodyMode = h.mode.kind;
          if (h.mode.kind === 'length') expected = h.mode.length;
          // The parser rejects a Content-Length that is not a number; the limit bounds what is allocated.
          if (h.mode.kind === 'length' && h.mode.length > 0 && !o.sinkFor) {
            const codingsHere = parseCodings(headerValues(resp.headers, 'content-encoding'));
            if (codingsHere.length === 0) sized = Buffer.allocUnsafe(Math.min(h.mode.length, o.maxBodyBytes));
          }
          if (h.mode.kind !== 'none') {
            sink = o.sinkFor?.(resp.status, resp.headers) ?? null;
            // A stream that fails would otherwise leave the hop waiting for a 'drain' that never comes.
            if (sink && 'write' in sink) sink.once('error', onSinkError);
            rawCap = Math.min(rawCap, headSize + (sink ? SINK_PREVIEW : RAW_BODY_KEPT));
            startDecoder(h.mode.kind === 'chunked');
          }
        },
        onChunkHeader: (size, _ext, offset) => {
          if (chunks.length < MAX_CHUNK_MARKS) chunks.push({ offset, size });
        },
        onBody: (chunk) => {
          wireSize += chunk.length;
          if (decoder) {
            if (!decoder.write(own(chunk))) {
              pause();
              decoder.onceDrained(unpause);
            }
          } else keep(chunk);
        },
        onTrailer: (n, v) => {
          resp?.trailers.push([n, v]);
        },
        onMessageComplete: () => {
          disarm();
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

    const onData = (d: Buffer): void => {
      if (finished) return;
      borrowed = hook !== undefined;
      if (firstByteAt === undefined) {
        firstByteAt = performance.now();
        lastProgress = firstByteAt;
        progress('downloading', 0, null);
        armHead();
      }
      received += d.length;
      if (rawLen < rawCap) {
        const part = rawLen + d.length <= rawCap ? d : d.subarray(0, rawCap - rawLen);
        raw.push(own(part));
        rawLen += part.length;
      }
      parser.execute(d);
      borrowed = false;
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
      fail({
        code: codeOf(e, 'ECONNRESET'),
        message: `${e.message}${phase === 'headers' || phase === 'body' ? ' (partial response kept)' : ''}`,
        phase,
      });
    };
    sock.on('end', onEnd);
    sock.on('close', onEnd);
    sock.on('error', onError);
    // Hands the connection to the pool when the response allows another request on it; false: close it.
    function keepOrClose(): boolean {
      if (!pool || ex.error || !resp || !parser.complete || !requestSent || bodyMode === 'eof' || parser.extraBytes > 0) return false;
      if (sock.destroyed || !sock.writable || sock.readableEnded) return false;
      if (!allowsReuse(prepared.httpVersion, prepared.headers, resp)) return false;
      sock.off('end', onEnd);
      sock.off('close', onEnd);
      sock.off('error', onError);
      if (hook) hook.detach();
      else sock.off('data', onData);
      const opener = { ...info, reused: false, openedBy, requestsBefore: 0 };
      delete opener.newReason;
      return pool.put({ key, socket: sock, hook, info: pooled ? pooled.info : opener, openedBy, uses: uses + 1 });
    }
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // Attached last: bytes a server sent before the request (held by the hook) may complete the exchange here.
    if (hook) hook.attach(onData);
    else sock.on('data', onData);
    if (finished) return;

    const capture = (b: Buffer): void => {
      rawReqLen += b.length;
      if (rawReqLen - b.length < RAW_REQUEST_CAP) rawReq.push(b.subarray(0, RAW_REQUEST_CAP - (rawReqLen - b.length)));
    };
    const drained = (): Promise<void> =>
      new Promise((res) => {
        const done = (): void => {
          sock.off('drain', done);
          sock.off('close', done);
          res();
        };
        sock.once('drain', done);
        sock.once('close', done);
      });
    const write = async (b: Buffer): Promise<void> => {
      if (finished) return;
      capture(b);
      bodySent += b.length;
      arm(o.idleTimeoutMs, 'send', 'progress sending the request');
      if (!sock.write(b)) await drained();
    };

    progress('sending');
    const sendAll = async (): Promise<void> => {
      const sent = (): void => {
        if (finished) return;
        requestSent = true;
        sendEnd = performance.now();
        if (firstByteAt === undefined) {
          progress('waiting');
          arm(o.firstByteTimeoutMs, 'wait', 'response');
        }
      };
      // A request without a body is one write; its callback marks the end of sending.
      if (prepared.body.length === 0) {
        sock.write(prepared.head, sent);
        return;
      }
      sock.write(prepared.head);
      for (const part of prepared.body) {
        if (finished) return;
        if (part.kind === 'bytes') await write(Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength));
        else {
          const rs = fs.createReadStream(part.path, { highWaterMark: 64 * 1024 });
          try {
            for await (const c of rs) {
              if (finished) break;
              await write(c as Buffer);
            }
          } finally {
            rs.destroy();
          }
        }
      }
      if (finished) return;
      // The callback of an empty write runs once everything before it was handed to the kernel.
      sock.write(Buffer.alloc(0), sent);
    };
    // Socket failures arrive as 'error' events; a rejection here is the body file failing to read.
    sendAll().catch((e: unknown) =>
      fail({ code: WL.BODY_FILE, message: `Reading the body file: ${e instanceof Error ? e.message : String(e)}`, phase: 'send' }),
    );
  });
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
