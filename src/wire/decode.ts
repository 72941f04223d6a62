// Streaming Content-Encoding removal: gzip / x-gzip, deflate (zlib-wrapped or raw, sniffed), br, stacked in any
// order, with a ratio limit against decompression bombs. Output is handed on chunk by chunk as zlib makes it.
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { WL, WireError } from './errors';

export const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

/** The codings of a Content-Encoding header list, lowercased, `identity` dropped, in the order applied. */
export function parseCodings(values: string[]): string[] {
  return values.join(',').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '' && s !== 'identity');
}

export interface DecoderOptions {
  /** Decoded/wire ratio above which the stream is a bomb, checked once `ratioFloor` bytes were decoded. */
  maxRatio: number;
  ratioFloor: number;
}

/** `deflate` is meant to be zlib-wrapped (RFC 9110) but servers also send raw DEFLATE: sniff the first bytes. */
class DeflateAuto extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private head: Buffer[] = [];
  private headLen = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      this.head.push(chunk);
      this.headLen += chunk.length;
      if (this.headLen < 2) { cb(); return; }
      const h = Buffer.concat(this.head);
      this.head = [];
      this.start(h).write(h, () => cb());
      return;
    }
    this.inner.write(chunk, () => cb());
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      if (this.headLen === 0) { cb(); return; }
      const h = Buffer.concat(this.head);
      this.start(h).write(h);
    }
    const inner = this.inner as zlib.Inflate | zlib.InflateRaw;
    inner.once('end', () => cb());
    inner.end();
  }

  private start(h: Buffer): zlib.Inflate | zlib.InflateRaw {
    const zlibWrapped = h.length >= 2 && (h[0] & 0x0f) === 8 && ((h[0] << 8) | h[1]) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inner.on('data', (d: Buffer) => this.push(d));
    inner.on('error', (e) => this.destroy(e));
    this.inner = inner;
    return inner;
  }
}

function stage(coding: string): Transform {
  switch (coding) {
    case 'gzip':
    case 'x-gzip': return zlib.createGunzip();
    case 'deflate': return new DeflateAuto();
    case 'br': return zlib.createBrotliDecompress();
    default: throw new WireError(WL.DECODE_FAILED, `Unknown content coding ${coding}`, 'decode');
  }
}

export class BodyDecoder {
  private readonly stages: Transform[];
  private wire = 0;
  private decoded = 0;
  private failed: WireError | null = null;
  private readonly done: Promise<void>;

  constructor(
    private readonly codings: string[],
    private readonly opts: DecoderOptions,
    onData: (chunk: Buffer) => void,
    private readonly onError: (e: WireError) => void,
  ) {
    // Codings are listed in the order applied; undo them last first.
    this.stages = [...codings].reverse().map(stage);
    for (let i = 0; i < this.stages.length; i++) {
      const s = this.stages[i];
      const name = [...codings].reverse()[i];
      s.on('error', (e: Error) => this.fail(new WireError(WL.DECODE_FAILED, `${name} stream: ${e.message}`, 'decode')));
      if (i + 1 < this.stages.length) s.pipe(this.stages[i + 1]);
    }
    const last = this.stages[this.stages.length - 1];
    this.done = new Promise<void>((resolve) => {
      last.on('data', (d: Buffer) => {
        if (this.failed) return;
        this.decoded += d.length;
        if (this.decoded > this.opts.ratioFloor && this.decoded > this.wire * this.opts.maxRatio) {
          this.fail(new WireError(WL.DECOMPRESSION_BOMB, `Decompression bomb: ${this.decoded} bytes decoded from ${this.wire} (more than ${this.opts.maxRatio}:1)`, 'decode'));
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
    return [...this.codings].reverse();
  }

  /** False when the caller should wait for `onceDrained` before writing more. */
  write(chunk: Buffer): boolean {
    if (this.failed) return true;
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
    if (!this.failed) this.stages[0].end();
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
