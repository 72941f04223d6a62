// A response body as the engines collect it, whatever the framing (HTTP/1.1 chunks or lengths, HTTP/2 DATA):
// streaming content decoding with its bomb limit, the in-memory limit with its typed error, a caller's sink with
// its preview, transfer codings of HTTP/1.1, and the finished ResponseBody. One copy of these rules for every
// protocol.
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import type { ExchangeError, HeaderPair, Note, ResponseBody } from '../shared/exchange';
import { decodeText, isTextual, mediaType } from './charset';
import { BodyDecoder, KNOWN_CODINGS, MAX_CODINGS, parseCodings } from './decode';
import { headerValue, headerValues } from '../shared/access';
import { bodyFromBytes, bodyFromText } from '../shared/body';
import { WL, fromUnknown } from './errors';
import { MAX_RECORD_BYTES, SINK_PREVIEW, type BodySink } from './limits';

/** Bytes gathered for a descriptor sink before they are written (one system call per batch, not per frame). */
const FD_BATCH = 256 * 1024;
/** Buffers per writev (POSIX guarantees at least 16; Linux takes 1024). */
const IOV_MAX = 512;
/**
 * A UTF-8 text body kept in memory past this many bytes is held as its text alone, decoded read by read, and its
 * bytes (and base64) are derived from the text when something asks: bytes and text together would be two full
 * copies. Smaller bodies keep both (cheap, and the bytes are at hand for the hex view).
 */
export const TEXT_ONLY_AT = 1024 * 1024;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether a Content-Type says UTF-8 text (a textual type, charset UTF-8 or none): a BOM may still say otherwise. */
function utf8TextType(contentType: string | null): boolean {
  const ct = mediaType(contentType ?? undefined);
  const cs = ct.charset ?? 'utf-8';
  return isTextual(ct.type) && (cs === 'utf-8' || cs === 'utf8');
}

/** Bytes in the UTF-8 sequence that `lead` starts (0 for a continuation or an invalid byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

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
  /** Where a note about the body goes as it is found (HTTP/1.1 keeps them in order with the parser's); else `notes`. */
  note?(n: Note): void;
}

/** How the body is framed, as far as the collector needs it (HTTP/1.1; HTTP/2 has content codings only). */
export interface BodyFraming {
  /** Transfer codings other than the final chunked (RFC 9112 section 7): undone before the content codings. */
  transfer?: string[];
  /** The transfer codings ended with chunked (already removed by the parser). */
  chunked?: boolean;
  /** Content-Length of an uncoded body kept in memory: read into one buffer of that size, no concatenation. */
  length?: number | null;
}

export class BodyCollector {
  private decoder: BodyDecoder | null = null;
  private readonly kept: Buffer[] = [];
  private keptLen = 0;
  /** With a Content-Length and no coding the body is read into this one buffer (null otherwise). */
  private sized: Buffer | null = null;
  private decodedSize = 0;
  private wireSize = 0;
  private truncated = false;
  private undecoded = false;
  /** More codings than decoders are stacked: reported once the body was read (kept as received). */
  private codingError: ExchangeError | null = null;
  /** Bytes for a file-descriptor sink, written together (one writev for many DATA frames or reads). */
  private fdBatch: Buffer[] = [];
  private fdBatchLen = 0;
  /** Notes about the body (codings not decoded or removed), when no `note` callback takes them. */
  readonly notes: Note[] = [];
  /** Could be held as text alone (UTF-8 by its media type and charset, kept in memory): decided at the switch. */
  private maybeText: boolean;
  /** Held as text (see TEXT_ONLY_AT): the text of the bytes so far, a UTF-8 BOM dropped from it, the bytes of a
   * sequence not complete yet. */
  private textMode = false;
  private text = '';
  private bom = false;
  private carry: Buffer | null = null;

  constructor(
    private readonly headers: HeaderPair[],
    private readonly sink: BodySink | null,
    private readonly limits: BodyLimits,
    private readonly cb: BodyCallbacks,
    framing: BodyFraming = {},
  ) {
    const content = parseCodings(headerValues(headers, 'content-encoding'));
    const transfer = framing.transfer ?? [];
    const codings = transfer.length === 0 ? content : [...content, ...transfer];
    this.maybeText = sink === null;
    if (codings.length === 0) {
      if (framing.length && framing.length > 0 && !sink) {
        // A large UTF-8 text body will be held as text (see TEXT_ONLY_AT): only its start is read into bytes.
        const cap = framing.length > TEXT_ONLY_AT && utf8TextType(headerValue(headers, 'content-type')) ? TEXT_ONLY_AT : framing.length;
        this.sized = Buffer.allocUnsafe(Math.min(cap, limits.maxBodyBytes));
      }
      return;
    }
    this.undecoded = true;
    if (codings.length > MAX_CODINGS) {
      this.codingError = {
        code: WL.TOO_MANY_CODINGS,
        message: `The response lists ${codings.length} content codings; Wire Lens, like curl, decodes at most ${MAX_CODINGS} stacked (the body is kept as received)`,
        phase: 'decode',
      };
      return;
    }
    const unknown = codings.filter((c) => !KNOWN_CODINGS.has(c));
    if (unknown.length > 0) {
      const which = transfer.some((c) => unknown.includes(c)) && !content.some((c) => unknown.includes(c)) ? 'Transfer coding' : 'Content coding';
      this.note({
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
      this.note({
        id: 'wire-transfer-coding',
        subject: 'body',
        level: 'info',
        category: 'wire',
        summary: `Transfer coding ${transfer.join(', ')} removed${framing.chunked ? ' after de-chunking' : ''}`,
        detail:
          'Transfer codings other than chunked are allowed by RFC 9112 but rare; clients that do not decode them (curl without --tr-encoding, most libraries) would show the coded bytes. The body shown is decoded.',
        reference: 'https://www.rfc-editor.org/rfc/rfc9112#section-7',
      });
    }
    this.undecoded = false;
    this.decoder = new BodyDecoder(
      codings,
      {
        maxRatio: limits.maxDecodeRatio,
        ratioFloor: limits.decodeRatioFloor,
        onTrailingGarbage: (coding, bytes) => {
          this.note({
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
      (d) => this.keep(d, false),
      (e) => cb.fail(e.toJSON()),
    );
  }

  private note(n: Note): void {
    if (this.cb.note) this.cb.note(n);
    else this.notes.push(n);
  }

  /** The failure to report once the body was read: more codings than Wire Lens decodes (null when none). */
  get deferredError(): ExchangeError | null {
    return this.codingError;
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

  /** After a failure: lets the decoder hand on what it can still make of what arrived (its errors ignored). */
  settle(): Promise<void> {
    if (!this.decoder) return Promise.resolve();
    const done = (): void => this.flushFd();
    return this.decoder.end().then(done, done);
  }

  destroy(): void {
    // What arrived before a failure still reaches the file.
    this.flushFd();
    this.decoder?.destroy();
  }

  result(contentType: string | undefined): ResponseBody {
    if (this.textMode) {
      // A sequence cut by the end (a truncated body) shows as U+FFFD in the text; the bytes keep it as received.
      const tail = this.carry;
      return bodyFromText(this.text, this.bom, tail, {
        text: tail ? this.text + tail.toString('utf8') : this.text,
        size: this.decodedSize,
        wireSize: this.wireSize,
        truncated: this.truncated,
        charset: 'utf-8',
        decodedFrom: this.decoder ? this.decoder.decodedFrom : [],
      });
    }
    const sized = this.sized;
    const body = sized
      ? sized.subarray(0, this.keptLen)
      : this.kept.length === 1
        ? this.kept[0].subarray(0, this.keptLen)
        : Buffer.concat(this.kept, this.keptLen);
    this.kept.length = 0;
    const txt = this.undecoded ? { text: null, charset: null } : decodeText(body, contentType);
    // The bytes are held once; base64 is derived when something reads it (JSON, a save).
    return bodyFromBytes(body, {
      text: txt.text,
      size: this.decodedSize,
      wireSize: this.wireSize,
      truncated: this.truncated,
      charset: txt.charset,
      decodedFrom: this.decoder ? this.decoder.decodedFrom : [],
    });
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
        if (borrowed) {
          // A view of a reused read buffer (HTTP/1.1 reads are large): written at once, no copy to batch it.
          this.flushFd();
          try {
            for (let off = 0; off < chunk.length;) off += fs.writeSync(sink.fd, chunk, off, chunk.length - off);
          } catch (e) {
            this.cb.fail({ code: WL.BODY_OUT, message: `Writing the body out: ${e instanceof Error ? e.message : String(e)}`, phase: 'body' });
          }
        } else {
          this.fdBatch.push(chunk);
          this.fdBatchLen += chunk.length;
          if (this.fdBatchLen >= FD_BATCH) this.flushFd();
        }
      }
      return;
    }
    const max = this.limits.maxBodyBytes;
    if (this.keptLen + chunk.length > max) {
      const part = chunk.subarray(0, max - this.keptLen);
      if (this.keepAsText(part)) {
        // taken as text
      } else if (this.sized && this.keptLen + part.length <= this.sized.length) part.copy(this.sized, this.keptLen);
      else {
        this.unsize();
        this.kept.push(own(part));
      }
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
    if (this.keepAsText(chunk)) {
      this.keptLen += chunk.length;
      return;
    }
    if (this.sized && this.keptLen + chunk.length <= this.sized.length) {
      chunk.copy(this.sized, this.keptLen);
      this.keptLen += chunk.length;
      return;
    }
    // More than announced (the parser stops at the length; this is the guard): back to a list of chunks.
    this.unsize();
    this.kept.push(own(chunk));
    this.keptLen += chunk.length;
  }

  /**
   * Text mode: true when `chunk` (decoded bytes to keep) was taken as text. Switches to it once the bytes kept
   * would pass TEXT_ONLY_AT and they are UTF-8 text; bytes that turn out not to be UTF-8 go back to byte mode.
   */
  private keepAsText(chunk: Buffer): boolean {
    if (!this.textMode) {
      if (!this.maybeText || this.undecoded || this.keptLen + chunk.length <= TEXT_ONLY_AT) return false;
      this.maybeText = false;
      if (!this.startText()) return false;
    }
    if (this.appendText(chunk)) return true;
    this.backToBytes(chunk);
    return true;
  }

  /** Decodes what was kept so far and drops the bytes, when the body is UTF-8 text; false leaves it as it was. */
  private startText(): boolean {
    const ct = mediaType(headerValue(this.headers, 'content-type') ?? undefined);
    const held = this.sized ? this.sized.subarray(0, this.keptLen) : Buffer.concat(this.kept, this.keptLen);
    const bom = held.length >= 3 && held[0] === 0xef && held[1] === 0xbb && held[2] === 0xbf;
    // decodeText's rules: a UTF-16 BOM wins over the charset; without a BOM the charset (default UTF-8) decides.
    if (held.length >= 2 && ((held[0] === 0xff && held[1] === 0xfe) || (held[0] === 0xfe && held[1] === 0xff))) return false;
    if (!(isTextual(ct.type) || (ct.type === '' && bom))) return false;
    const cs = bom ? 'utf-8' : (ct.charset ?? 'utf-8');
    if (cs !== 'utf-8' && cs !== 'utf8') return false;
    this.textMode = true;
    this.bom = bom;
    if (!this.appendText(bom ? held.subarray(3) : held)) {
      this.textMode = false;
      this.text = '';
      this.carry = null;
      return false;
    }
    this.sized = null;
    this.kept.length = 0;
    return true;
  }

  /**
   * Adds valid UTF-8 to the text (a sequence cut at the end waits for the next bytes); false, with nothing taken,
   * when it is not UTF-8.
   */
  private appendText(bytes: Buffer): boolean {
    let b = bytes;
    let first = '';
    if (this.carry) {
      const need = sequenceLength(this.carry[0]) - this.carry.length;
      if (b.length < need) {
        this.carry = Buffer.concat([this.carry, b]);
        return true;
      }
      const seq = Buffer.concat([this.carry, b.subarray(0, need)]);
      if (!isUtf8(seq)) return false;
      first = seq.toString('utf8');
      b = b.subarray(need);
    }
    // Where the last sequence starts: up to 3 bytes back from the end, past continuation bytes.
    let cut = b.length;
    for (let i = b.length - 1; i >= 0 && i >= b.length - 4; i--) {
      const c = b[i];
      if ((c & 0xc0) === 0x80) continue;
      if (sequenceLength(c) > b.length - i) cut = i;
      break;
    }
    const whole = cut === b.length ? b : b.subarray(0, cut);
    if (!isUtf8(whole)) return false;
    // Pieces join into a rope: no copy of the text so far per read.
    this.text += first + whole.toString('utf8');
    // Copied: the read buffer behind `bytes` is reused after this call.
    this.carry = cut < b.length ? Buffer.from(b.subarray(cut)) : null;
    return true;
  }

  /** Not UTF-8 after all: the bytes again (from the text, which was valid so far), kept as bytes from here on. */
  private backToBytes(chunk: Buffer): void {
    const parts: Buffer[] = [this.bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(this.text, 'utf8')];
    if (this.carry) parts.push(this.carry);
    parts.push(Buffer.from(chunk));
    this.textMode = false;
    this.text = '';
    this.carry = null;
    this.kept.push(Buffer.concat(parts));
  }

  private unsize(): void {
    if (!this.sized) return;
    this.kept.push(this.sized.subarray(0, this.keptLen));
    this.sized = null;
  }
}
