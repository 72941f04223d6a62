// The options of one HTTP/1.x hop (send() builds them from its own, the request's and the defaults), and a
// connection handed over to it: shared by hop.ts, hopRun.ts and the HTTP/2 engine's fallback.
import type * as net from 'node:net';
import type { ConnectionInfo, HeaderPair, Progress } from '../shared/exchange';
import type { ClientCertificate, ConnectMarks, Lookup } from './connect';
import type { BodySink } from './limits';
import type { ConnectionPool } from './pool';
import type { ProxySettings } from './proxy';

export interface HopOptions {
  signal?: AbortSignal;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /**
   * Deadline for a whole response head once its first byte arrived (0 = none): a server dripping header bytes
   * faster than the idle timeout would otherwise hold the exchange for as long as the header limit allows.
   */
  headTimeoutMs: number;
  maxHeaderBytes: number;
  maxBodyBytes: number;
  maxDecodeRatio: number;
  decodeRatioFloor: number;
  userAgent?: string;
  insecure: boolean;
  ca?: string[];
  clientCertificates?: Record<string, ClientCertificate>;
  lookup?: Lookup;
  /** Called once the final head is in: a stream for the decoded body instead of memory, or null to keep it. */
  sinkFor?: (status: number, headers: HeaderPair[]) => BodySink | null;
  onProgress?: (p: Progress) => void;
  /** Start of the whole send (first hop), for progress elapsed time. */
  startedAt: number;
  /** Keep-alive: idle connections to take from and give back to, and TLS sessions to resume. */
  pool?: ConnectionPool;
  /** Open a new connection even when the pool holds one for this origin (`# @new-connection`, a stale retry). */
  newConnection?: boolean;
  /** Proxy settings and environment; `# @proxy` / `# @no-proxy` on the request win. */
  proxy?: ProxySettings;
  /** performance.now() time at which the whole exchange must end (--max-time), when there is one. */
  deadlineAt?: number;
  maxTimeMs?: number;
  /** HTTP/2: the receive window of the stream and the connection (default 16 MiB). */
  h2Window?: number;
  /** A connection already open (HTTP/2 was offered by ALPN and the server picked http/1.1): used as is. */
  connected?: PreConnected;
}

export interface PreConnected {
  socket: net.Socket;
  info: ConnectionInfo;
  marks: ConnectMarks;
  /** When the hop started (before connecting), for its timings. */
  t0: number;
}
