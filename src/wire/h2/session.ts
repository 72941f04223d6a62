// The client side of one HTTP/2 connection carrying one request (stream 1): the preface and SETTINGS exchange,
// header blocks (HEADERS + CONTINUATION) through HPACK, DATA with connection and stream flow control in both
// directions, PING, RST_STREAM, GOAWAY, PRIORITY and padding tolerated, and every limit that keeps a hostile peer
// from holding memory or the connection. Every frame in either direction is recorded. Transport-agnostic: bytes
// come in through `receive` and go out through the `write` callback.
import type { WireErrorCode } from '../../shared/errorCodes';
import type { ExchangeError, H2Frame, H2FramesOmitted, H2HeaderField } from '../../shared/exchange';
import {
  DEFAULT_WINDOW,
  ErrorCode,
  Flag,
  FrameType,
  MAX_MAX_FRAME_SIZE,
  MAX_WINDOW,
  MIN_MAX_FRAME_SIZE,
  PREFACE,
  Setting,
  errorCodeFor,
  errorName,
  flagNames,
  frameTypeName,
  h2Code,
  settingName,
  type H2ErrorName,
} from './constants';
import {
  FrameReader,
  frame,
  goawayFrame,
  headerBlockFrames,
  pingFrame,
  rstStreamFrame,
  settingsFrame,
  sliceParts,
  windowUpdateFrame,
  type FrameReaderError,
  type RawFrame,
} from './frames';
import { HpackDecoder, HpackEncoder, HpackError, type HpackField } from './hpack';

export const STREAM_ID = 1;
const EMPTY = Buffer.alloc(0);

export interface SessionOptions {
  /** Our SETTINGS_MAX_HEADER_LIST_SIZE and the limit on one header block's bytes on the wire. */
  maxHeaderBytes: number;
  /** Our SETTINGS_INITIAL_WINDOW_SIZE (the stream's receive window). */
  initialWindow?: number;
  /** What the connection's receive window is raised to at the start. */
  connectionWindow?: number;
  /** Start of the hop (performance.now()), for frame times. */
  t0: number;
}

export interface SessionEvents {
  /** Bytes for the socket; false when its buffer is full (the caller waits for 'drain'). */
  write(b: Buffer): boolean;
  /** A complete header block on the stream, decoded. */
  onHeaders(fields: HpackField[], endStream: boolean): void;
  /** DATA payload on the stream (padding removed); `endStream` on the last. */
  onData(chunk: Buffer, endStream: boolean): void;
  /** The peer's SETTINGS changed the send window or a WINDOW_UPDATE arrived: a waiting body may go on. */
  onWindow?(): void;
  /** The connection or the stream failed; the session sent what it had to (GOAWAY, RST_STREAM) and is done. */
  onError(e: ExchangeError): void;
  /** A GOAWAY with NO_ERROR that still lets the stream finish. */
  onGoaway?(lastStreamId: number): void;
}

/**
 * The frames kept in the record: each of the first ones as it is; after them, consecutive frames of one shape
 * (a download's DATA, a flood's PINGs) as runs, one entry each; up to a ceiling of entries, then only counted.
 */
const FRAMES_KEPT_ALL = 1000;
const FRAMES_KEPT_MAX = 2000;
/** Distinct lengths one run entry keeps (run-length coded) before a new entry starts. */
const RUN_LENGTHS_MAX = 64;
/** Frames that carry nothing but their payload and header: coalesced into runs past the first ones. */
const COMMON_MASK =
  (1 << FrameType.DATA) |
  (1 << FrameType.WINDOW_UPDATE) |
  (1 << FrameType.CONTINUATION) |
  (1 << FrameType.PING) |
  (1 << FrameType.SETTINGS) |
  (1 << FrameType.PRIORITY);
const isCommon = (type: number): boolean => type < 32 && ((COMMON_MASK >>> type) & 1) === 1;
/** Interim (1xx) heads on one stream before it is a flood. */
const MAX_INTERIM = 64;
/** CONTINUATION frames in one header block before it is a flood (empty ones cost nothing but time). */
const MAX_CONTINUATIONS = 512;
/** Frames that carry nothing for the exchange (PING, SETTINGS, PRIORITY, unknown types, empty DATA). */
const MAX_IDLE_FRAMES = 10_000;
const DEFAULT_INITIAL_WINDOW = 16 * 1024 * 1024;
const DEFAULT_CONNECTION_WINDOW = 16 * 1024 * 1024;

type StreamState = 'idle' | 'open' | 'half-closed-local' | 'closed';

export class H2Session {
  readonly frames: H2Frame[] = [];
  readonly omitted: H2FramesOmitted = { count: 0, bytes: 0 };
  /** Bytes written and received on the connection. */
  sentBytes = 0;
  receivedBytes = 0;
  /** The server's SETTINGS, as received (its first SETTINGS is the server preface). */
  peerSettings: Record<string, number> = {};
  sawPeerSettings = false;
  state: StreamState = 'idle';
  dead = false;
  goaway: { lastStreamId: number; code: number; debug: string } | null = null;

  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private readonly encoder: HpackEncoder;
  private readonly maxHeaderBytes: number;
  private readonly initialWindow: number;
  private readonly connectionWindow: number;
  // Flow control: what we may still send, and what the peer may still send us.
  private sendConn = DEFAULT_WINDOW;
  private sendStream = DEFAULT_WINDOW;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = MIN_MAX_FRAME_SIZE;
  private recvConn: number;
  private recvStream: number;
  private unackedConn = 0;
  private unackedStream = 0;
  // The header block being assembled.
  private block: Buffer[] = [];
  private blockLen = 0;
  private blockFrame: H2Frame | null = null;
  private blockEndStream = false;
  private continuations = 0;
  private interim = 0;
  private finalHeaders = false;
  private idleFrames = 0;
  /** performance.now() of the read being cut into frames; -1 between reads. */
  private readAt = -1;

  constructor(
    private readonly o: SessionOptions,
    private readonly ev: SessionEvents,
  ) {
    this.maxHeaderBytes = o.maxHeaderBytes;
    this.initialWindow = Math.min(MAX_WINDOW, o.initialWindow ?? DEFAULT_INITIAL_WINDOW);
    this.connectionWindow = Math.min(MAX_WINDOW, Math.max(DEFAULT_WINDOW, o.connectionWindow ?? DEFAULT_CONNECTION_WINDOW));
    this.recvConn = this.connectionWindow;
    this.recvStream = this.initialWindow;
    this.reader = new FrameReader(
      MIN_MAX_FRAME_SIZE,
      (f) => this.onFrame(f),
      (e) => this.onReaderError(e),
    );
    this.decoder = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: this.maxHeaderBytes });
    this.encoder = new HpackEncoder({ maxTableSize: 4096 });
  }

  /** The connection preface, our SETTINGS and the connection window raise: the first bytes a client sends. */
  start(): void {
    this.out(PREFACE, null);
    const settings: [number, number][] = [
      [Setting.ENABLE_PUSH, 0],
      [Setting.INITIAL_WINDOW_SIZE, this.initialWindow],
      [Setting.MAX_HEADER_LIST_SIZE, this.maxHeaderBytes],
    ];
    this.out(settingsFrame(settings), { summary: settingsSummary(settings), settings: settings.map(([id, v]) => [shortSetting(id), v]) });
    const raise = this.connectionWindow - DEFAULT_WINDOW;
    if (raise > 0) this.out(windowUpdateFrame(0, raise), { summary: `window_size_increment=${raise}`, windowIncrement: raise });
  }

  /** Sends the request's header block; END_STREAM when no body follows. */
  sendHeaders(fields: { name: string; value: string; sensitive?: boolean }[], endStream: boolean): void {
    const { block, fields: coded } = this.encoder.encode(fields);
    const frames = headerBlockFrames(STREAM_ID, block, this.peerMaxFrame, endStream);
    this.state = endStream ? 'half-closed-local' : 'open';
    frames.forEach((f, i) => {
      const extra: Partial<H2Frame> =
        i === 0
          ? { summary: headersSummary(coded), fields: coded.map(toRecordField), blockLength: block.length }
          : { summary: `${f.length - 9} bytes of header block` };
      this.out(f, extra);
    });
  }

  /** How many body bytes may go out now (both windows and the frame size). */
  sendable(): number {
    if (this.dead || this.state !== 'open') return 0;
    return Math.max(0, Math.min(this.sendConn, this.sendStream, this.peerMaxFrame));
  }

  /** One DATA frame of at most `sendable()` bytes. Returns the socket's write result. */
  sendData(chunk: Buffer, endStream: boolean): boolean {
    this.sendConn -= chunk.length;
    this.sendStream -= chunk.length;
    if (endStream) this.state = 'half-closed-local';
    return this.out(frame(FrameType.DATA, endStream ? Flag.END_STREAM : 0, STREAM_ID, chunk), {
      summary: `${chunk.length} bytes${endStream ? ', end of request' : ''}`,
    });
  }

  /** The application read `n` body bytes: hand the windows back once half of them is used. */
  consumed(n: number): void {
    if (this.dead) return;
    this.unackedConn += n;
    this.unackedStream += n;
    if (this.unackedConn >= this.connectionWindow / 2) {
      const inc = this.unackedConn;
      this.unackedConn = 0;
      this.recvConn += inc;
      this.out(windowUpdateFrame(0, inc), { summary: `window_size_increment=${inc}`, windowIncrement: inc });
    }
    if (this.state !== 'closed' && this.unackedStream >= this.initialWindow / 2) {
      const inc = this.unackedStream;
      this.unackedStream = 0;
      this.recvStream += inc;
      this.out(windowUpdateFrame(STREAM_ID, inc), { summary: `window_size_increment=${inc}`, windowIncrement: inc });
    }
  }

  /** One read from the socket; `now` (performance.now()) is when it arrived, the time of the frames it ends. */
  receive(chunk: Buffer, now = performance.now()): void {
    if (this.dead) return;
    this.receivedBytes += chunk.length;
    this.readAt = now;
    try {
      this.reader.push(chunk);
    } finally {
      this.readAt = -1;
    }
  }

  /** Time offset of a frame: while a read is cut into frames its arrival (one clock read per read); else now. */
  private clock(): number {
    return (this.readAt >= 0 ? this.readAt : performance.now()) - this.o.t0;
  }

  /** The polite end: GOAWAY NO_ERROR (the last stream the server started: none). */
  close(): void {
    if (this.dead) return;
    this.dead = true;
    this.reader.stop();
    this.out(goawayFrame(0, ErrorCode.NO_ERROR, ''), {
      summary: 'last_stream_id=0, NO_ERROR',
      errorCode: 'NO_ERROR',
      lastStreamId: 0,
      debugData: '',
    });
  }

  /** Cancels the stream (user cancel, timeout, body limit): RST_STREAM CANCEL, then GOAWAY. */
  cancel(): void {
    if (this.dead) return;
    if (this.state === 'open' || this.state === 'half-closed-local') {
      this.state = 'closed';
      this.out(rstStreamFrame(STREAM_ID, ErrorCode.CANCEL), { summary: 'CANCEL', errorCode: 'CANCEL' });
    }
    this.close();
  }

  /** The response on the stream is malformed (RFC 9113 §8.1.1): RST_STREAM with the code, then the error. */
  resetStream(name: H2ErrorName, message: string): void {
    this.streamError(name, message);
  }

  // ---- incoming ----

  private onReaderError(e: FrameReaderError): void {
    if (e.kind === 'http1') this.fail('WL_H2_HTTP1_RESPONSE', 'PROTOCOL_ERROR', e.message, false);
    else this.connectionError('FRAME_SIZE_ERROR', e.message);
  }

  private onFrame(f: RawFrame): void {
    if (this.dead) return;
    const rec = this.record('received', f.type, f.flags, f.stream, f.length, f.offset);
    // The server's connection preface is a SETTINGS frame (RFC 9113 §3.4).
    if (!this.sawPeerSettings && (f.type !== FrameType.SETTINGS || (f.flags & Flag.ACK) !== 0)) {
      this.connectionError(
        'PROTOCOL_ERROR',
        `Bad server preface: the first frame was ${frameTypeName(f.type)}${f.type === FrameType.SETTINGS ? ' with ACK' : ''}, not SETTINGS`,
      );
      return;
    }
    if (this.blockFrame && f.type !== FrameType.CONTINUATION) {
      this.connectionError('PROTOCOL_ERROR', `${frameTypeName(f.type)} frame in the middle of a header block (CONTINUATION expected)`);
      return;
    }
    switch (f.type) {
      case FrameType.DATA:
        return this.onDataFrame(f, rec);
      case FrameType.HEADERS:
        return this.onHeadersFrame(f, rec);
      case FrameType.CONTINUATION:
        return this.onContinuation(f, rec);
      case FrameType.PRIORITY:
        if (f.stream === 0) return this.connectionError('PROTOCOL_ERROR', 'PRIORITY frame on stream 0');
        if (f.length !== 5) return this.connectionError('FRAME_SIZE_ERROR', `PRIORITY frame of ${f.length} bytes (5 expected)`);
        if (rec) rec.summary = priorityText(f.payload, 0);
        return this.idle();
      case FrameType.RST_STREAM:
        return this.onRst(f, rec);
      case FrameType.SETTINGS:
        return this.onSettings(f, rec);
      case FrameType.PUSH_PROMISE:
        return this.connectionError('PROTOCOL_ERROR', 'PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0');
      case FrameType.PING:
        if (f.stream !== 0) return this.connectionError('PROTOCOL_ERROR', 'PING frame on a stream');
        if (f.length !== 8) return this.connectionError('FRAME_SIZE_ERROR', `PING frame of ${f.length} bytes (8 expected)`);
        if (rec) rec.summary = `opaque_data=${f.payload.toString('hex')}`;
        if ((f.flags & Flag.ACK) === 0) this.out(pingFrame(Buffer.from(f.payload), true), { summary: `opaque_data=${f.payload.toString('hex')}` });
        return this.idle();
      case FrameType.GOAWAY:
        return this.onGoaway(f, rec);
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(f, rec);
      default:
        // Unknown frame types are ignored (RFC 9113 §4.1), but counted against floods.
        if (rec) rec.summary = `${f.length} bytes, ignored`;
        return this.idle();
    }
  }

  private idle(): void {
    if (++this.idleFrames > MAX_IDLE_FRAMES)
      this.connectionError(
        'ENHANCE_YOUR_CALM',
        `More than ${MAX_IDLE_FRAMES} frames that carry nothing for the exchange (PING, SETTINGS, PRIORITY, empty DATA, unknown types): a flood`,
      );
  }

  private onSettings(f: RawFrame, rec: H2Frame | null): void {
    if (f.stream !== 0) return this.connectionError('PROTOCOL_ERROR', `SETTINGS frame on stream ${f.stream}`);
    if (f.flags & Flag.ACK) {
      if (f.length !== 0) return this.connectionError('FRAME_SIZE_ERROR', 'SETTINGS ACK with a payload');
      if (rec) rec.summary = 'ACK';
      return this.idle();
    }
    if (f.length % 6 !== 0) return this.connectionError('FRAME_SIZE_ERROR', `SETTINGS frame of ${f.length} bytes (a multiple of 6 expected)`);
    const list: [number, number][] = [];
    for (let i = 0; i < f.length; i += 6) list.push([f.payload.readUInt16BE(i), f.payload.readUInt32BE(i + 2)]);
    if (rec) {
      rec.summary = settingsSummary(list);
      rec.settings = list.map(([id, v]) => [shortSetting(id), v]);
    }
    for (const [id, v] of list) {
      switch (id) {
        case Setting.HEADER_TABLE_SIZE:
          // The encoder may use less than the peer allows; more than the default buys little.
          this.encoder.setMaxTableSize(Math.min(v, 4096));
          break;
        case Setting.ENABLE_PUSH:
          if (v > 1) return this.connectionError('PROTOCOL_ERROR', `SETTINGS_ENABLE_PUSH ${v} (0 or 1 allowed)`);
          if (v === 1) return this.connectionError('PROTOCOL_ERROR', 'A server sent SETTINGS_ENABLE_PUSH 1 (RFC 9113 §6.5.2)');
          break;
        case Setting.INITIAL_WINDOW_SIZE: {
          if (v > MAX_WINDOW) return this.connectionError('FLOW_CONTROL_ERROR', `SETTINGS_INITIAL_WINDOW_SIZE ${v} above 2^31-1`);
          const delta = v - this.peerInitialWindow;
          this.peerInitialWindow = v;
          this.sendStream += delta;
          if (this.sendStream > MAX_WINDOW)
            return this.connectionError('FLOW_CONTROL_ERROR', 'SETTINGS_INITIAL_WINDOW_SIZE made the stream window exceed 2^31-1');
          break;
        }
        case Setting.MAX_FRAME_SIZE:
          if (v < MIN_MAX_FRAME_SIZE || v > MAX_MAX_FRAME_SIZE)
            return this.connectionError('PROTOCOL_ERROR', `SETTINGS_MAX_FRAME_SIZE ${v} outside 16384…16777215`);
          this.peerMaxFrame = v;
          break;
        default:
          break;
      }
      this.peerSettings[shortSetting(id)] = v;
    }
    this.out(settingsFrame([], true), { summary: 'ACK' });
    if (this.sawPeerSettings) this.idle();
    this.sawPeerSettings = true;
    this.ev.onWindow?.();
  }

  private onWindowUpdate(f: RawFrame, rec: H2Frame | null): void {
    if (f.length !== 4) return this.connectionError('FRAME_SIZE_ERROR', `WINDOW_UPDATE frame of ${f.length} bytes (4 expected)`);
    const inc = f.payload.readUInt32BE(0) & 0x7fffffff;
    if (rec) {
      rec.summary = `window_size_increment=${inc}`;
      rec.windowIncrement = inc;
    } else this.addRunIncrement(inc);
    if (f.stream === 0) {
      if (inc === 0) return this.connectionError('PROTOCOL_ERROR', 'WINDOW_UPDATE with an increment of 0 on the connection');
      this.sendConn += inc;
      if (this.sendConn > MAX_WINDOW) return this.connectionError('FLOW_CONTROL_ERROR', 'WINDOW_UPDATE made the connection window exceed 2^31-1');
    } else if (f.stream === STREAM_ID) {
      if (this.state === 'closed') return;
      if (inc === 0) return this.streamError('PROTOCOL_ERROR', 'WINDOW_UPDATE with an increment of 0 on the stream');
      this.sendStream += inc;
      if (this.sendStream > MAX_WINDOW) return this.streamError('FLOW_CONTROL_ERROR', 'WINDOW_UPDATE made the stream window exceed 2^31-1');
    }
    this.ev.onWindow?.();
  }

  private onRst(f: RawFrame, rec: H2Frame | null): void {
    if (f.stream === 0) return this.connectionError('PROTOCOL_ERROR', 'RST_STREAM on stream 0');
    if (f.length !== 4) return this.connectionError('FRAME_SIZE_ERROR', `RST_STREAM frame of ${f.length} bytes (4 expected)`);
    const code = f.payload.readUInt32BE(0);
    if (rec) {
      rec.summary = errorName(code);
      rec.errorCode = errorName(code);
    }
    if (f.stream !== STREAM_ID) {
      if (f.stream > STREAM_ID) return this.connectionError('PROTOCOL_ERROR', `RST_STREAM on idle stream ${f.stream}`);
      return;
    }
    if (this.state === 'closed') return;
    this.state = 'closed';
    const what = code === ErrorCode.REFUSED_STREAM ? ' (the request was not processed: safe to retry)' : '';
    this.fail(
      code === ErrorCode.NO_ERROR ? 'H2_STREAM_RESET' : errorCodeFor(code),
      'NO_ERROR',
      `The server reset the stream: RST_STREAM ${errorName(code)} (0x${code.toString(16)})${what}`,
      false,
      true,
    );
  }

  private onGoaway(f: RawFrame, rec: H2Frame | null): void {
    if (f.stream !== 0) return this.connectionError('PROTOCOL_ERROR', 'GOAWAY on a stream');
    if (f.length < 8) return this.connectionError('FRAME_SIZE_ERROR', `GOAWAY frame of ${f.length} bytes (8 at least)`);
    const last = f.payload.readUInt32BE(0) & 0x7fffffff;
    const code = f.payload.readUInt32BE(4);
    const debug = f.payload.subarray(8, 8 + 1024).toString('utf8');
    this.goaway = { lastStreamId: last, code, debug };
    if (rec) {
      rec.summary = `last_stream_id=${last}, ${errorName(code)}${debug ? `, "${debug.slice(0, 120)}"` : ''}`;
      rec.errorCode = errorName(code);
      rec.lastStreamId = last;
      rec.debugData = debug;
    }
    const said = `GOAWAY ${errorName(code)} (0x${code.toString(16)}), last stream ${last}${debug ? `, debug data ${JSON.stringify(debug.slice(0, 200))}` : ''}`;
    if (this.state === 'closed') return;
    if (last < STREAM_ID) {
      this.fail(
        code === ErrorCode.NO_ERROR ? 'H2_REFUSED_STREAM' : errorCodeFor(code),
        'NO_ERROR',
        `The server closed the connection before processing the request: ${said} (safe to retry)`,
        false,
      );
      return;
    }
    if (code !== ErrorCode.NO_ERROR) {
      this.fail(errorCodeFor(code), 'NO_ERROR', `The server ended the connection in the middle of the stream: ${said}`, false);
      return;
    }
    this.ev.onGoaway?.(last);
  }

  private onHeadersFrame(f: RawFrame, rec: H2Frame | null): void {
    if (f.stream === 0) return this.connectionError('PROTOCOL_ERROR', 'HEADERS frame on stream 0');
    if (f.stream !== STREAM_ID) {
      return this.connectionError(
        'PROTOCOL_ERROR',
        `HEADERS on stream ${f.stream}, which the client never opened${f.stream % 2 === 0 ? ' (server-initiated streams need PUSH_PROMISE, and push is disabled)' : ''}`,
      );
    }
    if (this.state === 'closed' || this.state === 'idle') return this.connectionError('STREAM_CLOSED', 'HEADERS on a closed stream');
    let p = f.payload;
    let pad = 0;
    if (f.flags & Flag.PADDED) {
      if (p.length < 1) return this.connectionError('FRAME_SIZE_ERROR', 'PADDED HEADERS frame without a pad length');
      pad = p[0];
      p = p.subarray(1);
      if (pad > p.length) return this.connectionError('PROTOCOL_ERROR', `Padding of ${pad} bytes longer than the HEADERS payload`);
    }
    let prio = '';
    if (f.flags & Flag.PRIORITY) {
      if (p.length - pad < 5) return this.connectionError('FRAME_SIZE_ERROR', 'HEADERS with PRIORITY too short for its priority fields');
      prio = priorityText(p, 0);
      p = p.subarray(5);
    }
    const fragment = p.subarray(0, p.length - pad);
    if (rec) {
      if (pad) rec.padding = pad;
      rec.summary = prio;
    }
    // A detached marker when the frame itself was not recorded (the record is full): never another frame's entry.
    this.blockFrame = rec ?? {
      direction: 'received',
      type: 'HEADERS',
      typeCode: 1,
      stream: f.stream,
      flags: f.flags,
      flagNames: [],
      length: f.length,
      time: 0,
      offset: f.offset,
      summary: '',
    };
    this.blockEndStream = (f.flags & Flag.END_STREAM) !== 0;
    this.block = [];
    this.blockLen = 0;
    this.continuations = 0;
    this.addFragment(fragment, (f.flags & Flag.END_HEADERS) !== 0);
  }

  private onContinuation(f: RawFrame, rec: H2Frame | null): void {
    if (!this.blockFrame) return this.connectionError('PROTOCOL_ERROR', 'CONTINUATION without a HEADERS frame before it');
    if (f.stream !== STREAM_ID)
      return this.connectionError('PROTOCOL_ERROR', `CONTINUATION on stream ${f.stream} while a header block of stream ${STREAM_ID} is open`);
    if (++this.continuations > MAX_CONTINUATIONS) {
      return this.connectionError('ENHANCE_YOUR_CALM', `CONTINUATION flood: more than ${MAX_CONTINUATIONS} CONTINUATION frames in one header block`);
    }
    if (rec) rec.summary = `${f.length} bytes of header block`;
    this.addFragment(f.payload, (f.flags & Flag.END_HEADERS) !== 0);
  }

  private addFragment(fragment: Buffer, end: boolean): void {
    if (this.blockLen + fragment.length > this.maxHeaderBytes) {
      this.connectionError(
        'ENHANCE_YOUR_CALM',
        `Header block larger than the limit of ${this.maxHeaderBytes} bytes (CONTINUATION flood or oversized headers)`,
      );
      return;
    }
    if (fragment.length > 0) this.block.push(Buffer.from(fragment));
    this.blockLen += fragment.length;
    if (!end) return;
    const holder = this.blockFrame as H2Frame;
    this.blockFrame = null;
    const block = Buffer.concat(this.block, this.blockLen);
    this.block = [];
    let fields: HpackField[];
    try {
      fields = this.decoder.decode(block);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      holder.blockLength = block.length;
      this.connectionError('COMPRESSION_ERROR', `HPACK: ${msg}`, e instanceof HpackError ? undefined : 'H2_COMPRESSION_ERROR');
      return;
    }
    holder.fields = fields.map(toRecordField);
    holder.blockLength = block.length;
    const head = headersSummary(fields);
    holder.summary = holder.summary ? `${head}; ${holder.summary}` : head;
    const status = fields.find((x) => x.name === ':status')?.value;
    const isInterim = status !== undefined && /^1\d\d$/.test(status) && status !== '101';
    if (isInterim) {
      if (this.blockEndStream) return this.streamError('PROTOCOL_ERROR', `Interim response ${status} with END_STREAM`);
      if (++this.interim > MAX_INTERIM)
        return this.connectionError('ENHANCE_YOUR_CALM', `HEADERS flood: more than ${MAX_INTERIM} interim (1xx) responses`);
    } else if (this.finalHeaders) {
      // After the final head only a trailer section may follow, and it ends the stream (RFC 9113 §8.1).
      if (!this.blockEndStream)
        return this.streamError('PROTOCOL_ERROR', 'A second HEADERS frame without END_STREAM after the response head (HEADERS flood?)');
    } else this.finalHeaders = true;
    const endStream = this.blockEndStream;
    if (endStream) this.state = 'closed';
    this.ev.onHeaders(fields, endStream);
  }

  private onDataFrame(f: RawFrame, rec: H2Frame | null): void {
    if (f.stream === 0) return this.connectionError('PROTOCOL_ERROR', 'DATA frame on stream 0');
    // Flow control counts the whole payload, padding included, whatever happens to the frame (RFC 9113 §6.9).
    this.recvConn -= f.length;
    if (this.recvConn < 0)
      return this.connectionError('FLOW_CONTROL_ERROR', `DATA beyond the connection window: ${-this.recvConn} bytes more than allowed`);
    if (f.stream !== STREAM_ID) {
      return this.connectionError(
        f.stream > STREAM_ID ? 'PROTOCOL_ERROR' : 'STREAM_CLOSED',
        `DATA on stream ${f.stream}, which the client never opened`,
      );
    }
    if (this.state === 'closed') return this.connectionError('STREAM_CLOSED', 'DATA after the end of the stream');
    if (!this.finalHeaders) return this.connectionError('PROTOCOL_ERROR', 'DATA before the response HEADERS');
    this.recvStream -= f.length;
    if (this.recvStream < 0)
      return this.streamError('FLOW_CONTROL_ERROR', `DATA beyond the stream window: ${-this.recvStream} bytes more than allowed`);
    let parts = f.parts;
    let pad = 0;
    if (f.flags & Flag.PADDED) {
      if (f.length < 1) return this.connectionError('FRAME_SIZE_ERROR', 'PADDED DATA frame without a pad length');
      pad = parts[0][0];
      if (pad >= f.length) return this.connectionError('PROTOCOL_ERROR', `Padding of ${pad} bytes longer than the DATA payload`);
      parts = sliceParts(parts, 1, f.length - pad);
    }
    const size = pad ? f.length - pad - 1 : f.length;
    const end = (f.flags & Flag.END_STREAM) !== 0;
    if (rec) {
      rec.summary = `${size} bytes${pad ? `, ${pad} padding` : ''}${end ? ', end of response' : ''}`;
      if (pad) rec.padding = pad;
    }
    // The padding is handed back at once; the data when the application has it.
    if (f.length > size) this.consumedPadding(f.length - size);
    if (size === 0 && !end) this.idle();
    if (end) this.state = 'closed';
    const last = parts.length - 1;
    if (last < 0) this.ev.onData(EMPTY, end);
    else for (let i = 0; i <= last && !this.dead; i++) this.ev.onData(parts[i], end && i === last);
  }

  private consumedPadding(n: number): void {
    this.consumed(n);
  }

  // ---- errors ----

  /** A connection error (RFC 9113 §5.4.1): GOAWAY with the code, then the session is dead. */
  private connectionError(name: H2ErrorName, message: string, code?: WireErrorCode): void {
    this.fail(code ?? h2Code(name), name, message, true);
  }

  /** A stream error (§5.4.2): RST_STREAM on our only stream, which ends the exchange too. */
  private streamError(name: H2ErrorName, message: string): void {
    if (!this.dead && this.state !== 'closed') {
      this.state = 'closed';
      this.out(rstStreamFrame(STREAM_ID, ErrorCode[name]), { summary: name, errorCode: name });
    }
    this.fail(h2Code(name), name, message, false);
  }

  private fail(code: WireErrorCode, sendCode: H2ErrorName, message: string, goaway: boolean, reset = false): void {
    if (this.dead) return;
    if (goaway) {
      const c = ErrorCode[sendCode];
      this.out(goawayFrame(0, c, message), {
        summary: `last_stream_id=0, ${sendCode}, "${message.slice(0, 120)}"`,
        errorCode: sendCode,
        lastStreamId: 0,
        debugData: message.slice(0, 256),
      });
    } else if (!reset && sendCode === 'NO_ERROR') {
      this.out(goawayFrame(0, ErrorCode.NO_ERROR, ''), {
        summary: 'last_stream_id=0, NO_ERROR',
        errorCode: 'NO_ERROR',
        lastStreamId: 0,
        debugData: '',
      });
    }
    this.dead = true;
    this.reader.stop();
    this.state = 'closed';
    this.ev.onError({ code, message, phase: this.finalHeaders ? 'body' : 'headers' });
  }

  // ---- the record ----

  private out(b: Buffer, extra: Partial<H2Frame> | null): boolean {
    const offset = this.sentBytes;
    this.sentBytes += b.length;
    if (extra) {
      const rec = this.record('sent', b[3], b[4], b.readUInt32BE(5) & 0x7fffffff, b.readUIntBE(0, 3), offset);
      if (rec) Object.assign(rec, extra);
      else if (extra.windowIncrement !== undefined) this.addRunIncrement(extra.windowIncrement);
    }
    return this.ev.write(b);
  }

  /** The run the last frame joined, if it joined one (its WINDOW_UPDATE increment is added up there). */
  private joined: H2Frame | null = null;

  private addRunIncrement(inc: number): void {
    const run = this.joined?.run;
    if (run) run.windowIncrement = (run.windowIncrement ?? 0) + inc;
  }

  /**
   * The record entry for a new frame, or null when the frame has none of its own: it joined the run of the
   * entry before it (`joined`), or the record is full (`omitted` counts it).
   */
  private record(direction: H2Frame['direction'], type: number, flags: number, stream: number, length: number, offset: number): H2Frame | null {
    this.joined = null;
    const n = this.frames.length;
    if (n >= FRAMES_KEPT_ALL && isCommon(type)) {
      const last = this.frames[n - 1];
      if (last.direction === direction && last.typeCode === type && last.flags === flags && last.stream === stream && !last.fields) {
        const run = (last.run ??= {
          count: 1,
          bytes: last.length,
          lengths: [[last.length, 1]],
          lastTime: last.time,
          ...(last.windowIncrement !== undefined ? { windowIncrement: last.windowIncrement } : {}),
        });
        const tail = run.lengths[run.lengths.length - 1];
        if (tail[0] === length || run.lengths.length < RUN_LENGTHS_MAX) {
          if (tail[0] === length) tail[1]++;
          else run.lengths.push([length, 1]);
          run.count++;
          run.bytes += length;
          run.lastTime = this.clock();
          this.joined = last;
          return null;
        }
      }
    }
    if (n >= FRAMES_KEPT_MAX) {
      this.omitted.count++;
      this.omitted.bytes += length + 9;
      return null;
    }
    const rec: H2Frame = {
      direction,
      type: frameTypeName(type),
      typeCode: type,
      stream,
      flags,
      flagNames: flagNames(type, flags),
      length,
      time: this.clock(),
      offset,
      summary: '',
    };
    this.frames.push(rec);
    return rec;
  }
}

function shortSetting(id: number): string {
  return settingName(id).replace(/^SETTINGS_/, '');
}

function settingsSummary(list: [number, number][]): string {
  return list.length === 0 ? 'no settings' : list.map(([id, v]) => `${shortSetting(id)}=${v}`).join(', ');
}

function priorityText(p: Buffer, at: number): string {
  const dep = p.readUInt32BE(at);
  return `priority: depends on ${dep & 0x7fffffff}${dep & 0x80000000 ? ' (exclusive)' : ''}, weight ${p[at + 4] + 1}`;
}

function headersSummary(fields: readonly HpackField[]): string {
  const real = fields.filter((f) => f.representation !== 'size-update');
  const first = real.find((f) => f.name.startsWith(':'));
  const lead = first ? `${first.name}: ${first.value.slice(0, 80)}` : '';
  return `${lead}${lead ? ', ' : ''}${real.length} field${real.length === 1 ? '' : 's'}`;
}

export function toRecordField(f: HpackField): H2HeaderField {
  const r: H2HeaderField = {
    name: f.name,
    value: f.value,
    representation: f.representation,
    index: f.index ?? null,
    table: f.table ?? null,
    huffmanName: f.huffmanName === true,
    huffmanValue: f.huffmanValue === true,
    encodedLength: f.encodedLength,
    size: f.size,
  };
  if (f.newTableSize !== undefined) r.newTableSize = f.newTableSize;
  return r;
}
