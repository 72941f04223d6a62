// A WebSocket block on a raw socket: the opening handshake as an HTTP/1.1 exchange (kept whole in the record),
// then RFC 6455 framing written here: masked client frames with a fresh key each, text/binary/fragmented
// messages, pings answered, the close handshake, permessage-deflate, and every server violation failing the
// connection (close 1002/1007/1009, as the RFC says) with a typed WL_WS_* error and everything received kept.
import * as crypto from 'node:crypto';
import type * as net from 'node:net';
import type {
  Exchange,
  ExchangeError,
  ExchangeResponse,
  HeaderPair,
  InterimResponse,
  Progress,
  SocketMessage,
  WireFrame,
} from '../../shared/exchange';
import type { ResolvedRequest, SocketRequest } from '../../shared/request';
import { connect, type ConnectMarks } from '../connect';
import { CANCELLED, fromUnknown } from '../errors';
import { ResponseParser } from '../parser';
import { WS } from '../socketErrors';
import { toWireErrorCode, type WireErrorCode } from '../../shared/errorCodes';
import { awaitUntil, Inbox, playSteps, textOf, Transcript } from '../socketSession';
import { connectTimings, emptyConnection, socketSkeleton, type SocketRunOptions } from '../tcp';
import { DeflateError, PerMessageDeflate } from './deflate';
import { closePayload, encodeFrame, FrameDecoder, isControl, isSendableCloseCode, OP, OPCODE_NAMES, type Frame } from './frame';
import { buildHandshake, checkHandshake } from './handshake';

/** How long the close handshake may take once a close frame went out. */
const CLOSE_WAIT_MS = 3000;
/** The body of a refused handshake (a 400 or 404 page) is kept up to this. */
const MAX_REFUSAL_BODY = 256 * 1024;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(b: Buffer): string | null {
  try {
    return UTF8.decode(b);
  } catch {
    return null;
  }
}

function wireFrame(f: Frame): WireFrame {
  const w: WireFrame = {
    opcode: f.opcode,
    fin: f.fin,
    rsv: [f.rsv1, f.rsv2, f.rsv3],
    masked: f.masked,
    length: f.payload.length,
    headerSize: f.headerSize,
  };
  if (f.maskKey) w.maskKey = f.maskKey.toString('hex');
  return w;
}

class Violation extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

interface Assembling {
  opcode: number;
  compressed: boolean;
  frames: WireFrame[];
  parts: Buffer[];
  size: number;
}

interface HandshakeRead {
  response: ExchangeResponse;
  /** Bytes after the 101's head: the first frames. */
  rest: Buffer;
  firstByteAt: number | null;
  error: ExchangeError | null;
}

/** Reads the answer to the handshake: interim heads, the final head and, when it is not a 101, its body. */
function readHandshake(s: net.Socket, opts: SocketRunOptions): Promise<HandshakeRead> {
  return new Promise((resolve) => {
    const raw: Buffer[] = [];
    let rawLen = 0;
    let version = '1.1';
    let status = 0;
    let reason = '';
    let headers: HeaderPair[] = [];
    const interim: InterimResponse[] = [];
    const body: Buffer[] = [];
    let bodyLen = 0;
    let headSize = 0;
    let final = false;
    let firstByteAt: number | null = null;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const response = (complete: boolean): ExchangeResponse => {
      const b = Buffer.concat(body);
      return {
        httpVersion: version,
        status,
        reason,
        headers,
        trailers: [],
        interim,
        body: {
          base64: b.toString('base64'),
          text: b.length ? textOf(b, false) : null,
          size: bodyLen,
          wireSize: bodyLen,
          truncated: bodyLen > b.length,
        },
        rawBase64: Buffer.concat(raw).toString('base64'),
        receivedBytes: rawLen,
        headSize,
        headersComplete: complete,
      };
    };
    const done = (rest: Buffer, error: ExchangeError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.removeListener('data', onData);
      s.removeListener('close', onClose);
      s.removeListener('error', onError);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ response: response(final), rest, firstByteAt, error });
    };
    const parser = new ResponseParser(
      {
        onStatus: (v, st, r) => {
          version = v;
          status = st;
          reason = r;
          headers = [];
        },
        onHeader: (n, v) => {
          headers.push([n, v]);
        },
        onHeadersComplete: (info) => {
          if (info.interim) {
            interim.push({ status, reason, headers });
            return;
          }
          final = true;
          headSize = info.offset;
        },
        onBody: (chunk) => {
          bodyLen += chunk.length;
          if (body.reduce((n, b) => n + b.length, 0) < MAX_REFUSAL_BODY) body.push(Buffer.from(chunk));
        },
        onError: (e) => done(Buffer.alloc(0), { code: toWireErrorCode(e.code), message: e.message, phase: 'handshake' }),
      },
      { method: 'GET', maxHeaderBytes: opts.maxHeaderBytes, maxBodyBytes: MAX_REFUSAL_BODY * 4 },
    );
    let consumed = 0;
    const onData = (chunk: Buffer): void => {
      firstByteAt ??= performance.now();
      const wasFinal = final;
      parser.execute(chunk);
      if (settled) return;
      if (final && status === 101) {
        // Only the head is HTTP; what follows it is already WebSocket frames.
        const cut = Math.max(0, headSize - consumed);
        if (!wasFinal) {
          raw.push(chunk.subarray(0, cut));
          rawLen += cut;
        }
        consumed += chunk.length;
        done(Buffer.from(chunk.subarray(cut)), null);
        return;
      }
      raw.push(Buffer.from(chunk));
      rawLen += chunk.length;
      consumed += chunk.length;
      if (parser.complete) done(Buffer.alloc(0), null);
    };
    const onClose = (): void => {
      parser.finish();
      done(
        Buffer.alloc(0),
        final || status
          ? null
          : { code: 'WL_EMPTY_REPLY', message: 'The server closed the connection without answering the handshake', phase: 'handshake' },
      );
    };
    const onError = (e: NodeJS.ErrnoException): void =>
      done(Buffer.alloc(0), { code: toWireErrorCode(e.code, 'ECONNRESET'), message: e.message, phase: 'handshake' });
    const onAbort = (): void => done(Buffer.alloc(0), { code: CANCELLED, message: 'Cancelled during the WebSocket handshake', phase: 'handshake' });
    s.on('data', onData);
    s.once('close', onClose);
    s.once('error', onError);
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs > 0)
      timer = setTimeout(
        () =>
          done(Buffer.alloc(0), {
            code: 'ETIMEDOUT',
            message: `No complete answer to the WebSocket handshake within ${opts.timeoutMs} ms`,
            phase: 'handshake',
          }),
        opts.timeoutMs,
      );
  });
}

export async function runWebSocket(req: ResolvedRequest, sock: SocketRequest, opts: SocketRunOptions): Promise<Exchange> {
  const startedAt = performance.now();
  const ex = socketSkeleton(req, 'websocket');
  const info = emptyConnection();
  ex.connection = info;
  const marks: ConnectMarks = {};
  const url = new URL(req.url);
  const progress = (phase: Progress['phase']): void => opts.onProgress?.({ phase, bytes: 0, total: null, elapsedMs: performance.now() - startedAt });
  const transcript = new Transcript(startedAt, opts.hooks?.onMessage);
  const inbox = new Inbox();
  if (sock.until?.kind === 'text') inbox.watchText(sock.until.text);
  let error: ExchangeError | null = null;
  let closedBy: 'client' | 'server' | 'error' | null = null;
  let endReason = '';
  let closeSent: { code: number | null; reason: string } | null = null;
  let closeReceived: { code: number | null; reason: string } | null = null;
  let protocol: string | null = null;
  let extensions: string | null = null;
  const hs = buildHandshake(url, req.headers, opts.userAgent);
  ex.request.headers = hs.headers;
  ex.request.rawBase64 = hs.bytes.toString('base64');
  const finish = (): Exchange => {
    ex.messages = transcript.messages;
    ex.timings.total = performance.now() - startedAt;
    ex.socket = {
      closedBy,
      endReason,
      bytesSent: transcript.bytesSent,
      bytesReceived: transcript.bytesReceived,
      closeSent,
      closeReceived,
      protocol,
      extensions,
      ...(transcript.dropped ? { droppedMessages: transcript.dropped } : {}),
    };
    ex.error = error;
    progress('done');
    return ex;
  };

  let s: net.Socket;
  try {
    s = await connect(
      {
        url: new URL(`${url.protocol === 'wss:' ? 'https' : 'http'}://${url.host}`),
        lookup: opts.lookup,
        insecure: opts.insecure,
        ca: opts.ca,
        clientCertificates: opts.clientCertificates,
        connectTimeoutMs: opts.timeoutMs,
        signal: opts.signal,
        marks,
        onPhase: (p) => progress(p === 'dns' ? 'dns' : p === 'tls' ? 'tls' : 'connecting'),
      },
      info,
    );
  } catch (e) {
    connectTimings(ex, startedAt, marks);
    error = fromUnknown(e, 'connect');
    closedBy = 'error';
    endReason = error.message;
    return finish();
  }
  connectTimings(ex, startedAt, marks);
  progress('sending');
  const sendStart = performance.now();
  s.write(hs.bytes);
  ex.timings.send = performance.now() - sendStart;
  progress('waiting');
  const hsRead = await readHandshake(s, opts);
  const sentAt = sendStart + (ex.timings.send ?? 0);
  ex.timings.firstByte = hsRead.firstByteAt !== null ? hsRead.firstByteAt - sentAt : null;
  ex.timings.download = hsRead.firstByteAt !== null ? performance.now() - hsRead.firstByteAt : null;
  ex.response = hsRead.response.status ? hsRead.response : null;
  if (hsRead.error) {
    error = hsRead.error;
    closedBy = 'error';
    endReason = error.message;
    s.destroy();
    return finish();
  }
  const verdict = checkHandshake(hsRead.response.status, hsRead.response.headers, hs);
  if ('code' in verdict) {
    error = { code: verdict.code, message: verdict.message, phase: 'handshake' };
    closedBy = 'error';
    endReason = verdict.message;
    s.destroy();
    return finish();
  }
  protocol = verdict.protocol;
  extensions = verdict.extensions;
  const deflate = verdict.deflate ? new PerMessageDeflate(verdict.deflate, opts.maxMessageBytes) : null;

  // ---- the open connection ----------------------------------------------------------------------------------
  const decoder = new FrameDecoder({ side: 'client', maxFrameBytes: opts.maxFrameBytes });
  let partial: Assembling | null = null;
  let failed = false;
  let queue: Promise<void> = Promise.resolve();
  let sendQueue: Promise<unknown> = Promise.resolve();
  const tcpClosed = new Promise<void>((resolve) => s.once('close', () => resolve()));
  let serverClosed = false;

  const writeFrame = (
    opcode: number,
    payload: Uint8Array,
    extra: Partial<SocketMessage>,
    rsv1 = false,
    app?: Uint8Array,
    text?: string | null,
  ): void => {
    if (s.destroyed || !s.writable) return;
    const mask = crypto.randomBytes(4);
    const frame = encodeFrame({ opcode, payload, mask, rsv1 });
    s.write(frame);
    const data = app ?? payload;
    transcript.add(
      'sent',
      data,
      {
        opcode,
        opcodeName: OPCODE_NAMES[opcode],
        fin: true,
        masked: true,
        rsv: [rsv1, false, false],
        wireFrames: [
          {
            opcode,
            fin: true,
            rsv: [rsv1, false, false],
            masked: true,
            maskKey: mask.toString('hex'),
            length: payload.length,
            headerSize: frame.length - payload.length,
          },
        ],
        ...extra,
      },
      text,
    );
  };

  const sendClose = (code: number | null, reason: string, automatic: boolean): void => {
    if (closeSent) return;
    closeSent = { code, reason };
    writeFrame(
      OP.CLOSE,
      closePayload(code, reason),
      { closeCode: code, closeReason: reason, ...(automatic ? { automatic } : {}) },
      false,
      undefined,
      reason || null,
    );
  };

  const sendMessage = (data: Uint8Array, text: boolean): Promise<void> => {
    const next = sendQueue.then(async () => {
      if (closeSent || s.destroyed) return;
      const opcode = text ? OP.TEXT : OP.BINARY;
      const shown = text ? utf8(Buffer.from(data)) : null;
      // A server that asks for an 8-bit client window gets uncompressed messages (zlib's raw deflate needs 9 bits).
      if (deflate && deflate.params.clientMaxWindowBits !== 8) {
        const compressed = await deflate.deflate(data);
        writeFrame(opcode, compressed, { compressedSize: compressed.length, compressedBase64: compressed.toString('base64') }, true, data, shown);
      } else writeFrame(opcode, data, {}, false, undefined, shown);
    });
    sendQueue = next.catch(() => undefined);
    return next;
  };

  const fail = (v: Violation): void => {
    if (failed) return;
    failed = true;
    error = { code: v.code, message: v.message, phase: 'messages' };
    closedBy = 'error';
    endReason = `Wire Lens failed the connection: ${v.message}`;
    // "Fail the WebSocket Connection" (RFC 6455 Section 7.1.7): a close frame when possible, then the TCP close.
    if (!serverClosed) sendClose(v.closeCode, '', true);
    inbox.close();
    setTimeout(() => s.destroy(), 200).unref();
  };

  const deliver = async (f: Frame): Promise<void> => {
    if (failed) return;
    if (f.rsv2 || f.rsv3) throw new Violation(WS.RSV_BITS, `Frame with RSV${f.rsv2 ? 2 : 3} set: no negotiated extension defines it`, 1002);
    if (f.rsv1 && (!deflate || isControl(f.opcode) || f.opcode === OP.CONTINUATION)) {
      throw new Violation(
        WS.RSV_BITS,
        deflate
          ? `RSV1 set on a ${OPCODE_NAMES[f.opcode]} frame: permessage-deflate sets it only on a message's first frame`
          : 'Frame with RSV1 set, but no extension was negotiated',
        1002,
      );
    }
    if (isControl(f.opcode)) return control(f);
    if (f.opcode === OP.CONTINUATION) {
      if (!partial) throw new Violation(WS.BAD_CONTINUATION, 'Continuation frame with no fragmented message to continue', 1002);
    } else {
      if (partial)
        throw new Violation(
          WS.BAD_CONTINUATION,
          `A new ${OPCODE_NAMES[f.opcode]} frame arrived before the fragmented ${OPCODE_NAMES[partial.opcode]} message ended`,
          1002,
        );
      partial = { opcode: f.opcode, compressed: f.rsv1, frames: [], parts: [], size: 0 };
    }
    const m = partial;
    m.frames.push(wireFrame(f));
    m.parts.push(f.payload);
    m.size += f.payload.length;
    if (m.size > opts.maxMessageBytes)
      throw new Violation(WS.MESSAGE_TOO_LARGE, `Message of more than ${opts.maxMessageBytes} bytes (the message limit)`, 1009);
    if (!f.fin) return;
    partial = null;
    const wire = Buffer.concat(m.parts);
    let payload: Buffer = wire;
    if (m.compressed && deflate) {
      try {
        payload = await deflate.inflate(wire);
      } catch (e) {
        if (e instanceof DeflateError) throw new Violation(e.code, e.message, e.code === WS.MESSAGE_TOO_LARGE ? 1009 : 1007);
        throw e;
      }
    }
    let text: string | null = null;
    if (m.opcode === OP.TEXT) {
      text = utf8(payload);
      if (text === null) {
        transcript.add('received', payload, meta(m, wire), null);
        throw new Violation(WS.INVALID_UTF8, 'Text message that is not valid UTF-8', 1007);
      }
    }
    transcript.add('received', payload, meta(m, wire), m.opcode === OP.TEXT ? text : textOf(payload));
    inbox.received(payload);
  };

  const meta = (m: Assembling, wire: Buffer): Partial<SocketMessage> => {
    const first = m.frames[0];
    const out: Partial<SocketMessage> = {
      opcode: m.opcode,
      opcodeName: OPCODE_NAMES[m.opcode],
      fin: true,
      masked: false,
      rsv: first.rsv,
      wireFrames: m.frames,
    };
    if (m.compressed) {
      out.compressedSize = wire.length;
      out.compressedBase64 = wire.toString('base64');
    }
    return out;
  };

  const control = (f: Frame): void => {
    const base: Partial<SocketMessage> = {
      opcode: f.opcode,
      opcodeName: OPCODE_NAMES[f.opcode],
      fin: f.fin,
      masked: false,
      rsv: [f.rsv1, f.rsv2, f.rsv3],
      wireFrames: [wireFrame(f)],
    };
    if (f.opcode === OP.PING) {
      transcript.add('received', f.payload, base);
      // RFC 6455 Section 5.5.2: a ping is answered with a pong carrying the same data.
      if (!closeSent) writeFrame(OP.PONG, f.payload, { automatic: true });
      return;
    }
    if (f.opcode === OP.PONG) {
      transcript.add('received', f.payload, base);
      return;
    }
    // Close.
    let code: number | null = null;
    let reason = '';
    if (f.payload.length === 1) {
      transcript.add('received', f.payload, base);
      throw new Violation(WS.BAD_CLOSE, 'Close frame with a one-byte payload (a code needs two)', 1002);
    }
    if (f.payload.length >= 2) {
      code = f.payload.readUInt16BE(0);
      const r = utf8(f.payload.subarray(2));
      if (r === null) {
        transcript.add('received', f.payload, { ...base, closeCode: code });
        throw new Violation(WS.INVALID_UTF8, 'Close reason that is not valid UTF-8', 1007);
      }
      reason = r;
    }
    transcript.add('received', f.payload, { ...base, closeCode: code, closeReason: reason }, reason || null);
    closeReceived = { code, reason };
    if (code !== null && !isSendableCloseCode(code))
      throw new Violation(WS.BAD_CLOSE, `Close code ${code} may not be sent in a close frame (RFC 6455, Section 7.4)`, 1002);
    serverClosed = true;
    closedBy ??= closeSent ? 'client' : 'server';
    if (!closeSent) {
      endReason ||= `the server closed${code !== null ? ` with ${code}` : ''}${reason ? ` (${reason})` : ''}`;
      // Echo the code, as RFC 6455 Section 5.5.1 suggests; the server then closes the TCP connection.
      sendClose(code, '', true);
    }
    inbox.close();
  };

  const onData = (chunk: Buffer): void => {
    const { frames, error: violation } = decoder.push(chunk);
    for (const f of frames)
      queue = queue
        .then(() => deliver(f))
        .catch((e: unknown) => {
          if (e instanceof Violation) fail(e);
          else fail(new Violation('WL_INTERNAL', String(e), 1011));
        });
    if (violation)
      queue = queue.then(() => fail(new Violation(violation.code, violation.message, violation.code === WS.FRAME_TOO_LARGE ? 1009 : 1002)));
  };
  s.on('data', onData);
  s.on('error', (e: NodeJS.ErrnoException) => {
    if (!error && !closeReceived) error = { code: toWireErrorCode(e.code, 'ECONNRESET'), message: e.message, phase: 'messages' };
    inbox.close();
  });
  s.once('close', () => {
    if (!closeReceived && !failed) {
      closedBy ??= 'server';
      endReason ||= 'the connection closed without a close frame (1006: abnormal closure)';
    }
    inbox.close();
  });
  if (hsRead.rest.length) onData(hsRead.rest);

  let userClose: { code: number; reason: string } | null = null;
  opts.hooks?.onOpen?.(
    {
      kind: 'websocket',
      send: (data, text) => {
        if (inbox.closed || closeSent) return false;
        inbox.activity();
        void sendMessage(data, text).catch(() => undefined);
        return true;
      },
      close: (code = 1000, reason = '') => {
        userClose = { code, reason };
        endReason ||= `closed from the panel with ${code}${reason ? ` (${reason})` : ''}`;
        inbox.stop();
      },
    },
    ex,
  );

  const waitError = await playSteps(
    sock.steps,
    inbox,
    { timeoutMs: opts.timeoutMs, signal: opts.signal, nothing: 'no message from the server' },
    async (step) => {
      try {
        await sendMessage(step.data, step.text);
      } catch (e) {
        error = fromUnknown(e, 'messages');
        return false;
      }
      inbox.activity();
      return true;
    },
  );
  if (waitError) error = waitError;
  if (!error && !inbox.closed && !inbox.stopped && !opts.signal?.aborted) {
    const r = await awaitUntil(inbox, sock.until, { live: opts.hooks?.live === true, timeoutMs: opts.timeoutMs, signal: opts.signal });
    if (!inbox.closed || inbox.stopped) endReason ||= r.reason;
    if (r.unmet && !error) error = { code: r.outcome === 'timeout' ? 'ETIMEDOUT' : 'WL_UNTIL_NOT_MET', message: r.reason, phase: 'wait' };
  }
  if (opts.signal?.aborted && !error) error = { code: CANCELLED, message: 'Cancelled', phase: 'messages' };
  await queue;
  if (!closeSent && !failed && !s.destroyed) {
    // The client's close handshake: a close frame, the server's answering close, then the TCP close.
    const uc = userClose as { code: number; reason: string } | null;
    closedBy ??= 'client';
    endReason ||= "closed after the block's messages";
    await sendQueue;
    sendClose(uc?.code ?? 1000, uc?.reason ?? '', false);
    const answered = await Promise.race([tcpClosed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_WAIT_MS).unref())]);
    if (!answered && !closeReceived) endReason += `; the server did not complete the close handshake within ${CLOSE_WAIT_MS} ms`;
  } else if (!s.destroyed) {
    await Promise.race([tcpClosed, new Promise<void>((r) => setTimeout(r, failed ? 300 : 1000).unref())]);
  }
  await queue;
  s.destroy();
  deflate?.close();
  return finish();
}
