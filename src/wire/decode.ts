// Streaming coding removal: gzip / x-gzip (members read here, so trailing garbage is noticed instead of failing
// the whole body), deflate (zlib-wrapped or raw, sniffed), br, stacked in any order, as content or transfer
// codings, with a cap on how many are stacked and a ratio limit against decompression bombs. Output is handed
// on chunk by chunk as zlib makes it; on failure everything decoded so far has already been handed on.
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { WL, WireError } from './errors';

export const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

/** curl's limit since CVE-2022-32206: more stacked codings than this are refused before any decoder exists. */
export const MAX_CODINGS = 5;

/** The codings of a Content-Encoding / Transfer-Encoding header list, lowercased, `identity` dropped, in the order applied. */
export function parseCodings(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const s = part.trim().toLowerCase();
      if (s !== '' && s !== 'identity') out.push(s);
    }
  }
  return out;
}

export interface DecoderOptions {
  /** Decoded/wire ratio above which the stream is a bomb, checked once `ratioFloor` bytes were decoded. */
  maxRatio: number;
  ratioFloor: number;
  /** Bytes after the end of a coded stream (ignored, like curl and browsers do): told once per stage. */
  onTrailingGarbage?: (coding: string, bytes: number) => void;
}

/** Runs fn once the readable side ended (at once when it already has: a zlib stream can end itself). */
function whenEnded(s: Transform, fn: () => void): void {
  if (s.readableEnded) fn();
  else s.once('end', fn);
}

/** Calls `cb` with the bytes of `chunk` a zlib stream did not consume (it stopped at the end of its data). */
function writeCounting(
  inner: zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress,
  chunk: Buffer,
  fedBefore: number,
  cb: (left: number) => void,
): void {
  inner.write(chunk, () => cb(fedBefore + chunk.length - inner.bytesWritten));
}

/**
 * One gzip stream (RFC 1952): header parsed here, DEFLATE data through zlib's raw inflater, CRC-32 and size
 * checked, further members decoded, zero padding ignored and anything else reported as trailing garbage.
 * (Node's own gunzip fails on garbage and drops the output of the last block with it.)
 */
class GzipMembers extends Transform {
  private state: 'header' | 'data' | 'trailer' | 'after' | 'garbage' = 'header';
  private buf: Buffer = Buffer.alloc(0);
  private inner: zlib.InflateRaw | null = null;
  private fed = 0;
  private crc = 0;
  private size = 0;
  private members = 0;
  private garbage = 0;

  constructor(
    private readonly name: string,
    private readonly onGarbage?: (coding: string, bytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.feed(chunk, cb);
  }

  override _flush(cb: TransformCallback): void {
    const end = (): void => {
      // A partial header after a complete member is garbage too, not a truncated stream.
      if (this.state === 'header' && this.members > 0) this.garbage += this.buf.length;
      if (this.garbage > 0) this.onGarbage?.(this.name, this.garbage);
      if (this.members > 0 && (this.state === 'after' || this.state === 'garbage' || this.state === 'header')) {
        cb();
        return;
      }
      cb(new Error(this.state === 'trailer' ? 'unexpected end of file in the gzip trailer' : 'unexpected end of file (the stream is cut short)'));
    };
    if (this.state === 'data' && this.inner) {
      // Sync flush: everything decodable of a truncated member comes out before it is called truncated.
      whenEnded(this.inner, end);
      this.inner.end();
      return;
    }
    end();
  }

  private feed(chunk: Buffer, cb: TransformCallback): void {
    for (;;) {
      if (chunk.length === 0) {
        cb();
        return;
      }
      switch (this.state) {
        case 'garbage':
          this.garbage += chunk.length;
          cb();
          return;
        case 'after': {
          // Between members: zero padding is tolerated (gzip(1) does); a new member starts with its magic.
          let i = 0;
          while (i < chunk.length && chunk[i] === 0) i++;
          chunk = chunk.subarray(i);
          if (chunk.length === 0) {
            cb();
            return;
          }
          if (chunk[0] !== 0x1f || (chunk.length > 1 && chunk[1] !== 0x8b)) {
            this.state = 'garbage';
            continue;
          }
          this.state = 'header';
          continue;
        }
        case 'header': {
          this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
          chunk = Buffer.alloc(0);
          const h = this.headerLength(this.buf);
          if (h === null) {
            cb();
            return;
          }
          if (h < 0) {
            if (this.members > 0) {
              this.state = 'garbage';
              chunk = this.buf;
              this.buf = Buffer.alloc(0);
              continue;
            }
            cb(new Error('incorrect header check (not a gzip stream)'));
            return;
          }
          chunk = this.buf.subarray(h);
          this.buf = Buffer.alloc(0);
          this.startMember();
          continue;
        }
        case 'data': {
          const inner = this.inner as zlib.InflateRaw;
          const before = this.fed;
          this.fed += chunk.length;
          const c = chunk;
          writeCounting(inner, c, before, (left) => {
            if (this.destroyed) return;
            if (left <= 0) {
              cb();
              return;
            }
            // The DEFLATE data ended inside this chunk: what is left is the trailer and beyond.
            this.state = 'trailer';
            this.inner = null;
            inner.end();
            this.feed(c.subarray(c.length - left), cb);
          });
          return;
        }
        case 'trailer': {
          this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
          if (this.buf.length < 8) {
            cb();
            return;
          }
          const crc = this.buf.readUInt32LE(0);
          const isize = this.buf.readUInt32LE(4);
          chunk = this.buf.subarray(8);
          this.buf = Buffer.alloc(0);
          if (crc !== this.crc >>> 0) {
            cb(new Error(`CRC-32 mismatch (the data is corrupt: trailer says ${hex(crc)}, data gives ${hex(this.crc >>> 0)})`));
            return;
          }
          if (isize !== this.size % 0x1_0000_0000) {
            cb(new Error(`size mismatch (trailer says ${isize} bytes, ${this.size} decoded)`));
            return;
          }
          this.members++;
          this.state = 'after';
          continue;
        }
      }
    }
  }

  private startMember(): void {
    this.state = 'data';
    this.crc = 0;
    this.size = 0;
    this.fed = 0;
    const inner = zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    inner.on('data', (d: Buffer) => {
      this.crc = crc32(d, this.crc);
      this.size += d.length;
      this.push(d);
    });
    inner.on('error', (e) => this.destroy(e));
    this.inner = inner;
  }

  /** Length of the member header at the start of b; null when more bytes are needed, -1 when it is not gzip. */
  private headerLength(b: Buffer): number | null {
    if (b.length >= 1 && b[0] !== 0x1f) return -1;
    if (b.length >= 2 && b[1] !== 0x8b) return -1;
    if (b.length >= 3 && b[2] !== 8) return -1;
    if (b.length < 10) return null;
    const flags = b[3];
    if (flags & 0xe0) return -1;
    let p = 10;
    if (flags & 0x04) {
      if (b.length < p + 2) return null;
      p += 2 + b.readUInt16LE(p);
    }
    for (const bit of [0x08, 0x10]) {
      if (flags & bit) {
        const z = b.indexOf(0, p);
        if (z < 0) return b.length > 64 * 1024 ? -1 : null;
        p = z + 1;
      }
    }
    if (flags & 0x02) p += 2;
    return b.length >= p ? p : null;
  }
}

const crc32: (data: Buffer, value: number) => number = (zlib as unknown as { crc32?: (d: Buffer, v: number) => number }).crc32 ?? crc32Table;

let table: Int32Array | null = null;
/** CRC-32 (IEEE) for Node versions without zlib.crc32. */
function crc32Table(data: Buffer, value: number): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * A zlib stream that stops at the end of its data (zlib-wrapped deflate, brotli): bytes it did not consume are
 * trailing garbage, counted and reported instead of silently dropped.
 */
class Counted extends Transform {
  private fed = 0;
  private garbage = 0;

  constructor(
    private readonly inner: zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress,
    private readonly name: string,
    private readonly onGarbage?: (coding: string, bytes: number) => void,
  ) {
    super();
    inner.on('data', (d: Buffer) => this.push(d));
    inner.on('error', (e) => this.destroy(e));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.garbage > 0) {
      this.garbage += chunk.length;
      cb();
      return;
    }
    const before = this.fed;
    this.fed += chunk.length;
    writeCounting(this.inner, chunk, before, (left) => {
      if (left > 0) this.garbage = left;
      cb();
    });
  }

  override _flush(cb: TransformCallback): void {
    whenEnded(this.inner, () => {
      if (this.garbage > 0) this.onGarbage?.(this.name, this.garbage);
      cb();
    });
    this.inner.end();
  }
}

/** `deflate` is meant to be zlib-wrapped (RFC 9110) but servers also send raw DEFLATE: sniff the first bytes. */
class DeflateAuto extends Transform {
  private inner: Counted | null = null;
  private head: Buffer[] = [];
  private headLen = 0;

  constructor(private readonly onGarbage?: (coding: string, bytes: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      this.head.push(chunk);
      this.headLen += chunk.length;
      if (this.headLen < 2) {
        cb();
        return;
      }
      const h = Buffer.concat(this.head);
      this.head = [];
      this.start(h).write(h, () => cb());
      return;
    }
    this.inner.write(chunk, () => cb());
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      if (this.headLen === 0) {
        cb();
        return;
      }
      const h = Buffer.concat(this.head);
      this.start(h).write(h);
    }
    const inner = this.inner as Counted;
    whenEnded(inner, () => cb());
    inner.end();
  }

  private start(h: Buffer): Counted {
    const zlibWrapped = h.length >= 2 && (h[0] & 0x0f) === 8 && ((h[0] << 8) | h[1]) % 31 === 0;
    const inner = new Counted(zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw(), 'deflate', this.onGarbage);
    inner.on('data', (d: Buffer) => this.push(d));
    inner.on('error', (e) => this.destroy(e));
    inner.resume();
    this.inner = inner;
    return inner;
  }
}

function stage(coding: string, onGarbage?: (coding: string, bytes: number) => void): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return new GzipMembers(coding, onGarbage);
    case 'deflate':
      return new DeflateAuto(onGarbage);
    case 'br':
      return new Counted(zlib.createBrotliDecompress(), 'br', onGarbage);
    default:
      throw new WireError(WL.DECODE_FAILED, `Unknown content coding ${coding}`, 'decode');
  }
}

export class BodyDecoder {
  private readonly stages: Transform[];
  private readonly undo: string[];
  private wire = 0;
  private decoded = 0;
  private failed: WireError | null = null;
  private ended = false;
  private readonly done: Promise<void>;

  constructor(
    codings: string[],
    private readonly opts: DecoderOptions,
    onData: (chunk: Buffer) => void,
    private readonly onError: (e: WireError) => void,
  ) {
    if (codings.length > MAX_CODINGS)
      throw new WireError(WL.TOO_MANY_CODINGS, `${codings.length} codings stacked; at most ${MAX_CODINGS} are decoded`, 'decode');
    // Codings are listed in the order applied; undo them last first.
    this.undo = [...codings].reverse();
    this.stages = this.undo.map((c) => stage(c, opts.onTrailingGarbage));
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i];
      const name = this.undo[i];
      s.on('error', (e: Error) => this.fail(new WireError(WL.DECODE_FAILED, `${name} stream: ${e.message}`, 'decode')));
      if (i + 1 < this.stages.length) s.pipe(this.stages[i + 1]);
    }
    const last = this.stages[this.stages.length - 1];
    this.done = new Promise<void>((resolve) => {
      last.on('data', (d: Buffer) => {
        if (this.failed) return;
        this.decoded += d.length;
        if (this.decoded > this.opts.ratioFloor && this.decoded > this.wire * this.opts.maxRatio) {
          this.fail(
            new WireError(
              WL.DECOMPRESSION_BOMB,
              `Decompression bomb: ${this.decoded} bytes decoded from ${this.wire} (more than ${this.opts.maxRatio}:1)`,
              'decode',
            ),
          );
          resolve();
          return;
        }
        onData(d);
      });
      last.on('end', () => resolve());
      last.on('close', () => resolve());
    });
  }

  get decodedFrom(): string[] {
    return [...this.undo];
  }

  /** False when the caller should wait for `onceDrained` before writing more. */
  write(chunk: Buffer): boolean {
    if (this.failed || this.ended) return true;
    this.wire += chunk.length;
    return this.stages[0].write(chunk);
  }

  onceDrained(fn: () => void): void {
    this.stages[0].once('drain', fn);
  }

  /** Resolves once every decoded byte was handed on (or the stream failed: see the error callback). */
  async end(): Promise<void> {
    // An empty body is empty under any coding (servers send `Content-Encoding: gzip` with Content-Length: 0);
    // the decompressors would call the missing stream header a truncated stream.
    if (this.wire === 0 && !this.failed) {
      this.destroy();
      return;
    }
    if (!this.failed && !this.ended) {
      this.ended = true;
      this.stages[0].end();
    }
    await this.done;
  }

  destroy(): void {
    for (const s of this.stages) s.destroy();
  }

  private fail(e: WireError): void {
    if (this.failed) return;
    this.failed = e;
    this.onError(e);
    this.destroy();
  }
}
