// HTTP/2 framing (RFC 9113 §4): an incremental reader that cuts the received byte stream into frames, whatever
// the read sizes, refusing a frame longer than our SETTINGS_MAX_FRAME_SIZE before buffering its payload; and the
// writers for the frames a client sends.
import { FRAME_HEADER_LENGTH, FrameType, Flag } from './constants';

export interface RawFrame {
  type: number;
  flags: number;
  stream: number;
  /** Payload length as announced (the 24-bit length field). */
  length: number;
  /** The payload of every frame but DATA (empty for DATA: see `parts`). */
  payload: Buffer;
  /**
   * DATA only: the payload as views of the reads it arrived in, in order (none when empty). A DATA payload that
   * spans TLS reads is never copied: the body goes on to its sink as the views.
   */
  parts: Buffer[];
  /** Offset of the frame header within the bytes received on the connection (after the TLS layer). */
  offset: number;
}

export interface FrameReaderError {
  kind: 'frame-size' | 'http1';
  message: string;
  offset: number;
}

const EMPTY = Buffer.alloc(0);
const NO_PARTS: Buffer[] = [];

interface Pending {
  length: number;
  type: number;
  flags: number;
  stream: number;
  offset: number;
}

export class FrameReader {
  private readonly head = Buffer.alloc(FRAME_HEADER_LENGTH);
  private headLen = 0;
  private cur: Pending | null = null;
  /** A non-DATA payload being assembled across reads (copied: these are small). */
  private payload: Buffer | null = null;
  /** A DATA payload being assembled across reads: views, not copies. */
  private parts: Buffer[] | null = null;
  private payloadLen = 0;
  /** Bytes consumed so far. */
  offset = 0;
  stopped = false;

  constructor(
    public maxFrameSize: number,
    private readonly onFrame: (f: RawFrame) => void,
    private readonly onError: (e: FrameReaderError) => void,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  /** Takes one read. The reader keeps views of `chunk` (reads are fresh buffers, never reused by the socket). */
  push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len && !this.stopped) {
      if (!this.cur) {
        // Whole headers straight from the chunk when they fit; otherwise assembled across reads.
        let h: Buffer;
        if (this.headLen === 0 && len - pos >= FRAME_HEADER_LENGTH) {
          h = chunk;
          pos += FRAME_HEADER_LENGTH;
        } else {
          const n = Math.min(FRAME_HEADER_LENGTH - this.headLen, len - pos);
          chunk.copy(this.head, this.headLen, pos, pos + n);
          this.headLen += n;
          pos += n;
          if (this.headLen < FRAME_HEADER_LENGTH) break;
          h = this.head;
        }
        const at = h === chunk ? pos - FRAME_HEADER_LENGTH : 0;
        this.headLen = 0;
        const start = this.offset + pos - FRAME_HEADER_LENGTH;
        if (start === 0 && h.toString('latin1', at, at + 5) === 'HTTP/') {
          this.stopped = true;
          this.onError({
            kind: 'http1',
            message: 'The server answered in HTTP/1.x, not HTTP/2 (it does not speak h2c with prior knowledge on this port)',
            offset: 0,
          });
          return;
        }
        const length = (h[at] << 16) | (h[at + 1] << 8) | h[at + 2];
        const type = h[at + 3];
        // The stream id by hand (the reserved bit cleared): readUInt32BE's bounds checks showed per frame.
        const stream = ((h[at + 5] & 0x7f) << 24) | (h[at + 6] << 16) | (h[at + 7] << 8) | h[at + 8];
        const frame: Pending = { length, type, flags: h[at + 4], stream, offset: start };
        if (length > this.maxFrameSize) {
          this.stopped = true;
          this.onError({
            kind: 'frame-size',
            message: `${length}-byte frame larger than SETTINGS_MAX_FRAME_SIZE ${this.maxFrameSize}`,
            offset: start,
          });
          return;
        }
        this.cur = frame;
        if (length === 0) {
          this.emit(EMPTY, NO_PARTS);
          continue;
        }
        // The payload is a view of the read when it is all there.
        if (len - pos >= length) {
          const p = chunk.subarray(pos, pos + length);
          pos += length;
          if (type === FrameType.DATA) this.emit(EMPTY, [p]);
          else this.emit(p, NO_PARTS);
          continue;
        }
        this.payloadLen = 0;
        if (type === FrameType.DATA) this.parts = [];
        else this.payload = Buffer.allocUnsafe(length);
      }
      const c = this.cur;
      const n = Math.min(c.length - this.payloadLen, len - pos);
      if (n === 0) break;
      if (this.parts) this.parts.push(chunk.subarray(pos, pos + n));
      else chunk.copy(this.payload as Buffer, this.payloadLen, pos, pos + n);
      this.payloadLen += n;
      pos += n;
      if (this.payloadLen === c.length) {
        const p = this.payload;
        const parts = this.parts;
        this.payload = null;
        this.parts = null;
        this.emit(p ?? EMPTY, parts ?? NO_PARTS);
      }
    }
    this.offset += len;
  }

  /** True when the reader is between frames (nothing of a frame pending). */
  get idle(): boolean {
    return this.cur === null && this.headLen === 0;
  }

  private emit(payload: Buffer, parts: Buffer[]): void {
    const c = this.cur as Pending;
    this.cur = null;
    this.onFrame({ type: c.type, flags: c.flags, stream: c.stream, length: c.length, payload, parts, offset: c.offset });
  }
}

/** Bytes `from`…`to` of a payload held as parts, as views (no copy). */
export function sliceParts(parts: readonly Buffer[], from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const s = Math.max(from, at);
    const e = Math.min(to, at + p.length);
    if (e > s) out.push(s === at && e === at + p.length ? p : p.subarray(s - at, e - at));
    at += p.length;
    if (at >= to) break;
  }
  return out;
}

export function frameHeader(length: number, type: number, flags: number, stream: number): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER_LENGTH);
  h.writeUIntBE(length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream & 0x7fffffff, 5);
  return h;
}

export function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader(payload.length, type, flags, stream), payload]);
}

export function settingsFrame(settings: [id: number, value: number][], ack = false): Buffer {
  const p = Buffer.allocUnsafe(settings.length * 6);
  settings.forEach(([id, v], i) => {
    p.writeUInt16BE(id, i * 6);
    p.writeUInt32BE(v, i * 6 + 2);
  });
  return frame(FrameType.SETTINGS, ack ? Flag.ACK : 0, 0, p);
}

export function windowUpdateFrame(stream: number, increment: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(increment & 0x7fffffff, 0);
  return frame(FrameType.WINDOW_UPDATE, 0, stream, p);
}

export function pingFrame(data: Buffer, ack: boolean): Buffer {
  return frame(FrameType.PING, ack ? Flag.ACK : 0, 0, data);
}

export function rstStreamFrame(stream: number, code: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(code, 0);
  return frame(FrameType.RST_STREAM, 0, stream, p);
}

export function goawayFrame(lastStream: number, code: number, debug: string): Buffer {
  const d = Buffer.from(debug, 'utf8').subarray(0, 256);
  const p = Buffer.allocUnsafe(8 + d.length);
  p.writeUInt32BE(lastStream & 0x7fffffff, 0);
  p.writeUInt32BE(code, 4);
  d.copy(p, 8);
  return frame(FrameType.GOAWAY, 0, 0, p);
}

/**
 * A header block as HEADERS plus as many CONTINUATION frames as the peer's frame size needs; END_STREAM on the
 * HEADERS frame when nothing follows.
 */
export function headerBlockFrames(stream: number, block: Buffer, maxFrameSize: number, endStream: boolean): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  do {
    const part = block.subarray(off, off + maxFrameSize);
    const first = off === 0;
    off += part.length;
    const last = off >= block.length;
    const flags = (last ? Flag.END_HEADERS : 0) | (first && endStream ? Flag.END_STREAM : 0);
    out.push(frame(first ? FrameType.HEADERS : FrameType.CONTINUATION, flags, stream, part));
  } while (off < block.length);
  return out;
}
