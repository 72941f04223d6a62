// A response body as the engines collect it, whatever the framing (HTTP/1.1 chunks or lengths, HTTP/2 DATA):
// streaming content decoding with its bomb limit, the in-memory limit with its typed error, a caller's sink with
// its preview, and the finished ResponseBody. One copy of these rules for every protocol.
import * as fs from 'node:fs';
import type { ExchangeError, HeaderPair, Note, ResponseBody } from '../shared/exchange';
import { decodeText } from './charset';
import { BodyDecoder, KNOWN_CODINGS, parseCodings } from './decode';
import { WL, fromUnknown } from './errors';
import { MAX_RECORD_BYTES, SINK_PREVIEW, type BodySink } from './hop';

/** Bytes gathered for a descriptor sink before they are written (one system call per batch, not per frame). */
const FD_BATCH = 256 * 1024;
/** Buffers per writev (POSIX guarantees at least 16; Linux takes 1024). */
const IOV_MAX = 512;

export interface BodyLimits {
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxDecodeRatio: number;
  decodeRatioFloor: number;
}

export interface BodyCallbacks {
  fail(e: ExchangeError): void;
  /** Stop reading (a decoder or a sink is behind) / go on. Calls nest: one resume per pause. */
  pause(): void;
  resume(): void;
}

export class BodyCollector {
  private decoder: BodyDecoder | null = null;
  private readonly kept: Buffer[] = [];
  private keptLen = 0;
  private decodedSize = 0;
  private wireSize = 0;
  private truncated = false;
  private undecoded = false;
  /** Bytes for a file-descriptor sink, written together (one writev for many DATA frames or reads). */
  private fdBatch: Buffer[] = [];
  private fdBatchLen = 0;
  /** Notes about the body (content codings not decoded). */
  readonly notes: Note[] = [];

  constructor(
    headers: HeaderPair[],
    private readonly sink: BodySink | null,
    private readonly limits: BodyLimits,
    private readonly cb: BodyCallbacks,
  ) {
    const codings = parseCodings(headers.filter(([n]) => n.toLowerCase() === 'content-encoding').map(([, v]) => v));
    if (codings.length === 0) return;
    if (codings.every((c) => KNOWN_CODINGS.has(c))) {
      this.decoder = new BodyDecoder(
        codings,
        { maxRatio: limits.maxDecodeRatio, ratioFloor: limits.decodeRatioFloor },
        (d) => this.keep(d, false),
        (e) => cb.fail(e.toJSON()),
      );
    } else {
      this.undecoded = true;
      this.notes.push({
        id: 'wire-unknown-coding',
        subject: 'body',
        level: 'info',
        category: 'wire',
        summary: `Content coding ${codings.join(', ')} not decoded`,
        detail: 'Wire Lens decodes gzip, deflate and br; the body is shown as received.',
        reference: 'https://www.rfc-editor.org/rfc/rfc9110#section-8.4',
      });
    }
  }

  /** Body bytes received as framed on the wire so far. */
  get wireBytes(): number {
    return this.wireSize;
  }

  get decoding(): boolean {
    return this.decoder !== null;
  }

  /** Body bytes as framed on the wire; `borrowed` when the buffer is reused after this call (copy to keep). */
  write(chunk: Buffer, borrowed: boolean): void {
    this.wireSize += chunk.length;
    if (this.decoder) {
      if (!this.decoder.write(borrowed ? Buffer.from(chunk) : chunk)) {
        this.cb.pause();
        this.decoder.onceDrained(() => this.cb.resume());
      }
    } else this.keep(chunk, borrowed);
  }

  /** Resolves when the decoder flushed and the sink took everything (failures go to `fail`). */
  end(): Promise<void> {
    const flushSink = (): Promise<void> =>
      new Promise((resolve) => {
        const s = this.sink;
        if (!s || !('write' in s) || !s.writableNeedDrain) {
          resolve();
          return;
        }
        s.once('drain', () => resolve());
      });
    if (!this.decoder) {
      this.flushFd();
      return flushSink();
    }
    return this.decoder.end().then(
      () => {
        this.flushFd();
        return flushSink();
      },
      (e: unknown) => {
        this.cb.fail(fromUnknown(e, 'decode'));
      },
    );
  }

  destroy(): void {
    // What arrived before a failure still reaches the file.
    this.flushFd();
    this.decoder?.destroy();
  }

  result(contentType: string | undefined): ResponseBody {
    const body = Buffer.concat(this.kept, this.keptLen);
    const txt = this.undecoded ? { text: null, charset: null } : decodeText(body, contentType);
    return {
      base64: body.toString('base64'),
      text: txt.text,
      size: this.decodedSize,
      wireSize: this.wireSize,
      truncated: this.truncated,
      charset: txt.charset,
      decodedFrom: this.decoder ? this.decoder.decodedFrom : [],
    };
  }

  /** Writes the batch to the descriptor sink (a partial writev goes on from where it stopped). */
  private flushFd(): void {
    const sink = this.sink;
    if (this.fdBatchLen === 0 || !sink || 'write' in sink) return;
    let list = this.fdBatch;
    let left = this.fdBatchLen;
    this.fdBatch = [];
    this.fdBatchLen = 0;
    try {
      while (left > 0) {
        let n = fs.writevSync(sink.fd, list.length > IOV_MAX ? list.slice(0, IOV_MAX) : list);
        left -= n;
        let i = 0;
        while (i < list.length && n >= list[i].length) n -= list[i++].length;
        list = list.slice(i);
        if (n > 0) list[0] = list[0].subarray(n);
      }
    } catch (e) {
      this.cb.fail({ code: WL.BODY_OUT, message: `Writing the body out: ${e instanceof Error ? e.message : String(e)}`, phase: 'body' });
    }
  }

  private keep(chunk: Buffer, borrowed: boolean): void {
    const own = (b: Buffer): Buffer => (borrowed ? Buffer.from(b) : b);
    this.decodedSize += chunk.length;
    const sink = this.sink;
    if (sink) {
      if (this.keptLen < SINK_PREVIEW) {
        const part = chunk.subarray(0, SINK_PREVIEW - this.keptLen);
        this.kept.push(Buffer.from(part));
        this.keptLen += part.length;
        if (this.keptLen < this.decodedSize) this.truncated = true;
      } else this.truncated = true;
      if ('write' in sink) {
        if (!sink.write(own(chunk))) {
          this.cb.pause();
          sink.once('drain', () => this.cb.resume());
        }
      } else {
        this.fdBatch.push(own(chunk));
        this.fdBatchLen += chunk.length;
        if (this.fdBatchLen >= FD_BATCH) this.flushFd();
      }
      return;
    }
    const max = this.limits.maxBodyBytes;
    if (this.keptLen + chunk.length > max) {
      const part = own(chunk.subarray(0, max - this.keptLen));
      this.kept.push(part);
      this.keptLen += part.length;
      this.truncated = true;
      const ceiling = max >= MAX_RECORD_BYTES - this.limits.maxHeaderBytes;
      const hint = ceiling
        ? 'the most a record can hold; write it to a file (--body-out in the terminal)'
        : 'raise it with wirelens.maxBodyMiB, or --max-body in the terminal';
      this.cb.fail({
        code: WL.BODY_TOO_LARGE,
        message: `Body larger than the limit of ${max} bytes kept in memory (${hint})`,
        phase: this.decoder ? 'decode' : 'body',
      });
      return;
    }
    this.kept.push(own(chunk));
    this.keptLen += chunk.length;
  }
}
