// Incremental HTTP/1.x response parser: a state machine fed Buffers in pieces of any size.
// Lines (status, headers, chunk sizes, trailers) are assembled from the pieces and decided only when complete,
// so the events do not depend on how the bytes were split. Body bytes are handed on as zero-copy slices;
// only the bytes of a line that spans two pieces are copied. Every malformed input ends in one `onError`
// with an llhttp-style `HPE_*` code (or `WL_BODY_TOO_LARGE`), never a throw.
import type { WireErrorCode } from '../shared/errorCodes';

export type BodyMode = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'eof' };

export interface HeadInfo {
  status: number;
  /** A 1xx other than 101: another head follows. */
  interim: boolean;
  mode: BodyMode;
  /** Offset just past the blank line that ended this head, counted from the first byte fed. */
  offset: number;
}

export interface ParseError {
  /** An HPE_* code of the table in src/shared/errorCodes.ts, or WL_BODY_TOO_LARGE. */
  code: WireErrorCode;
  message: string;
  phase: 'headers' | 'body';
  /** Offset of the byte (or line start) where the error was found. */
  offset: number;
}

export interface ParserHandler {
  onStatus?(version: string, status: number, reason: string): void;
  onHeader?(name: string, value: string): void;
  onHeadersComplete?(info: HeadInfo): void;
  onChunkHeader?(size: number, extensions: string, offset: number): void;
  onBody?(chunk: Buffer): void;
  onTrailer?(name: string, value: string): void;
  onMessageComplete?(): void;
  /** Tolerated deviations: `obs-fold`, `bare-lf`, `duplicate-content-length`, `leading-empty-line`, `no-reason`. */
  onNote?(code: string, message: string): void;
  onError?(error: ParseError): void;
}

export interface ParserOptions {
  /** The request method: a response to HEAD has no body. */
  method?: string;
  /** Limit on each head (status line and headers) and on the trailer section; default 256 KiB. */
  maxHeaderBytes?: number;
  /** Limit on body bytes as framed on the wire (after de-chunking); default no limit. */
  maxBodyBytes?: number;
}

const enum S {
  Status,
  Header,
  BodyLength,
  BodyEof,
  ChunkSize,
  ChunkData,
  ChunkCr,
  ChunkLf,
  Trailer,
  Done,
  Error,
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const BAD_REASON = /[\x00-\x08\x0a-\x1f\x7f]/;
/** By byte: 1 for an RFC 9110 tchar (TOKEN), and 1 for what BAD_VALUE refuses in a field value. */
const TCHAR = new Uint8Array(256);
const BAD_VALUE_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  TCHAR[c] = TOKEN.test(String.fromCharCode(c)) ? 1 : 0;
  BAD_VALUE_BYTE[c] = BAD_VALUE.test(String.fromCharCode(c)) ? 1 : 0;
}
const NO_CODINGS: readonly string[] = [];
/** A Content-Length value alone on its line, without surrounding whitespace (trimmed ones take the list path). */
const DIGITS = /^\d{1,15}$/;
const MAX_INTERIM = 64;

export class ResponseParser {
  private state: S = S.Status;
  private readonly maxHead: number;
  private readonly maxBody: number;
  private readonly isHead: boolean;
  /** Bytes consumed before the current piece. */
  private base = 0;
  /** Pieces of the line being assembled, and where it started. */
  private lineParts: Buffer[] = [];
  private lineLen = 0;
  private lineStart = 0;
  /** Offset just past the last complete line. */
  private lineEnd = 0;
  /** Bytes of the current head or trailer section so far. */
  private sectionBytes = 0;
  private status = 0;
  private version = '';
  /** The last field line, held back until the next shows it is not continued (obs-fold). */
  private pendingName: string | null = null;
  private pendingValue = '';
  private contentLengths: string[] = [];
  private transferEncodings: string[] = [];
  private remaining = 0;
  private bodyBytes = 0;
  private interimCount = 0;
  private bareLfNoted = false;
  private sawStatus = false;
  /** The status line as received (latin1) when it was refused: the record keeps it. */
  rejectedStatusLine: string | null = null;
  /** Bytes that arrived after the message ended (ignored). */
  extraBytes = 0;
  error: ParseError | null = null;
  private readonly isConnect: boolean;

  constructor(
    private readonly h: ParserHandler,
    opts: ParserOptions = {},
  ) {
    this.maxHead = opts.maxHeaderBytes ?? 256 * 1024;
    this.maxBody = opts.maxBodyBytes ?? Number.POSITIVE_INFINITY;
    const method = opts.method ?? 'GET';
    this.isHead = method === 'HEAD' || (method.length === 4 && method.toUpperCase() === 'HEAD');
    this.isConnect = method === 'CONNECT' || (method.length === 7 && method.toUpperCase() === 'CONNECT');
  }

  /** True once the message completed or failed. */
  get finished(): boolean {
    return this.state === S.Done || this.state === S.Error;
  }

  get complete(): boolean {
    return this.state === S.Done;
  }

  /** Where the parser is: for the error phase of a failure that happens outside it (socket close, timeout). */
  get phase(): 'headers' | 'body' {
    return this.state === S.Status || this.state === S.Header ? 'headers' : 'body';
  }

  /** True when no byte of a status line has been seen yet. */
  get awaitingStatus(): boolean {
    return this.state === S.Status && !this.sawStatus && this.lineLen === 0;
  }

  execute(buf: Buffer): void {
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      switch (this.state) {
        case S.Done:
          this.extraBytes += len - pos;
          pos = len;
          break;
        case S.Error:
          pos = len;
          break;
        case S.BodyLength: {
          const n = Math.min(this.remaining, len - pos);
          if (!this.bodyChunk(buf, pos, n)) {
            pos = len;
            break;
          }
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.done();
          break;
        }
        case S.BodyEof: {
          const n = len - pos;
          this.bodyChunk(buf, pos, n);
          pos = len;
          break;
        }
        case S.ChunkData: {
          const n = Math.min(this.remaining, len - pos);
          if (!this.bodyChunk(buf, pos, n)) {
            pos = len;
            break;
          }
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S.ChunkCr;
          break;
        }
        case S.ChunkCr: {
          const c = buf[pos];
          if (c === 13) this.state = S.ChunkLf;
          else if (c === 10) {
            this.noteBareLf();
            this.state = S.ChunkSize;
          } else this.fail('HPE_CR_EXPECTED', 'Expected CRLF after chunk data', 'body', this.base + pos);
          pos++;
          break;
        }
        case S.ChunkLf: {
          if (buf[pos] === 10) this.state = S.ChunkSize;
          else this.fail('HPE_LF_EXPECTED', 'Expected LF after CR at the end of chunk data', 'body', this.base + pos);
          pos++;
          break;
        }
        default:
          pos = this.lineStep(buf, pos);
      }
    }
    this.base += len;
  }

  /** The connection ended: completes a read-until-close body, or fails with what state the message was in. */
  finish(): void {
    if (this.state === S.BodyEof) {
      this.done();
      return;
    }
    if (this.finished) return;
    const at = this.base;
    switch (this.state) {
      case S.Status:
        if (!this.sawStatus && this.lineLen === 0) {
          this.fail(
            'HPE_INVALID_EOF_STATE',
            this.base === 0 ? 'Connection closed before any response byte (empty reply)' : 'Connection closed before the final response',
            'headers',
            at,
          );
        } else {
          this.fail('HPE_INVALID_EOF_STATE', 'Connection closed in the status line', 'headers', at);
        }
        return;
      case S.Header:
        this.flushPending(false);
        this.fail('HPE_INVALID_EOF_STATE', 'Connection closed in the header section', 'headers', at);
        return;
      case S.BodyLength:
        this.fail('HPE_INVALID_EOF_STATE', `Connection closed with ${this.remaining} body bytes still expected`, 'body', at);
        return;
      case S.Trailer:
        this.flushPending(true);
        this.fail('HPE_INVALID_EOF_STATE', 'Connection closed in the trailer section', 'body', at);
        return;
      default:
        this.fail('HPE_INVALID_EOF_STATE', 'Connection closed in the middle of a chunk', 'body', at);
    }
  }

  /**
   * The exchange is ending from outside (timeout, reset, cancel): hands on a complete field line still held
   * back for a possible obs-fold continuation, so the partial head keeps every line that arrived whole.
   */
  flushHeld(): void {
    if (this.state === S.Header) this.flushPending(false);
    else if (this.state === S.Trailer) this.flushPending(true);
  }

  // ---- lines ----

  /** Collects one line; returns the new position. */
  private lineStep(buf: Buffer, pos: number): number {
    if (this.lineLen === 0) this.lineStart = this.base + pos;
    const lf = buf.indexOf(10, pos);
    const limit = this.lineLimit();
    if (lf < 0) {
      const n = buf.length - pos;
      if (this.lineLen + n > limit) {
        this.overflow();
        return buf.length;
      }
      // Copy: the caller may reuse its buffer, and only head bytes take this path.
      this.lineParts.push(Buffer.from(buf.subarray(pos)));
      this.lineLen += n;
      return buf.length;
    }
    const n = lf + 1 - pos;
    if (this.lineLen + n > limit) {
      this.overflow();
      return buf.length;
    }
    const total = this.lineLen + n;
    this.lineEnd = this.lineStart + total;
    this.sectionBytes += total;
    let text: string;
    if (this.lineLen === 0) {
      // The usual case, a whole line in this read: its text straight from the buffer, no view or copy.
      const cr = lf > pos && buf[lf - 1] === 13;
      if (!cr) this.noteBareLf();
      const end = cr ? lf - 1 : lf;
      // A plain header field line is read from its bytes, without the line's text.
      if (this.state === S.Header && this.plainFieldLine(buf, pos, end)) return lf + 1;
      text = buf.toString('latin1', pos, end);
    } else {
      this.lineParts.push(buf.subarray(pos, lf));
      const line = Buffer.concat(this.lineParts, this.lineLen + lf - pos);
      this.lineParts = [];
      let end = line.length;
      if (end > 0 && line[end - 1] === 13) end--;
      else this.noteBareLf();
      text = line.toString('latin1', 0, end);
    }
    this.lineLen = 0;
    this.onLine(text);
    return lf + 1;
  }

  private lineLimit(): number {
    // Head and trailer lines share their section's budget; a chunk-size line gets a budget of its own.
    if (this.state === S.ChunkSize) return this.maxHead;
    return this.maxHead - this.sectionBytes;
  }

  private overflow(): void {
    const inHead = this.state === S.Status || this.state === S.Header;
    if (this.state === S.Header || this.state === S.Trailer) this.flushPending(this.state === S.Trailer);
    this.fail(
      'HPE_HEADER_OVERFLOW',
      `${inHead ? 'Header' : this.state === S.Trailer ? 'Trailer' : 'Chunk-size line'} section larger than ${this.maxHead} bytes`,
      inHead ? 'headers' : 'body',
      this.lineStart,
    );
  }

  private onLine(line: string): void {
    switch (this.state) {
      case S.Status:
        return this.statusLine(line);
      case S.Header:
        return this.fieldLine(line, false);
      case S.Trailer:
        return this.fieldLine(line, true);
      case S.ChunkSize:
        return this.chunkSizeLine(line);
      default:
        return;
    }
  }

  private statusLine(line: string): void {
    const at = this.lineStart;
    if (line === '' && !this.sawStatus) {
      this.h.onNote?.('leading-empty-line', 'Empty line before the status line ignored');
      return;
    }
    if (this.plainStatusLine(line)) return;
    // Whatever is refused below, the line that arrived is kept for the record.
    this.rejectedStatusLine = line;
    if (!line.startsWith('HTTP/')) {
      this.fail('HPE_INVALID_CONSTANT', `Expected "HTTP/" at the start of the status line, got ${JSON.stringify(line.slice(0, 16))}`, 'headers', at);
      return;
    }
    const v = /^HTTP\/(\d)\.(\d)(?= |$)/.exec(line);
    if (!v || v[1] !== '1' || (v[2] !== '0' && v[2] !== '1')) {
      this.fail('HPE_INVALID_VERSION', `Unsupported HTTP version in ${JSON.stringify(line.slice(0, 16))}`, 'headers', at);
      return;
    }
    const rest = line.slice(8);
    const m = /^ (\d{3})(?:( )(.*))?$/.exec(rest);
    if (!m || Number(m[1]) < 100) {
      this.fail('HPE_INVALID_STATUS', `Invalid status code in ${JSON.stringify(line.slice(0, 32))}`, 'headers', at);
      return;
    }
    const reason = m[3] ?? '';
    if (BAD_REASON.test(reason)) {
      this.fail('HPE_INVALID_STATUS', 'Invalid character in the reason phrase', 'headers', at);
      return;
    }
    if (m[2] === undefined) this.h.onNote?.('no-reason', 'Status line without the space before the reason phrase');
    this.rejectedStatusLine = null;
    this.sawStatus = true;
    this.version = `${v[1]}.${v[2]}`;
    this.status = Number(m[1]);
    this.contentLengths.length = 0;
    this.transferEncodings.length = 0;
    this.h.onStatus?.(this.version, this.status, reason);
    this.state = S.Header;
  }

  /**
   * `HTTP/1.x NNN reason` read without the regular expressions (nearly every status line is this); false leaves
   * anything else, or anything doubtful, to the full grammar above.
   */
  private plainStatusLine(line: string): boolean {
    const n = line.length;
    if (n < 13 || !line.startsWith('HTTP/1.') || line.charCodeAt(8) !== 32 || line.charCodeAt(12) !== 32) return false;
    const minor = line.charCodeAt(7);
    const d0 = line.charCodeAt(9) - 48;
    const d1 = line.charCodeAt(10) - 48;
    const d2 = line.charCodeAt(11) - 48;
    if ((minor !== 48 && minor !== 49) || d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false;
    const reason = line.slice(13);
    // A CR inside the line is not matched by the grammar's `.`: the full path gives its error.
    if (reason.includes('\r') || BAD_REASON.test(reason)) return false;
    this.rejectedStatusLine = null;
    this.sawStatus = true;
    this.version = minor === 48 ? '1.0' : '1.1';
    this.status = d0 * 100 + d1 * 10 + d2;
    this.contentLengths.length = 0;
    this.transferEncodings.length = 0;
    this.h.onStatus?.(this.version, this.status, reason);
    this.state = S.Header;
    return true;
  }

  private fieldLine(line: string, trailer: boolean): void {
    const at = this.lineStart;
    const phase = trailer ? 'body' : 'headers';
    if (line === '') {
      this.flushPending(trailer);
      if (trailer) this.done();
      else this.headEnd();
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      if (this.pendingName === null) {
        this.fail('HPE_INVALID_HEADER_TOKEN', 'Line starting with whitespace where a field was expected', phase, at);
        return;
      }
      const more = trimOws(line);
      if (BAD_VALUE.test(more)) {
        this.fail('HPE_INVALID_HEADER_TOKEN', `Invalid character in the value of ${this.pendingName}`, phase, at);
        return;
      }
      this.h.onNote?.('obs-fold', `Obsolete line folding in ${this.pendingName} (joined with a space)`);
      const held = this.pendingValue;
      this.pendingValue = held === '' ? more : more === '' ? held : `${held} ${more}`;
      return;
    }
    this.flushPending(trailer);
    if (this.state === S.Error) return;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      this.fail('HPE_INVALID_HEADER_TOKEN', `Field line without a name and colon: ${JSON.stringify(line.slice(0, 32))}`, phase, at);
      return;
    }
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) {
      this.fail('HPE_INVALID_HEADER_TOKEN', `Invalid character in the field name ${JSON.stringify(name.slice(0, 32))}`, phase, at);
      return;
    }
    const value = trimOws(line.slice(colon + 1));
    if (BAD_VALUE.test(value)) {
      this.fail('HPE_INVALID_HEADER_TOKEN', `Invalid character in the value of ${name}`, phase, at);
      return;
    }
    this.pendingName = name;
    this.pendingValue = value;
  }

  /**
   * A field line that came whole in one read, read from its bytes: `name: value` with a token name and a value
   * of visible characters, what nearly every line is. False leaves anything else (folding, a bad character, no
   * colon) to fieldLine, which says what is wrong; nothing is consumed then.
   */
  private plainFieldLine(buf: Buffer, start: number, end: number): boolean {
    if (end <= start) return false;
    let colon = start;
    // The name: tchars up to the colon.
    for (; colon < end; colon++) {
      const c = buf[colon];
      if (c === 58) break;
      if (TCHAR[c] === 0) return false;
    }
    if (colon === start || colon === end) return false;
    let a = colon + 1;
    let b = end;
    while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
    while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
    for (let i = a; i < b; i++) if (BAD_VALUE_BYTE[buf[i]] === 1) return false;
    this.flushPending(false);
    if (this.state === S.Error) return true;
    this.pendingName = buf.toString('latin1', start, colon);
    this.pendingValue = a === b ? '' : buf.toString('latin1', a, b);
    return true;
  }

  private flushPending(trailer: boolean): void {
    const name = this.pendingName;
    if (name === null) return;
    const value = this.pendingValue;
    this.pendingName = null;
    this.pendingValue = '';
    if (trailer) {
      this.h.onTrailer?.(name, value);
      return;
    }
    // Only names of those lengths can be the framing fields: no lowercasing of every other name.
    if (name.length === 14 && name.toLowerCase() === 'content-length') this.contentLengths.push(value);
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') this.transferEncodings.push(value);
    this.h.onHeader?.(name, value);
  }

  private headEnd(): void {
    const at = this.lineStart;
    const end = this.lineEnd;
    const status = this.status;
    if (status < 200 && status !== 101) {
      if (++this.interimCount > MAX_INTERIM) {
        this.fail('HPE_HEADER_OVERFLOW', `More than ${MAX_INTERIM} interim responses`, 'headers', at);
        return;
      }
      this.h.onHeadersComplete?.({ status, interim: true, mode: { kind: 'none' }, offset: end });
      this.state = S.Status;
      this.sectionBytes = 0;
      this.sawStatus = false;
      return;
    }
    let mode: BodyMode;
    // A 2xx to CONNECT turns the connection into a tunnel: no body (RFC 9112 section 6.3).
    if (this.isHead || status === 204 || status === 304 || status === 101 || (this.isConnect && status < 300)) mode = { kind: 'none' };
    else {
      const cl = this.contentLength(at);
      if (cl === undefined) return;
      const te =
        this.transferEncodings.length === 0
          ? NO_CODINGS
          : this.transferEncodings
              .join(',')
              .split(',')
              .map((t) => t.trim().toLowerCase())
              .filter((t) => t !== '');
      if (te.length > 0) {
        if (cl !== null) {
          this.fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'Both Transfer-Encoding and Content-Length (a message smuggling risk)', 'headers', at);
          return;
        }
        // Only a final `chunked` frames the body; any other transfer coding runs to the close (RFC 9112 §6.3).
        mode = te[te.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: 'eof' };
      } else if (cl !== null) mode = { kind: 'length', length: cl };
      else mode = { kind: 'eof' };
    }
    this.h.onHeadersComplete?.({ status, interim: false, mode, offset: end });
    this.sectionBytes = 0;
    switch (mode.kind) {
      case 'none':
        this.done();
        return;
      case 'length':
        if (mode.length === 0) {
          this.done();
          return;
        }
        this.remaining = mode.length;
        this.state = S.BodyLength;
        return;
      case 'chunked':
        this.state = S.ChunkSize;
        return;
      case 'eof':
        this.state = S.BodyEof;
        return;
    }
  }

  /** The Content-Length, null when absent, undefined after failing. */
  private contentLength(at: number): number | null | undefined {
    if (this.contentLengths.length === 0) return null;
    const only = this.contentLengths.length === 1 ? this.contentLengths[0] : null;
    // One plain value (nearly every response): no list to split.
    if (only !== null && DIGITS.test(only)) return Number(only);
    const values = this.contentLengths
      .join(',')
      .split(',')
      .map((s) => s.trim());
    for (const v of values) {
      if (!/^\d{1,15}$/.test(v)) {
        this.fail('HPE_INVALID_CONTENT_LENGTH', `Invalid Content-Length ${JSON.stringify(v.slice(0, 32))}`, 'headers', at);
        return undefined;
      }
    }
    const n = Number(values[0]);
    if (values.some((v) => Number(v) !== n)) {
      this.fail('HPE_INVALID_CONTENT_LENGTH', `Differing Content-Length values: ${values.join(', ')}`, 'headers', at);
      return undefined;
    }
    if (values.length > 1) this.h.onNote?.('duplicate-content-length', 'Content-Length repeated with the same value');
    return n;
  }

  private chunkSizeLine(line: string): void {
    const at = this.lineStart;
    // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF, chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ).
    let i = 0;
    while (i < line.length && isHex(line.charCodeAt(i))) i++;
    if (i === 0 || i > 12) {
      this.fail('HPE_INVALID_CHUNK_SIZE', `Invalid chunk-size line ${JSON.stringify(line.slice(0, 32))}`, 'body', at);
      return;
    }
    const size = parseInt(line.slice(0, i), 16);
    const ext = this.chunkExtensions(line, i);
    if (ext === null) return;
    this.h.onChunkHeader?.(size, ext, at);
    if (size === 0) {
      this.state = S.Trailer;
      this.sectionBytes = 0;
      return;
    }
    this.remaining = size;
    this.state = S.ChunkData;
  }

  /**
   * The chunk-ext after the size, checked to the grammar (names are tokens, values tokens or quoted strings,
   * as llhttp checks them); null after failing. Whitespace before the line end is outside the grammar:
   * tolerated with a note, as llhttp's lenient "spaces after chunk size" flag does.
   */
  private chunkExtensions(line: string, from: number): string | null {
    const at = this.lineStart;
    const bad = (what: string): null => {
      this.fail('HPE_STRICT', `Invalid character in chunk extensions${what}: ${JSON.stringify(line.slice(0, 48))}`, 'body', at);
      return null;
    };
    const ws = (j: number): number => {
      while (j < line.length && (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9)) j++;
      return j;
    };
    let i = ws(from);
    if (i === line.length) {
      if (i > from) this.h.onNote?.('chunk-size-whitespace', 'Whitespace after the chunk size (tolerated)');
      return '';
    }
    if (line.charCodeAt(i) !== 59) {
      this.fail('HPE_INVALID_CHUNK_SIZE', `Invalid character in chunk size: ${JSON.stringify(line.slice(0, 32))}`, 'body', at);
      return null;
    }
    const start = i;
    while (i < line.length) {
      if (line.charCodeAt(i) !== 59) return bad('');
      i = ws(i + 1);
      const n0 = i;
      while (i < line.length && isTchar(line.charCodeAt(i))) i++;
      if (i === n0) return bad(' (an extension without a name)');
      i = ws(i);
      if (i < line.length && line.charCodeAt(i) === 61) {
        i = ws(i + 1);
        if (i < line.length && line.charCodeAt(i) === 34) {
          i++;
          let closed = false;
          while (i < line.length) {
            const c = line.charCodeAt(i);
            if (c === 34) {
              closed = true;
              i++;
              break;
            }
            if (c === 92) {
              const q = line.charCodeAt(i + 1);
              if (i + 1 >= line.length || !(q === 9 || (q >= 32 && q !== 127))) return bad(' quoted value');
              i += 2;
              continue;
            }
            if (!(c === 9 || (c >= 32 && c !== 127))) return bad(' quoted value');
            i++;
          }
          if (!closed) return bad(' quoted value (the quote is never closed)');
        } else {
          const v0 = i;
          while (i < line.length && isTchar(line.charCodeAt(i))) i++;
          if (i === v0) return bad(' (an extension value is empty or not a token)');
        }
      }
      const before = i;
      i = ws(i);
      if (i === line.length && i > before) this.h.onNote?.('chunk-size-whitespace', 'Whitespace at the end of a chunk-size line (tolerated)');
    }
    return line.slice(start);
  }

  // ---- body ----

  /** Hands on n body bytes; false when the body limit stopped the parse. */
  private bodyChunk(buf: Buffer, pos: number, n: number): boolean {
    if (n === 0) return true;
    if (this.bodyBytes + n > this.maxBody) {
      const fit = this.maxBody - this.bodyBytes;
      if (fit > 0) this.h.onBody?.(buf.subarray(pos, pos + fit));
      this.bodyBytes += fit;
      this.fail('WL_BODY_TOO_LARGE', `Body larger than the limit of ${this.maxBody} bytes`, 'body', this.base + pos + fit);
      return false;
    }
    this.bodyBytes += n;
    this.h.onBody?.(n === buf.length ? buf : buf.subarray(pos, pos + n));
    return true;
  }

  private noteBareLf(): void {
    if (this.bareLfNoted) return;
    this.bareLfNoted = true;
    this.h.onNote?.('bare-lf', 'Line ended with a bare LF instead of CRLF');
  }

  private done(): void {
    this.state = S.Done;
    this.h.onMessageComplete?.();
  }

  private fail(code: WireErrorCode, message: string, phase: 'headers' | 'body', offset: number): void {
    if (this.state === S.Error) return;
    this.state = S.Error;
    this.lineParts = [];
    this.lineLen = 0;
    this.error = { code, message, phase, offset };
    this.h.onError?.(this.error);
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** RFC 9110 tchar. */
function isTchar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}

function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
