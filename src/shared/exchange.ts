// The Exchange record: the contract between the engine, the panel, the CLI and the tests.
// Plain JSON (no Buffers, no class instances) so it crosses postMessage and `--json` unchanged.
import type { ErrorPhase, WireErrorCode } from './errorCodes';

export type { ErrorPhase, WireErrorCode } from './errorCodes';

/** A header as written or received: [name, value], case and order kept. */
export type HeaderPair = [name: string, value: string];

export interface ExchangeRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: HeaderPair[];
  /** Exact bytes written to the socket (head and body), base64. Large streamed bodies may be cut: see rawTruncated. */
  rawBase64: string;
  /** True when rawBase64 holds only the start of what was written (streamed file bodies). */
  rawTruncated?: boolean;
  /** Number of body bytes written. */
  bodySize?: number;
  /** Byte length of the request head (request line through the blank line) within rawBase64. Set by the engine;
   *  absent only in records saved before it existed (read it with requestHeadSize in src/shared/access.ts). */
  headSize?: number;
}

export interface InterimResponse {
  status: number;
  reason: string;
  headers: HeaderPair[];
}

export interface ResponseBody {
  /** Decoded bytes (after Content-Encoding), base64; cut at the body limit when truncated. */
  base64: string;
  /** Decoded text when the media type is textual (charset applied), else null. */
  text: string | null;
  /** Decoded size in bytes (all of it, even when truncated). */
  size: number;
  /** Bytes of body received on the wire (after de-chunking, before content decoding). */
  wireSize: number;
  truncated: boolean;
  /** Charset used for `text`, when any. */
  charset?: string | null;
  /** Content codings removed, in the order they were undone. */
  decodedFrom?: string[];
}

export interface ChunkMark {
  /** Offset of the chunk-size line within the raw response bytes. */
  offset: number;
  /** Declared chunk size. */
  size: number;
}

export interface ExchangeResponse {
  httpVersion: string;
  status: number;
  reason: string;
  headers: HeaderPair[];
  trailers: HeaderPair[];
  interim: InterimResponse[];
  body: ResponseBody;
  /** Raw bytes received (head and body as on the wire), base64: the head and the start of the body (see rawTruncated). */
  rawBase64: string;
  /** True when rawBase64 holds only the start of what was received (large bodies: the decoded body is in `body`). */
  rawTruncated?: boolean;
  /** Every byte received on the connection for this response (head, framing, body), even when rawBase64 is cut. */
  receivedBytes?: number;
  /** Byte length of the response head (status line through the blank line) within the raw bytes. */
  headSize?: number;
  /** Where chunk-size lines start in the raw bytes, when chunked. */
  chunks?: ChunkMark[];
  /** True when the headers arrived complete; false for a response cut short in its head. */
  headersComplete?: boolean;
  /** The status line as received (latin1), set when it was refused or cut short (status and reason are then a guess, 0 when none). */
  statusLine?: string;
}

/**
 * Milliseconds for each phase, null when it did not apply (no DNS for a literal IP, no TLS for http).
 * Durations, not offsets: summed in order they give curl's cumulative write-out times
 * (dns = time_namelookup; + connect = time_connect; + tls = time_appconnect; + send + firstByte ≈ time_starttransfer).
 */
export interface Timings {
  /** DNS lookup (all addresses). */
  dns: number | null;
  /** TCP handshake, over the addresses tried. */
  connect: number | null;
  /** TLS handshake. */
  tls: number | null;
  /** From connected to the last request byte handed to the kernel. */
  send: number | null;
  /** From the last request byte to the first response byte (server processing; 0 when it answered early). */
  firstByte: number | null;
  /** From the first response byte to the end of the (decoded) body. */
  download: number | null;
  /** The whole hop, from the start of resolution to the end. */
  total: number | null;
}

export interface CertificateInfo {
  subject: Record<string, string>;
  issuer: Record<string, string>;
  validFrom: string;
  validTo: string;
  subjectAltNames: string[];
  serialNumber: string;
  fingerprint256: string;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
  alpn: string | null;
  servername: string | null;
  authorized: boolean;
  authorizationError: string | null;
  /** The peer chain, leaf first. `certificate` is the leaf, kept for the design's shape. */
  certificate: CertificateInfo | null;
  chain: CertificateInfo[];
  /** True when the handshake resumed an earlier session to the same origin (a session ticket): no certificate exchange. */
  resumed?: boolean;
}

/** How the connection went through a proxy (issue 13). */
export interface ProxyInfo {
  /** The proxy URL, user info masked (`http://user:****@proxy:3128`). */
  url: string;
  kind: 'http' | 'https' | 'socks5' | 'socks5h';
  /** `forward`: the request went to the proxy in absolute form; `tunnel`: through CONNECT; `socks`: a SOCKS5 tunnel. */
  mode: 'forward' | 'tunnel' | 'socks';
  /** The proxy's address and port as connected (localAddress/remoteAddress of the record are the socket to it). */
  address: string | null;
  port: number | null;
  /** The target as asked of the proxy, `host:port`. */
  target: string;
  /** Where the proxy setting came from: `request` (# @proxy), `settings`/`cli`, or an environment variable name. */
  source?: string;
  /** SOCKS5: the address the proxy reports having bound (BND.ADDR:BND.PORT), when given. */
  bound?: string | null;
}

export interface ConnectionInfo {
  localAddress: string | null;
  localPort: number | null;
  remoteAddress: string | null;
  remotePort: number | null;
  family: 'IPv4' | 'IPv6' | null;
  /** Addresses the DNS lookup returned (all of them, in order). */
  resolvedAddresses?: string[];
  reused: boolean;
  tls: TlsInfo | null;
  /** The `id` of the exchange that opened this connection (this exchange's own id when new). */
  openedBy?: string;
  /** Exchanges sent on this connection before this one (0 when new). */
  requestsBefore?: number;
  /** Why a new connection was opened although the pool was in use (`@new-connection`, `none idle`...). */
  newReason?: string;
  /** Set when the connection went through a proxy. */
  proxy?: ProxyInfo | null;
}

export type NoteLevel = 'good' | 'info' | 'warning' | 'bad';

export interface Note {
  /** Stable check id, e.g. `cache-control-syntax`. */
  id?: string;
  /** `status`, `header:<index>`, `trailer:<index>`, `request-header:<index>`, `body`, `connection`, `timing`. */
  subject: string;
  level: NoteLevel;
  category: string;
  summary: string;
  detail: string;
  reference: string;
  /** A grouped note (one check firing on many lines): how many lines it stands for. */
  occurrences?: number;
  /** A grouped note: the subjects of the first lines it stands for (at most 50; `occurrences` counts all). */
  subjects?: string[];
}

export interface ExchangeError {
  /** Stable code from the table in src/shared/errorCodes.ts: Node's socket codes (ECONNREFUSED…), TLS verification
   *  codes, HPE_* for parse errors, WL_* for ours, `cancelled`. */
  code: WireErrorCode;
  message: string;
  phase: ErrorPhase;
}

export interface Exchange {
  request: ExchangeRequest;
  response: ExchangeResponse | null;
  timings: Timings;
  connection: ConnectionInfo | null;
  redirects: Exchange[];
  notes: Note[];
  error: ExchangeError | null;
  /** ISO time the exchange started. */
  startedAt?: string;
  /** Unique id of this exchange (hop), referred to by `connection.openedBy` of later exchanges on its connection. */
  id?: string;
  /**
   * The proxy's own exchange when the connection was tunnelled through an HTTP proxy with CONNECT: its request and
   * response bytes and timings, the first leg of this hop. Absent on a reused connection.
   */
  tunnel?: Exchange;
  /** Earlier attempts of this hop that failed on a stale pooled connection before any response byte (retried once). */
  attempts?: Exchange[];
  /** What kind of exchange this is; absent means `http`. */
  kind?: ExchangeKind;
  /** WebSocket, TCP and UDP: what was sent and received, in order. */
  messages?: SocketMessage[];
  /** WebSocket, TCP and UDP: how the connection ended. */
  socket?: SocketSummary;
  /** Scripts and asserts run on this exchange (the run model fills it in; absent when none ran). */
  tests?: ExchangeTest[];
}

/** One test, assert or script failure recorded by the run model (src/run/). */
export interface ExchangeTest {
  name: string;
  passed: boolean;
  message: string | null;
  /** 0-based line in the .http file (or in `file`, an external script). */
  line: number;
  /** External script the line is in, as written in the .http file. */
  file?: string;
  kind: 'test' | 'assert' | 'script';
  expected?: string;
  actual?: string;
  /** A typed failure code for script failures (WL_SCRIPT_TIMEOUT, WL_SCRIPT_ERROR…). */
  code?: string;
}

/** Live progress, for the panel and the status bar while a request runs. */
export type ProgressPhase = 'resolving' | 'dns' | 'connecting' | 'tls' | 'sending' | 'waiting' | 'downloading' | 'redirecting' | 'done';

export interface Progress {
  phase: ProgressPhase;
  /** Response bytes received so far. */
  bytes: number;
  /** Expected body size when known (Content-Length). */
  total: number | null;
  elapsedMs: number;
}

// ---- HTTP/2 (issue 11) ----

/** One field of an HPACK header block, as decoded (received) or encoded (sent), with the representation used. */
export interface H2HeaderField {
  name: string;
  value: string;
  /** RFC 7541 §6: how the field was coded. `size-update` entries carry `newTableSize` and no name/value. */
  representation: 'indexed' | 'literal-incremental' | 'literal-without-indexing' | 'literal-never-indexed' | 'size-update';
  /** Index referred to (for the whole field or its name), or null for a literal name. */
  index: number | null;
  /** Which table that index hit. */
  table: 'static' | 'dynamic' | null;
  huffmanName: boolean;
  huffmanValue: boolean;
  /** Bytes of this representation in the block (after compression). */
  encodedLength: number;
  /** RFC 7541 §4.1 size: name + value + 32 (before compression, as the table counts it). */
  size: number;
  newTableSize?: number;
}

/** One HTTP/2 frame in either direction (`Exchange.frames`). */
export interface H2Frame {
  direction: 'sent' | 'received';
  /** `HEADERS`, `DATA`, …, or `UNKNOWN(0x0a)`. */
  type: string;
  typeCode: number;
  stream: number;
  flags: number;
  flagNames: string[];
  /** Payload length (the frame header's length field). */
  length: number;
  /** Milliseconds since the hop started. */
  time: number;
  /** Offset of the frame's 9-byte header in the bytes of its direction (request or response `rawBase64`). */
  offset: number;
  /** One line, decoded: `:status: 302, 4 fields`, `16384 bytes`, `INITIAL_WINDOW_SIZE=65535`, `NO_ERROR`… */
  summary: string;
  /** HEADERS / PUSH_PROMISE: every field of the header block (set on the frame that starts the block). */
  fields?: H2HeaderField[];
  /** HEADERS: bytes of the whole header block (all its CONTINUATIONs) on the wire. */
  blockLength?: number;
  /** SETTINGS: identifier name and value, in order. */
  settings?: [name: string, value: number][];
  /** RST_STREAM / GOAWAY: the error code's name (`PROTOCOL_ERROR`). */
  errorCode?: string;
  /** GOAWAY. */
  lastStreamId?: number;
  /** GOAWAY: the debug data (UTF-8, control characters kept for the view to show). */
  debugData?: string;
  /** WINDOW_UPDATE. */
  windowIncrement?: number;
  /** PADDED frames: padding bytes. */
  padding?: number;
  /**
   * This entry stands for a run of consecutive frames of the same shape (direction, type, stream, flags), once
   * the record holds its individual frames: the fields above describe the run's first frame.
   */
  run?: H2FrameRun;
}

/** A run of consecutive frames kept as one record entry (long downloads, floods): every frame still counted. */
export interface H2FrameRun {
  /** Frames in the run, its first included. */
  count: number;
  /** Payload bytes of all of them. */
  bytes: number;
  /** Each frame's payload length in order, run-length coded: `[length, how many]`. */
  lengths: [length: number, count: number][];
  /** Time of the run's last frame (ms since the hop started); `time` is the first's. */
  lastTime: number;
  /** WINDOW_UPDATE runs: the increments added up. */
  windowIncrement?: number;
}

/** Frames left out of `Exchange.frames` once it holds its limit (large downloads, floods). */
export interface H2FramesOmitted {
  count: number;
  bytes: number;
}

// Declaration merging keeps these additions in their own section.
export interface Exchange {
  /** HTTP/2: every frame of the connection (up to a limit; see framesOmitted). */
  frames?: H2Frame[];
  framesOmitted?: H2FramesOmitted;
}

// ---- sockets (issue 12): WebSocket, TCP, UDP exchanges ---------------------------------------------------------

export type ExchangeKind = 'http' | 'websocket' | 'tcp' | 'udp';

/** One WebSocket frame of a message, as it crossed the wire. */
export interface WireFrame {
  opcode: number;
  fin: boolean;
  /** RSV1, RSV2, RSV3. */
  rsv: [boolean, boolean, boolean];
  masked: boolean;
  /** The masking key, hex, for client frames. */
  maskKey?: string;
  /** Payload length as declared. */
  length: number;
  /** Frame header size in bytes (2–14). */
  headerSize: number;
}

export interface SocketMessage {
  direction: 'sent' | 'received';
  /** Milliseconds from the start of the exchange. */
  at: number;
  /** The application bytes (WebSocket: unmasked and, with permessage-deflate, inflated), base64; cut when truncated. */
  base64: string;
  /** Size of the application bytes (all of them, even when truncated). */
  size: number;
  /** UTF-8 text when the bytes decode as such (WebSocket: text messages and close reasons), else null. */
  text: string | null;
  /** The record keeps only the start of the bytes (record limit), or a UDP datagram was cut by the receive buffer. */
  truncated?: boolean;
  // WebSocket only
  opcode?: number;
  /** `text`, `binary`, `close`, `ping`, `pong`. */
  opcodeName?: string;
  /** The message's last frame had FIN set (false only for a message cut short). */
  fin?: boolean;
  masked?: boolean;
  rsv?: [boolean, boolean, boolean];
  /** Every frame of the message (more than one when fragmented). */
  wireFrames?: WireFrame[];
  closeCode?: number | null;
  closeReason?: string;
  /** permessage-deflate: the payload size as compressed on the wire, and those bytes (base64). */
  compressedSize?: number;
  compressedBase64?: string;
  /** Sent by the engine itself (a pong answering a ping, the close reply). */
  automatic?: boolean;
}

/** How a socket exchange went, beside the messages. */
export interface SocketSummary {
  /** Who ended it: `client` (Wire Lens, after its messages and @until rule, or the user), `server`, or `error`. */
  closedBy: 'client' | 'server' | 'error' | null;
  /** Why it ended, in words (`peer closed`, `2000 ms of silence`, `bytes 10 reached`, `closed from the panel`). */
  endReason: string;
  bytesSent: number;
  bytesReceived: number;
  /** WebSocket: the close frames' codes and reasons. */
  closeSent?: { code: number | null; reason: string } | null;
  closeReceived?: { code: number | null; reason: string } | null;
  /** WebSocket: negotiated subprotocol and extensions. */
  protocol?: string | null;
  extensions?: string | null;
  /** Messages received but not kept (the record's message limit). */
  droppedMessages?: number;
}
