// One HTTP/1.x request and its response on a connection that is open (new, pooled or handed over): writing the
// request, the parser on the bytes in, the body collector, timers, cancel, the record, and giving the connection
// back to the pool. One object is every callee's handler (the parser's, the writer's, the connection tap's, the
// body collector's, the timers' and the abort signal's): on a reused connection this runs for every request, and a
// closure per callback allocated more than the request and response themselves.
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
  ProgressPhase,
} from '../shared/exchange';
import type { ConnectMarks } from './connect';
import { BodyCollector, type BodyCallbacks } from './body';
import { parseCodings } from './decode';
import { RAW_BODY_KEPT, SINK_PREVIEW, type BodySink } from './limits';
import { headerValue, headerValues } from '../shared/access';
import { CANCELLED, WL, codeOf } from './errors';
import { ResponseParser, type HeadInfo, type ParseError, type ParserHandler } from './parser';
import type { ConnectionPool } from './pool';
import { proxyAuthNote, type ProxyRoute } from './proxy';
import type { PreparedRequest } from './requestBytes';
import { phaseTimings } from './timings';
import { tlsFailure } from './tlsAlerts';
import { HopTimers, type TimerOwner } from './hopTimers';
import { RequestWriter, type WriterHooks } from './requestWriter';
import type { ConnectionTap, TapHandlers } from './connectionTap';
import type { HopOptions } from './hopOptions';
import { connectionFacts, hasClientCert, refusedResponse, utf8IfValid, wireNote } from './hopRecord';

const MAX_CHUNK_MARKS = 10_000;
const NO_CODINGS: string[] = [];

/** The hop's progress to the caller, with the time since the whole send started. */
export function reportProgress(o: HopOptions, phase: ProgressPhase, bytes = 0, total: number | null = null): void {
  o.onProgress?.({ phase, bytes, total, elapsedMs: performance.now() - o.startedAt });
}

/** What the hop knows before the request goes out (resolved in hop.ts). */
export interface HopStart {
  ex: Exchange;
  o: HopOptions;
  prepared: PreparedRequest;
  recordHead: Buffer;
  socket: net.Socket;
  tap: ConnectionTap;
  info: ConnectionInfo;
  route: ProxyRoute | null;
  marks: ConnectMarks;
  t0: number;
  reusedAt: number | undefined;
  /** The pool to give the connection back to, its key, and the connection's history (who opened it, uses). */
  pool: ConnectionPool | undefined;
  key: string;
  /** The facts of a pooled connection as the pool keeps them (null for a new one). */
  pooledInfo: ConnectionInfo | null;
  openedBy: string;
  uses: number;
}

export class HopRun implements ParserHandler, WriterHooks, TapHandlers, BodyCallbacks, TimerOwner, EventListenerObject {
  private readonly ex: Exchange;
  private readonly o: HopOptions;
  private readonly s: HopStart;
  private readonly sock: net.Socket;
  private readonly prepared: PreparedRequest;
  private readonly parser: ResponseParser;
  private readonly writer: RequestWriter;
  private readonly timers: HopTimers;
  private resolve: ((ex: Exchange) => void) | null = null;
  private finished = false;
  /** True while a failed hop lets its decoder finish what arrived (see flushDecoder). */
  private flushing = false;
  private sendEnd: number | undefined;
  private firstByteAt: number | undefined;
  private lastProgress = 0;
  // What arrived.
  private readonly raw: Buffer[] = [];
  private rawLen = 0;
  private rawCap: number;
  private received = 0;
  private resp: ExchangeResponse | null = null;
  private headSize = 0;
  private readonly chunks: ChunkMark[] = [];
  private expected: number | null = null;
  // The body: decoding, limits and the sink are the shared collector's (src/wire/body.ts).
  private body: BodyCollector | null = null;
  private sink: BodySink | null = null;
  private sinkListener: ((e: Error) => void) | null = null;
  /** True while the chunk being handled is a view of the shared read buffer (copy it to keep it). */
  private borrowed = false;
  private waiting = 0;
  private extraNoted = false;
  /** How the final response's body is delimited: one read to the close cannot leave the connection open. */
  private bodyMode = 'none';
  private requestSent = false;
  /** The final response head is in (its deadline is over). */
  private headComplete = false;

  constructor(s: HopStart) {
    this.s = s;
    this.ex = s.ex;
    this.o = s.o;
    this.sock = s.socket;
    this.prepared = s.prepared;
    this.rawCap = s.o.maxHeaderBytes + s.o.maxBodyBytes;
    this.writer = new RequestWriter(s.socket, s.prepared, s.recordHead, this);
    this.timers = new HopTimers(s.o.headTimeoutMs, this);
    this.parser = new ResponseParser(this, { method: s.prepared.method, maxHeaderBytes: s.o.maxHeaderBytes });
  }

  /** Sends the request and reads the response; always resolves, a failure in the record's `error`. */
  run(): Promise<Exchange> {
    return new Promise<Exchange>((resolve) => {
      this.resolve = resolve;
      const signal = this.o.signal;
      if (signal?.aborted) {
        this.handleEvent();
        return;
      }
      signal?.addEventListener('abort', this, { once: true });
      // Held last: bytes a server sent before the request (held by the tap) may complete the exchange here.
      this.s.tap.hold(this);
      if (this.finished) return;
      reportProgress(this.o, 'sending');
      // Socket failures arrive as 'error' events; a rejection here is the body file failing to read.
      this.writer
        .send()
        .catch((e: unknown) =>
          this.fail({ code: WL.BODY_FILE, message: `Reading the body file: ${e instanceof Error ? e.message : String(e)}`, phase: 'send' }),
        );
    });
  }

  // ---- the abort signal ----

  handleEvent(): void {
    this.fail({ code: CANCELLED, message: 'Cancelled by the user', phase: this.phaseNow() });
  }

  // ---- the request writer's hooks ----

  stopped(): boolean {
    return this.finished;
  }

  progressed(): void {
    this.timers.arm(this.o.idleTimeoutMs, 'send', 'progress sending the request');
  }

  queued(): void {
    this.requestSent = true;
  }

  sent(): void {
    this.sendEnd = performance.now();
    if (this.firstByteAt === undefined) {
      reportProgress(this.o, 'waiting');
      this.timers.arm(this.o.firstByteTimeoutMs, 'wait', 'response');
    }
  }

  // ---- the body collector's callbacks ----

  pause(): void {
    if (this.waiting++ === 0) this.sock.pause();
  }

  /** While paused for a slow consumer nothing arrives: the idle clock restarts when reading resumes. */
  resume(): void {
    if (--this.waiting === 0 && !this.finished) {
      this.sock.resume();
      if (!this.parser.finished) this.timers.arm(this.o.idleTimeoutMs, this.parser.phase, 'data from the server');
    }
  }

  /** Body notes go into the record as they are found, in order with the parser's. */
  note(n: Note): void {
    this.ex.notes.push(n);
  }

  fail(err: ExchangeError): void {
    if (this.finished) return;
    if (!this.ex.error) this.ex.error = err;
    // A flush under way finishes the hop itself (the socket's close after it must not cut the decoder short).
    if (this.flushing) return;
    // A failure from outside the parser: the last whole field line is still held back by it.
    if (!this.parser.finished) this.parser.flushHeld();
    // The body stopped early (close, reset, timeout, cancel): keep everything the decoder can still make of it.
    if (err.phase !== 'decode' && err.code !== WL.BODY_TOO_LARGE && this.flushDecoder()) {
      this.sock.destroy();
      this.timers.disarm();
      return;
    }
    this.finish();
  }

  // ---- the parser's handler ----

  onStatus(version: string, status: number, latin1Reason: string): void {
    const reason = utf8IfValid(latin1Reason);
    const resp = this.resp;
    if (!resp) {
      this.resp = {
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
  }

  onHeader(n: string, v: string): void {
    this.resp?.headers.push([n, v]);
  }

  onHeadersComplete(h: HeadInfo): void {
    const resp = this.resp;
    if (!resp) return;
    if (h.interim) {
      resp.interim.push({ status: resp.status, reason: resp.reason, headers: resp.headers });
      // The final head may legitimately take a while after a 100 Continue: the next one gets a full deadline.
      this.timers.armHead();
      return;
    }
    this.timers.disarmHead();
    this.headComplete = true;
    resp.headersComplete = true;
    this.headSize = h.offset;
    this.bodyMode = h.mode.kind;
    if (h.mode.kind === 'length') this.expected = h.mode.length;
    if (h.mode.kind === 'none') return;
    const o = this.o;
    const sink = o.sinkFor?.(resp.status, resp.headers) ?? null;
    this.sink = sink;
    // A stream that fails would otherwise leave the hop waiting for a 'drain' that never comes.
    if (sink && 'write' in sink) {
      this.sinkListener = (e: Error) => this.sinkFailed(e);
      sink.once('error', this.sinkListener);
    }
    this.rawCap = Math.min(this.rawCap, this.headSize + (sink ? SINK_PREVIEW : RAW_BODY_KEPT));
    const chunked = h.mode.kind === 'chunked';
    // Transfer codings only when the head has any (the parser saw Transfer-Encoding lines).
    const te = chunked || h.mode.kind === 'eof' ? parseCodings(headerValues(resp.headers, 'transfer-encoding')) : NO_CODINGS;
    // The parser rejects a Content-Length that is not a number; the limit bounds what is allocated.
    const length = h.mode.kind === 'length' && !o.sinkFor ? h.mode.length : null;
    // The hop options carry the body limits under the collector's names.
    this.body = new BodyCollector(resp.headers, sink, o, this, { transfer: chunked ? te.slice(0, -1) : te, chunked, length });
  }

  onChunkHeader(size: number, _ext: string, offset: number): void {
    if (this.chunks.length < MAX_CHUNK_MARKS) this.chunks.push({ offset, size });
  }

  onBody(chunk: Buffer): void {
    this.body?.write(chunk, this.borrowed);
  }

  onTrailer(n: string, v: string): void {
    this.resp?.trailers.push([n, v]);
  }

  onMessageComplete(): void {
    this.timers.disarm();
    // The collector's end waits for the decoder and for the caller's stream to take what was written.
    if (!this.body) this.finish();
    else void this.body.end().then(() => this.finish());
  }

  onNote(code: string, message: string): void {
    const resp = this.resp;
    const subject = code === 'obs-fold' && resp ? `header:${resp.headers.length}` : this.parser.phase === 'body' ? 'body' : 'status';
    const notes = this.ex.notes;
    if (!notes.some((n) => n.id === `wire-${code}` && n.subject === subject)) notes.push(wireNote(code, message, subject));
  }

  onError(e: ParseError): void {
    // Nothing at all before the close reads better as curl's "empty reply" than as a parser state.
    if (e.code === 'HPE_INVALID_EOF_STATE' && this.received === 0)
      this.fail({ code: WL.EMPTY_REPLY, message: 'The server closed the connection without sending anything', phase: 'wait' });
    else this.fail({ code: e.code, message: e.message, phase: e.phase });
  }

  // ---- the connection's events ----

  data(chunk: Buffer, view: boolean): void {
    if (this.finished) return;
    // A view of the shared read buffer that the record keeps whole (its raw bytes) is copied once here for both
    // the record and the body; one the record keeps in part or not at all (a large download) stays a view, and
    // each copies what it keeps.
    const copy = view && this.rawLen + chunk.length <= this.rawCap;
    const d = copy ? Buffer.from(chunk) : chunk;
    this.borrowed = view && !copy;
    const first = this.firstByteAt === undefined;
    if (first) {
      this.firstByteAt = performance.now();
      this.lastProgress = this.firstByteAt;
      reportProgress(this.o, 'downloading', 0, null);
    }
    this.received += d.length;
    if (this.rawLen < this.rawCap) {
      const part = this.rawLen + d.length <= this.rawCap ? d : d.subarray(0, this.rawCap - this.rawLen);
      this.raw.push(this.borrowed ? Buffer.from(part) : part);
      this.rawLen += part.length;
    }
    const parser = this.parser;
    parser.execute(d);
    this.borrowed = false;
    // The head deadline runs from the first byte; a head that came whole in that read (the usual case) needs
    // no timer at all.
    if (first && !this.headComplete && !this.finished && this.firstByteAt !== undefined) this.timers.armHead(performance.now() - this.firstByteAt);
    // curl -v says "Excess found": a Content-Length smaller than what was sent cuts the body silently otherwise.
    // The record is still this object when it was resolved inside execute (consumers run after this read).
    if (parser.extraBytes > 0 && !this.extraNoted) {
      this.extraNoted = true;
      this.ex.notes.push({
        ...wireNote('extra-bytes', `${parser.extraBytes} bytes arrived after the end of the message (ignored)`, 'body'),
        detail:
          'The server sent more than the message framing (Content-Length or the last chunk) announced. Wire Lens, like curl, ignores the excess; the announced length is probably wrong. The raw response shows the extra bytes.',
      });
    }
    if (!parser.finished) this.timers.arm(this.o.idleTimeoutMs, parser.phase, 'data from the server');
    if (this.o.onProgress) {
      const now = performance.now();
      if (now - this.lastProgress > 100) {
        this.lastProgress = now;
        reportProgress(this.o, 'downloading', this.received, this.expected);
      }
    }
  }

  end(): void {
    if (this.finished || this.parser.finished) return;
    this.parser.finish();
  }

  close(): void {
    this.end();
  }

  error(e: NodeJS.ErrnoException): void {
    if (this.finished || this.parser.complete) return;
    const url = this.prepared.url;
    // TLS 1.3 servers check the client certificate after the client's handshake is done: their alert comes
    // while waiting for the response, and is a TLS failure all the same.
    const tlsError =
      url.protocol === 'https:' ? tlsFailure(e, { host: url.host, clientCertificate: hasClientCert(this.o.clientCertificates, url) }) : null;
    if (tlsError) {
      this.fail(tlsError.toJSON());
      return;
    }
    const phase = this.phaseNow();
    const code = codeOf(e, 'ECONNRESET');
    // A server that answers before reading the whole body (413, 401) and closes: the write fails, and Node takes
    // the socket down before the answer waiting in the kernel can be read. Say so instead of a bare EPIPE.
    const early = this.received === 0 && !this.requestSent && (code === 'EPIPE' || code === 'ECONNRESET');
    this.fail({
      code,
      message: early
        ? `${e.message}: the server closed the connection before the whole request was sent (${this.writer.bodyBytesWritten} of ${this.prepared.bodyLength} body bytes written); it may have answered early without reading the body (a 413 or 401, say), and that answer went with the connection`
        : `${e.message}${phase === 'headers' || phase === 'body' ? ' (partial response kept)' : ''}`,
      phase,
    });
  }

  // ---- the end ----

  private phaseNow(): ErrorPhase {
    return this.sendEnd === undefined ? 'send' : this.firstByteAt === undefined ? 'wait' : this.parser.phase;
  }

  private sinkFailed(e: unknown): void {
    this.fail({ code: WL.BODY_OUT, message: `Writing the body out: ${e instanceof Error ? e.message : String(e)}`, phase: 'body' });
  }

  /** Failing while a decoder runs: let it hand on what it can still decode from what arrived, then finish. */
  private flushDecoder(): boolean {
    const body = this.body;
    if (!body?.decoding || this.flushing || this.finished) return false;
    this.flushing = true;
    // Bounded: the decoder has only what already arrived to work through.
    const guard = setTimeout(() => this.finish(), 5000);
    void body.settle().then(() => {
      clearTimeout(guard);
      this.finish();
    });
    return true;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const { ex, o } = this;
    this.timers.stop();
    if (this.sinkListener && this.sink && 'write' in this.sink) this.sink.removeListener('error', this.sinkListener);
    o.signal?.removeEventListener('abort', this);
    if (!this.keepOrClose()) this.sock.destroy();
    this.body?.destroy();
    this.writer.record(ex.request);
    const deferred = this.body?.deferredError ?? null;
    if (deferred && !ex.error) ex.error = deferred;
    const raw = this.raw;
    // A status line that was refused (or cut short) is still what arrived: the record keeps it and the bytes.
    if (!this.resp && this.rawLen > 0) this.resp = refusedResponse(Buffer.concat(raw, this.rawLen));
    const resp = this.resp;
    if (resp) {
      // No body arrived (no head, or a bodyless response): an empty one, read as the head's content type says.
      resp.body = (this.body ?? new BodyCollector([], null, o, this)).result(headerValue(resp.headers, 'content-type') ?? undefined);
      resp.rawBase64 = (raw.length === 1 ? raw[0] : Buffer.concat(raw, this.rawLen)).toString('base64');
      resp.receivedBytes = this.received;
      if (this.received > this.rawLen) resp.rawTruncated = true;
      resp.headSize = this.headSize;
      if (this.chunks.length > 0) resp.chunks = this.chunks;
    }
    ex.response = resp;
    const route = this.s.route;
    // Through a forward proxy a 407 is the proxy's own answer.
    if (resp && resp.status === 407 && route && ex.connection?.proxy?.mode === 'forward') ex.notes.push(proxyAuthNote(resp.headers, route));
    // The response completed before the last write's callback: the request was out before its first byte.
    const sendEnd = this.sendEnd ?? (this.requestSent ? this.firstByteAt : undefined);
    ex.timings = phaseTimings(this.s.marks, this.s.t0, this.s.reusedAt, sendEnd, this.firstByteAt, performance.now());
    reportProgress(o, 'done', this.received, this.expected);
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(ex);
  }

  /** Hands the connection to the pool when the response allows another request on it; false: close it. */
  private keepOrClose(): boolean {
    const { s, sock, parser, resp } = this;
    const pool = s.pool;
    if (!pool || this.ex.error || !resp || !parser.complete || !this.requestSent || this.bodyMode === 'eof' || parser.extraBytes > 0) return false;
    if (sock.destroyed || !sock.writable || sock.readableEnded) return false;
    if (!allowsReuse(this.prepared.httpVersion, this.prepared.headers, resp)) return false;
    s.tap.release();
    const info = s.pooledInfo ?? connectionFacts(s.info, false, s.openedBy, 0);
    return pool.put({ key: s.key, tap: s.tap, info, openedBy: s.openedBy, uses: s.uses + 1 });
  }
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
