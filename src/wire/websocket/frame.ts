// RFC 6455 Section 5 framing: an encoder and an incremental decoder. The decoder checks what a frame alone can
// show (mask bit against the side, reserved opcodes, control frame size and FIN, the 64-bit length's top bit,
// the frame limit); what needs the conversation (continuations, RSV bits against extensions, UTF-8) is the
// session's. A violation is a FrameError with a WL_WS_* code; bytes before it were delivered.
import { WS } from '../socketErrors';
import type { WireErrorCode } from '../../shared/errorCodes';

export const OP = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

export const OPCODE_NAMES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

export interface Frame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskKey: Buffer | null;
  /** Unmasked payload. */
  payload: Buffer;
  headerSize: number;
}

export class FrameError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface EncodeOptions {
  fin?: boolean;
  rsv1?: boolean;
  opcode: number;
  payload: Uint8Array;
  /** Four bytes: the client's masking key (RFC 6455 Section 5.3); null for a server frame. */
  mask: Uint8Array | null;
}

export function encodeFrame(o: EncodeOptions): Buffer {
  const len = o.payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (o.mask ? 4 : 0));
  head[0] = ((o.fin ?? true) ? 0x80 : 0) | (o.rsv1 ? 0x40 : 0) | (o.opcode & 0x0f);
  head[1] = (o.mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  const payload = Buffer.from(o.payload.buffer, o.payload.byteOffset, len);
  if (!o.mask) return Buffer.concat([head, payload]);
  Buffer.from(o.mask.buffer, o.mask.byteOffset, 4).copy(head, 2 + ext);
  const masked = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) masked[i] = payload[i] ^ o.mask[i & 3];
  return Buffer.concat([head, masked]);
}

export function unmask(data: Buffer, key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ^ key[i & 3];
  return out;
}

export interface DecoderOptions {
  /** A server decodes client frames: they must be masked. A client decodes server frames: they must not be. */
  side: 'client' | 'server';
  maxFrameBytes: number;
}

/** Feed it bytes in pieces of any size; it returns the frames completed. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  private failed = false;

  constructor(private readonly opts: DecoderOptions) {}

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.length;
  }

  /** The frames this piece completed, and the violation that stopped decoding (frames before it are kept). */
  push(chunk: Buffer): { frames: Frame[]; error: FrameError | null } {
    const frames: Frame[] = [];
    if (this.failed) return { frames, error: null };
    if (chunk.length) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    try {
      for (;;) {
        const f = this.next();
        if (!f) return { frames, error: null };
        frames.push(f);
      }
    } catch (e) {
      if (e instanceof FrameError) return { frames, error: e };
      throw e;
    }
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number): Buffer {
    const b = Buffer.from(this.peek(n));
    let left = n;
    while (left > 0) {
      const c = this.chunks[0];
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    return b;
  }

  private fail(code: WireErrorCode, message: string): never {
    this.failed = true;
    throw new FrameError(code, message);
  }

  private next(): Frame | null {
    if (this.length < 2) return null;
    const h = this.peek(2);
    const fin = (h[0] & 0x80) !== 0;
    const opcode = h[0] & 0x0f;
    const masked = (h[1] & 0x80) !== 0;
    const len7 = h[1] & 0x7f;
    if (OPCODE_NAMES[opcode] === undefined)
      this.fail(WS.UNKNOWN_OPCODE, `Frame with reserved opcode 0x${opcode.toString(16)} (RFC 6455, Section 5.2)`);
    if (isControl(opcode)) {
      if (!fin)
        this.fail(WS.CONTROL_FRAGMENTED, `Fragmented ${OPCODE_NAMES[opcode]} frame: control frames must have FIN set (RFC 6455, Section 5.5)`);
      if (len7 > 125)
        this.fail(
          WS.CONTROL_TOO_LARGE,
          `${OPCODE_NAMES[opcode]} frame with a ${len7 === 126 ? '16' : '64'}-bit length: control frames carry at most 125 bytes (RFC 6455, Section 5.5)`,
        );
    }
    if (this.opts.side === 'client' && masked)
      this.fail(WS.MASKED_FRAME, `Masked ${OPCODE_NAMES[opcode]} frame from the server: a server must not mask (RFC 6455, Section 5.1)`);
    if (this.opts.side === 'server' && !masked)
      this.fail(WS.MASKED_FRAME, 'Unmasked frame from the client: a client must mask every frame (RFC 6455, Section 5.1)');
    const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerSize = 2 + ext + (masked ? 4 : 0);
    if (this.length < headerSize) return null;
    const head = this.peek(headerSize);
    let len: number;
    if (ext === 2) len = head.readUInt16BE(2);
    else if (ext === 8) {
      const big = head.readBigUInt64BE(2);
      if (big >> 63n) this.fail(WS.BAD_LENGTH, 'Frame length with the most significant bit set (RFC 6455, Section 5.2)');
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(WS.FRAME_TOO_LARGE, `Frame declares ${big} bytes`);
      len = Number(big);
    } else len = len7;
    if (len > this.opts.maxFrameBytes)
      this.fail(WS.FRAME_TOO_LARGE, `Frame of ${len} bytes is larger than the frame limit (${this.opts.maxFrameBytes} bytes)`);
    if (this.length < headerSize + len) return null;
    const header = this.take(headerSize);
    const maskKey = masked ? Buffer.from(header.subarray(headerSize - 4)) : null;
    const raw = len ? this.take(len) : Buffer.alloc(0);
    return {
      fin,
      rsv1: (header[0] & 0x40) !== 0,
      rsv2: (header[0] & 0x20) !== 0,
      rsv3: (header[0] & 0x10) !== 0,
      opcode,
      masked,
      maskKey,
      payload: maskKey ? unmask(raw, maskKey) : raw,
      headerSize,
    };
  }
}

/** Close codes an endpoint may send in a close frame (RFC 6455 Section 7.4): 1000–1003, 1007–1014, 3000–4999. */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** A close frame's payload: nothing, or a code and a UTF-8 reason. */
export function closePayload(code: number | null, reason: string): Buffer {
  if (code === null) return Buffer.alloc(0);
  const r = Buffer.from(reason, 'utf8');
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}
