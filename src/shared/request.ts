// The ResolvedRequest: what the language layer hands to the wire engine.
// Everything is resolved (variables, environments); the engine writes it as is.
import type { HeaderPair, Note } from './exchange';

/** One piece of a body: literal bytes, or a file streamed from disk at send time. */
export type BodyPart = { kind: 'bytes'; data: Uint8Array } | { kind: 'file'; path: string };

export interface RequestOptions {
  /** Follow redirects (default from settings / CLI). `# @no-redirect` sets false. */
  followRedirects?: boolean;
  /** Skip TLS verification (`# @insecure`). */
  insecure?: boolean;
  /** Connect timeout in ms (JetBrains `# @connection-timeout`). */
  connectTimeoutMs?: number;
  /** Per-request timeout in ms (`# @timeout`). */
  timeoutMs?: number;
  /** Whole-exchange deadline in ms (`# @max-time`), redirects included. */
  maxTimeMs?: number;
  /** `# @no-cookie-jar`. */
  noCookieJar?: boolean;
  /** `# @new-connection`: never a pooled (keep-alive) connection for this request. */
  newConnection?: boolean;
  /** `# @proxy URL`: this proxy for this request, whatever the settings and environment say. */
  proxy?: string;
  /** `# @no-proxy`: a direct connection for this request. */
  noProxy?: boolean;
}

export interface ResolvedRequest {
  /** `# @name`, when given. */
  name?: string;
  method: string;
  /** Absolute http: or https: URL. */
  url: string;
  /**
   * The request-target exactly as it goes in the request line (`*`, `/a/../b`, `/a\\b`), when the language layer
   * built it; absent, the engine takes path and query of `url`. Dropped on redirects (the Location decides).
   */
  target?: string;
  /** Notes about the request as written (odd targets, downgraded versions), copied into the exchange. */
  notes?: Note[];
  /** As written, e.g. `HTTP/1.1` or `HTTP/2`; empty when none is written (HTTP/1.1 unless the HTTP/2 setting says otherwise). */
  httpVersion: string;
  /** As written, in order; the engine adds Host / Content-Length / User-Agent only when missing. */
  headers: HeaderPair[];
  body: BodyPart[] | null;
  options: RequestOptions;
  /**
   * `Authorization: Digest user pass` (REST Client, httpyac): sent first without credentials; the engine answers
   * the server's 401 Digest challenge (RFC 7616) and keeps the challenge as an earlier hop.
   */
  digest?: { user: string; password: string; secret: boolean };
  /** Secrets (from private env files) to mask when showing the request. */
  secrets?: string[];
  /** A TCP / TLS / UDP / WebSocket block (the method is TCP, TLS, UDP or GET for the WebSocket handshake). */
  socket?: SocketRequest;
}

// ---- sockets (TCP, TLS, UDP, WebSocket blocks) -------------------------------------------------------------------

/** When a socket exchange ends once its messages are sent. */
export type UntilRule = { kind: 'close' } | { kind: 'idle'; ms: number } | { kind: 'bytes'; bytes: number } | { kind: 'text'; text: string };

export type SocketKind = 'tcp' | 'tls' | 'udp' | 'websocket';

/** One step of a socket block: send a message, or wait for the server to say something (`=== wait-for-server`). */
export type SocketStep =
  { kind: 'send'; data: Uint8Array; /** WebSocket: a text frame (else binary). */ text: boolean; line: number } | { kind: 'wait'; line: number };

export interface SocketRequest {
  kind: SocketKind;
  host: string;
  port: number;
  steps: SocketStep[];
  /** Null: the default (the peer closes, or 2 s of silence). */
  until: UntilRule | null;
}
