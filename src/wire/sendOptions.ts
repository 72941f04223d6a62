// The options of one send (`send` in index.ts, the socket engine in sockets.ts): their own module so that the
// engines and the entry point do not import each other.
import type { Exchange, Note, Progress } from '../shared/exchange';
import type { ClientCertificate, Lookup } from './connect';
import type { CookieJar } from './cookieJar';
import type { Http2Mode } from './h2/hop';
import type { BodySink } from './hop';
import type { ConnectionPool } from './pool';
import type { ProxySettings } from './proxy';
import type { SocketHooks } from './socketSession';

export interface SendOptions {
  signal?: AbortSignal;
  /** Default for every phase's timeout (ms, 0 = none); `# @timeout` on the request wins. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Deadline for a whole response head once its first byte arrived (against servers that drip it). */
  headTimeoutMs?: number;
  /**
   * Deadline for the whole exchange in ms, every hop of a redirect chain included (0 / undefined = none);
   * `# @max-time` on the request wins. Passing it ends the exchange with WL_MAX_TIME, the partial response kept.
   */
  maxTimeMs?: number;
  /** User-Agent added when the request writes none; '' adds none. */
  userAgent?: string;
  /** Skip certificate verification for every request (a request can opt out alone with `# @insecure`). */
  insecure?: boolean;
  /** Extra trusted root certificates (PEM text). */
  ca?: string[];
  /** Client certificates by `host:port` or `host`: PEM text or file paths. */
  clientCertificates?: Record<string, ClientCertificate>;
  /** Resolver instead of the system's: all addresses of a name, tried in order (tests, custom DNS). */
  lookup?: Lookup;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Limit on the decoded body kept in memory (default 64 MiB). */
  maxBodyBytes?: number;
  /** Limit on the response head (default 256 KiB). */
  maxHeaderBytes?: number;
  maxDecodeRatio?: number;
  decodeRatioFloor?: number;
  /**
   * Where the decoded body of the final response goes instead of memory (the CLI's --body-out). Only a 64 KiB
   * preview is kept in the record then, and the in-memory limit does not apply.
   */
  bodySink?: BodySink;
  /**
   * Cookies remembered between requests: every hop (redirects too) gets a Cookie header from it unless the request
   * writes its own, and stores the Set-Cookie of its response. A request with `# @no-cookie-jar` leaves it alone.
   */
  cookieJar?: CookieJar;
  onProgress?: (p: Progress) => void;
  /**
   * HTTP/2 for requests that write no version on the request line (`HTTP/2` or `HTTP/1.1` there always wins):
   * `never` (default), `negotiate` (ALPN h2,http/1.1 on TLS), `prior-knowledge` (HTTP/2 directly, h2c on http).
   */
  http2?: Http2Mode;
  /** HTTP/2 receive window of the stream and the connection (bytes; default 16 MiB). */
  http2Window?: number;
  /**
   * Keep-alive: connections a response allows to reuse go back to this pool and the next request to the same
   * origin takes one (redirect hops too); TLS sessions are resumed from it. Without a pool every hop opens a new
   * connection. The owner of the run owns the pool (and closes it).
   */
  pool?: ConnectionPool;
  /**
   * Proxies: the proxy for every request (`http.proxy`, `--proxy`), hosts reached directly, and the
   * environment to read HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY from (pass process.env to honour it).
   * `# @proxy URL` and `# @no-proxy` on a request win.
   */
  proxy?: ProxySettings;
  /** TCP / TLS / UDP / WebSocket blocks: the live-session hooks (the editor's panel). */
  socket?: SocketHooks;
  /** WebSocket limits (default 64 MiB each). */
  maxMessageBytes?: number;
  maxFrameBytes?: number;
  /**
   * Notes for each finished hop from the knowledge base (the pipeline passes `annotateExchange`; wire does not
   * import annotate): added once, when the engine builds the record, after the engine's own notes.
   */
  annotate?: (hop: Exchange) => Note[];
}
