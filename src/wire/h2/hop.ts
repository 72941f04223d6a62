// One request over a fresh HTTP/2 connection: choosing the protocol (ALPN h2 on TLS, prior knowledge on plain
// TCP, or HTTP/1.1), the session on the socket, the request body under flow control, the response through the
// same body rules as HTTP/1.1 (decoding, limits, sink), the per-phase timeouts and cancellation, and the record
// (frames, raw bytes of the connection, headers as received). Always resolves; a failure is in `error`.
import { isoNow } from '../../shared/clock';
import type * as net from 'node:net';
import * as fs from 'node:fs';
import type { ConnectionInfo, ErrorPhase, Exchange, ExchangeError, ExchangeResponse, HeaderPair, ProgressPhase } from '../../shared/exchange';
import type { ResolvedRequest } from '../../shared/request';
import { BodyCollector } from '../body';
import { connect, type ConnectMarks } from '../connect';
import { CANCELLED, WL, codeOf, fromUnknown } from '../errors';
import { headerValue } from '../../shared/access';
import { RAW_BODY_KEPT, RAW_REQUEST_CAP, SINK_PREVIEW, runHop, withDeadline, type BodySink, type HopOptions } from '../hop';
import { prepareRequest, type PreparedRequest } from '../requestBytes';
import { drained } from '../requestWriter';
import type { HpackField } from './hpack';
import { asPairs, h2RequestFields } from './request';
import { H2Session } from './session';

/**
 * `never`: a request that writes no version uses HTTP/1.1 (the default); `negotiate`: it offers h2 and http/1.1
 * by ALPN on TLS and uses what the server picks (plain http stays HTTP/1.1); `prior-knowledge`: it uses HTTP/2
 * directly (h2c on plain http, h2 required on TLS). A version written on the request line always wins.
 */
export type Http2Mode = 'never' | 'negotiate' | 'prior-knowledge';

/** h1: HTTP/1.1 as before; h2: HTTP/2 required; negotiate: ALPN decides. */
export type ProtocolChoice = 'h1' | 'h2' | 'negotiate';

export function chooseProtocol(req: ResolvedRequest, mode: Http2Mode): ProtocolChoice {
  const v = req.httpVersion.trim().toUpperCase();
  if (v === 'HTTP/2' || v === 'HTTP/2.0') return 'h2';
  // The default mode needs no URL: every request without a written version is HTTP/1.1 then (one parse less per request).
  if (v !== '' || mode === 'never') return 'h1';
  let https = false;
  try {
    https = new URL(req.url).protocol === 'https:';
  } catch {
    return 'h1'; // the HTTP/1.1 path reports the bad URL
  }
  if (mode === 'prior-knowledge') return 'h2';
  if (mode === 'negotiate' && https) return 'negotiate';
  return 'h1';
}

/** The hop in whichever protocol the request and the mode ask for. */
export function runAnyHop(req: ResolvedRequest, o: HopOptions, mode: Http2Mode): Promise<Exchange> {
  const choice = chooseProtocol(req, mode);
  // runHop applies the whole-exchange deadline itself (also when negotiation falls back to it).
  return choice === 'h1' ? runHop(req, o) : withDeadline(o, (d) => runH2Hop(req, { ...d, deadlineAt: undefined }, choice));
}

function emptyExchange(req: ResolvedRequest): Exchange {
  return {
    request: { method: req.method, url: req.url, httpVersion: 'HTTP/2', headers: [...req.headers], rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    startedAt: isoNow(),
    frames: [],
  };
}

const fieldPairs = (fields: readonly HpackField[]): HeaderPair[] =>
  fields.filter((f) => f.representation !== 'size-update').map((f) => [f.name, f.value]);

export async function runH2Hop(req: ResolvedRequest, o: HopOptions, choice: 'h2' | 'negotiate'): Promise<Exchange> {
  const t0 = performance.now();
  const ex = emptyExchange(req);
  const marks: ConnectMarks = {};
  const progress = (phase: ProgressPhase, bytes = 0, total: number | null = null): void => {
    o.onProgress?.({ phase, bytes, total, elapsedMs: performance.now() - o.startedAt });
  };
  const setTimings = (sendEnd?: number, firstByteAt?: number): void => {
    const end = performance.now();
    const t = ex.timings;
    t.dns = marks.dnsEnd !== undefined && marks.dnsStart !== undefined ? marks.dnsEnd - marks.dnsStart : null;
    t.connect = marks.tcpEnd !== undefined ? marks.tcpEnd - (marks.dnsEnd ?? t0) : null;
    t.tls = marks.tlsEnd !== undefined && marks.tcpEnd !== undefined ? marks.tlsEnd - marks.tcpEnd : null;
    const ready = marks.tlsEnd ?? marks.tcpEnd;
    t.send = sendEnd !== undefined && ready !== undefined ? sendEnd - ready : null;
    t.firstByte = firstByteAt !== undefined && sendEnd !== undefined ? Math.max(0, firstByteAt - sendEnd) : null;
    t.download = firstByteAt !== undefined ? end - firstByteAt : null;
    t.total = end - t0;
  };

  progress('resolving');
  let prepared: PreparedRequest;
  let fields;
  try {
    prepared = await prepareRequest(req, o.userAgent);
    fields = h2RequestFields(prepared, req.target);
  } catch (e) {
    ex.error = fromUnknown(e, 'resolve');
    setTimings();
    return ex;
  }
  const https = prepared.url.protocol === 'https:';
  ex.request.method = prepared.method;
  ex.request.headers = asPairs(fields);
  ex.request.bodySize = 0;

  const info: ConnectionInfo = { localAddress: null, localPort: null, remoteAddress: null, remotePort: null, family: null, reused: false, tls: null };
  ex.connection = info;
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
        alpnProtocols: ['h2', 'http/1.1'],
        onPhase: (p) => progress(p),
      },
      info,
    );
  } catch (e) {
    ex.error = fromUnknown(e, 'connect');
    setTimings();
    return ex;
  }
  if (https && info.tls?.alpn !== 'h2') {
    // The server chose: HTTP/1.1 on this very connection when negotiating, a clear refusal when h2 was required.
    if (choice === 'negotiate') return runHop(req, { ...o, connected: { socket, info, marks, t0 } });
    socket.destroy();
    const picked = info.tls?.alpn ? `selected ${info.tls.alpn}` : 'selected no protocol (it does not speak ALPN, so HTTP/1.1 at best)';
    ex.error = {
      code: WL.H2_NOT_NEGOTIATED,
      message: `The server does not agree to HTTP/2: offered h2 and http/1.1 by ALPN, the server ${picked}. Write HTTP/1.1 on the request line (or drop the version) to send it anyway.`,
      phase: 'tls',
    };
    setTimings();
    return ex;
  }
  return exchangeOn(socket, ex, prepared, fields, o, { t0, marks, progress, setTimings });
}

interface HopContext {
  t0: number;
  marks: ConnectMarks;
  progress: (phase: ProgressPhase, bytes?: number, total?: number | null) => void;
  setTimings: (sendEnd?: number, firstByteAt?: number) => void;
}

function exchangeOn(
  sock: net.Socket,
  ex: Exchange,
  prepared: PreparedRequest,
  fields: ReturnType<typeof h2RequestFields>,
  o: HopOptions,
  c: HopContext,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    let finished = false;
    let sendEnd: number | undefined;
    let firstByteAt: number | undefined;
    let lastProgress = 0;
    const rawReq: Buffer[] = [];
    let rawReqLen = 0;
    let rawReqKept = 0;
    let bodySent = 0;
    const raw: Buffer[] = [];
    let rawLen = 0;
    let rawCap = o.maxHeaderBytes + RAW_BODY_KEPT;
    let resp: ExchangeResponse | null = null;
    let body: BodyCollector | null = null;
    let expected: number | null = null;
    let complete = false;
    let waiting = 0;
    let windowWaiter: (() => void) | null = null;

    // ---- timers, as on HTTP/1.1: first byte, idle, head deadline ----
    // The idle timer is not re-armed on every read (a download has thousands): a read only notes its time, and
    // a timer that fires early looks at that time and waits for the rest.
    let timer: NodeJS.Timeout | undefined;
    let timerMs = 0;
    let timerPhase: ErrorPhase = 'send';
    let timerWhat = '';
    let activityAt = 0;
    let headTimer: NodeJS.Timeout | undefined;
    const disarm = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (headTimer) clearTimeout(headTimer);
      headTimer = undefined;
    };
    const onTimer = (): void => {
      timer = undefined;
      const left = activityAt + timerMs - performance.now();
      if (left > 1) {
        timer = setTimeout(onTimer, left);
        return;
      }
      fail({ code: 'ETIMEDOUT', message: `No ${timerWhat} within ${timerMs} ms`, phase: timerPhase });
    };
    const arm = (ms: number, phase: ErrorPhase, what: string, now = performance.now()): void => {
      if (finished) return;
      activityAt = now;
      if (timer && ms === timerMs && phase === timerPhase && what === timerWhat) return;
      timerPhase = phase;
      timerWhat = what;
      if (timer) clearTimeout(timer);
      timer = undefined;
      timerMs = ms;
      if (ms > 0) timer = setTimeout(onTimer, ms);
    };
    const phaseNow = (): ErrorPhase =>
      sendEnd === undefined ? 'send' : firstByteAt === undefined ? 'wait' : resp?.headersComplete ? 'body' : 'headers';

    const pause = (): void => {
      if (waiting++ === 0) sock.pause();
    };
    const resume = (): void => {
      if (--waiting === 0 && !finished) {
        sock.resume();
        arm(o.idleTimeoutMs, phaseNow(), 'data from the server');
      }
    };

    const session = new H2Session(
      { maxHeaderBytes: o.maxHeaderBytes, t0: c.t0, initialWindow: o.h2Window, connectionWindow: o.h2Window },
      {
        write: (b) => {
          rawReqLen += b.length;
          if (rawReqKept < RAW_REQUEST_CAP) {
            const part = b.subarray(0, RAW_REQUEST_CAP - rawReqKept);
            rawReq.push(part);
            rawReqKept += part.length;
          }
          if (sock.destroyed) return true;
          return sock.write(b);
        },
        onHeaders: (hf, endStream) => onHeaders(hf, endStream),
        onData: (chunk, end) => {
          if (!body) return;
          body.write(chunk, false);
          session.consumed(chunk.length);
          if (end) completeBody();
        },
        onWindow: () => {
          const w = windowWaiter;
          windowWaiter = null;
          w?.();
        },
        onError: (e) => {
          // RST_STREAM NO_ERROR once every byte the Content-Length announced is in: the response is complete, the
          // server only skipped END_STREAM (Node's http2 server does this under load). Kept, with a note.
          if (e.code === 'H2_STREAM_RESET' && body && expected !== null && body.wireBytes === expected) {
            ex.notes.push({
              id: 'h2-reset-after-body',
              subject: 'body',
              level: 'info',
              category: 'wire',
              summary: 'The server ended the stream with RST_STREAM NO_ERROR instead of END_STREAM',
              detail:
                'Every byte the Content-Length announced had arrived, so the response is complete; a server may reset a stream with NO_ERROR once it has sent its whole response (RFC 9113 §8.1).',
              reference: 'https://www.rfc-editor.org/rfc/rfc9113#section-8.1',
            });
            completeBody();
            return;
          }
          fail(e);
        },
      },
    );

    const onHeaders = (hf: HpackField[], endStream: boolean): void => {
      const pairs = fieldPairs(hf);
      const statusText = pairs.find(([n]) => n === ':status')?.[1];
      const status = statusText !== undefined && /^\d{3}$/.test(statusText) ? Number(statusText) : 0;
      if (resp?.headersComplete) {
        resp.trailers = pairs;
        if (endStream) completeBody();
        return;
      }
      resp ??= {
        httpVersion: '2',
        status,
        reason: '',
        headers: [],
        trailers: [],
        interim: [],
        body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
        rawBase64: '',
        headersComplete: false,
      };
      if (status >= 100 && status < 200 && status !== 101) {
        resp.interim.push({ status, reason: '', headers: pairs });
        return;
      }
      resp.status = status;
      resp.headers = pairs;
      resp.headersComplete = true;
      if (headTimer) clearTimeout(headTimer);
      headTimer = undefined;
      if (status === 0) {
        session.resetStream(
          'PROTOCOL_ERROR',
          statusText === undefined
            ? 'Response header block without :status (RFC 9113 §8.3.2)'
            : `Invalid :status ${JSON.stringify(statusText.slice(0, 16))}`,
        );
        return;
      }
      const cl = headerValue(pairs, 'content-length');
      if (cl !== null && /^\d{1,15}$/.test(cl)) expected = Number(cl);
      const sink: BodySink | null = o.sinkFor?.(status, pairs) ?? null;
      if (sink && 'write' in sink) sink.once('error', onSinkError);
      if (sink) rawCap = Math.min(rawCap, o.maxHeaderBytes + SINK_PREVIEW);
      body = new BodyCollector(pairs, sink, o, { fail, pause, resume });
      ex.notes.push(...body.notes);
      if (endStream) completeBody();
    };

    const onSinkError = (e: Error): void => fail({ code: WL.BODY_OUT, message: `Writing the body out: ${e.message}`, phase: 'body' });

    const completeBody = (): void => {
      if (complete || finished) return;
      complete = true;
      disarm();
      if (!body) {
        finish();
        return;
      }
      body.end().then(
        () => finish(),
        (e: unknown) => fail(fromUnknown(e, 'decode')),
      );
    };

    const onAbort = (): void => fail({ code: CANCELLED, message: 'Cancelled by the user', phase: phaseNow() });

    const finish = (): void => {
      if (finished) return;
      finished = true;
      disarm();
      o.signal?.removeEventListener('abort', onAbort);
      const w = windowWaiter;
      windowWaiter = null;
      w?.();
      // A clean end says goodbye (GOAWAY NO_ERROR); a failure was already said by the session or is a cancel.
      if (!session.dead) {
        if (ex.error) session.cancel();
        else session.close();
      }
      // Let the last frames (and TLS close_notify) go out, but never wait on the server.
      if (!sock.destroyed) {
        sock.end();
        setTimeout(() => sock.destroy(), 250).unref();
      }
      body?.destroy();
      const sent = Buffer.concat(rawReq, rawReqKept);
      ex.request.rawBase64 = sent.toString('base64');
      ex.request.bodySize = bodySent;
      if (rawReqLen > rawReqKept) ex.request.rawTruncated = true;
      if (resp) {
        if (body) resp.body = body.result(headerValue(resp.headers, 'content-type') ?? undefined);
        resp.rawBase64 = Buffer.concat(raw, rawLen).toString('base64');
        resp.receivedBytes = session.receivedBytes;
        if (session.receivedBytes > rawLen) resp.rawTruncated = true;
      }
      ex.response = resp;
      ex.frames = session.frames;
      if (session.omitted.count > 0) ex.framesOmitted = { ...session.omitted };
      c.setTimings(sendEnd, firstByteAt);
      c.progress('done', session.receivedBytes, expected);
      resolve(ex);
    };

    const fail = (err: ExchangeError): void => {
      if (finished) return;
      if (!ex.error) ex.error = err;
      finish();
    };

    sock.on('data', (d: Buffer) => {
      if (finished) return;
      // One clock read per read: the session's frame times, the idle timer and the progress all use it.
      const now = performance.now();
      if (firstByteAt === undefined) {
        firstByteAt = now;
        lastProgress = firstByteAt;
        c.progress('downloading', 0, null);
        if (o.headTimeoutMs > 0) {
          headTimer = setTimeout(
            () =>
              fail({
                code: 'ETIMEDOUT',
                message: `Response head not complete within ${o.headTimeoutMs} ms of the first byte (the server sends it too slowly)`,
                phase: 'headers',
              }),
            o.headTimeoutMs,
          );
        }
      }
      if (rawLen < rawCap) {
        const part = rawLen + d.length <= rawCap ? d : d.subarray(0, rawCap - rawLen);
        raw.push(part);
        rawLen += part.length;
      }
      session.receive(d, now);
      if (complete || finished) return;
      arm(o.idleTimeoutMs, phaseNow(), 'data from the server', now);
      if (o.onProgress && now - lastProgress > 100) {
        lastProgress = now;
        c.progress('downloading', session.receivedBytes, expected);
      }
    });
    const onEnd = (): void => {
      if (finished || complete) return;
      if (session.receivedBytes === 0) {
        fail({ code: WL.EMPTY_REPLY, message: 'The server closed the connection without sending anything', phase: 'wait' });
        return;
      }
      const g = session.goaway ? ` after GOAWAY ${session.goaway.code === 0 ? 'NO_ERROR' : session.goaway.code}` : '';
      const what = resp?.headersComplete ? `${body ? 'in the middle of the body' : 'after the head'}` : 'before the response head';
      fail({
        code: WL.H2_CONNECTION_CLOSED,
        message: `The server closed the connection${g} ${what}, before the stream ended (partial response kept)`,
        phase: phaseNow(),
      });
    };
    sock.on('end', onEnd);
    sock.on('close', onEnd);
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (finished || complete) return;
      fail({ code: codeOf(e, 'ECONNRESET'), message: `${e.message} (partial response kept)`, phase: phaseNow() });
    });
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });

    // ---- sending ----
    c.progress('sending');
    session.start();
    const noBody = prepared.body.length === 0 || prepared.bodyLength === 0;
    session.sendHeaders(fields, noBody);
    const sent = (): void => {
      if (finished) return;
      sendEnd = performance.now();
      if (firstByteAt === undefined) {
        c.progress('waiting');
        arm(o.firstByteTimeoutMs, 'wait', 'response');
      }
    };
    if (noBody) {
      sock.write(Buffer.alloc(0), sent);
      return;
    }

    const windowOpen = (): Promise<void> =>
      new Promise((res) => {
        windowWaiter = res;
      });
    let left = prepared.bodyLength;
    const sendChunk = async (b: Buffer): Promise<void> => {
      let off = 0;
      while (off < b.length && !finished) {
        const n = session.sendable();
        if (n === 0) {
          if (session.dead || session.state !== 'open') return;
          // The server's windows are closed: waiting for its WINDOW_UPDATE is not the server going silent.
          arm(o.idleTimeoutMs, 'send', 'WINDOW_UPDATE from the server (its flow-control window is closed)');
          await windowOpen();
          continue;
        }
        const part = b.subarray(off, off + n);
        off += part.length;
        left -= part.length;
        bodySent += part.length;
        arm(o.idleTimeoutMs, 'send', 'progress sending the request');
        if (!session.sendData(part, left <= 0 && off >= b.length)) await drained(sock);
      }
    };
    const sendBody = async (): Promise<void> => {
      for (const part of prepared.body) {
        if (finished) return;
        if (part.kind === 'bytes') await sendChunk(Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength));
        else {
          const rs = fs.createReadStream(part.path, { highWaterMark: 64 * 1024 });
          try {
            for await (const chunk of rs) {
              if (finished) break;
              await sendChunk(chunk as Buffer);
            }
          } finally {
            rs.destroy();
          }
        }
      }
      if (finished || session.dead) return;
      // A file that shrank since it was measured: the stream still has to end.
      if (session.state === 'open') session.sendData(Buffer.alloc(0), true);
      sock.write(Buffer.alloc(0), sent);
    };
    sendBody().catch((e: unknown) =>
      fail({ code: WL.BODY_FILE, message: `Reading the body file: ${e instanceof Error ? e.message : String(e)}`, phase: 'send' }),
    );
  });
}
