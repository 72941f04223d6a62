// Raw TCP and TLS blocks: connect (the same DNS, address fallback and certificate rules as HTTPS, from
// connect.ts), send each message as written, wait for the server where the block says so, and read until the
// block's @until rule. What the lecture's client does with socket/connect/send/recv/close, recorded.
import { isoNow } from '../shared/clock';
import type * as net from 'node:net';
import type { ConnectionInfo, Exchange, ExchangeError, Progress } from '../shared/exchange';
import type { ResolvedRequest, SocketRequest } from '../shared/request';
import { connect, type ClientCertificate, type ConnectMarks, type Lookup } from './connect';
import { CANCELLED, WireError, fromUnknown } from './errors';
import { SOCK } from './socketErrors';
import { toWireErrorCode } from '../shared/errorCodes';
import { awaitUntil, Inbox, playSteps, Transcript, type SocketHooks } from './socketSession';

export interface SocketRunOptions {
  signal?: AbortSignal;
  /** Connect (and TLS / WebSocket handshake) timeout, and the longest wait for the server (ms; 0 = none). */
  timeoutMs: number;
  insecure: boolean;
  ca?: string[];
  clientCertificates?: Record<string, ClientCertificate>;
  lookup?: Lookup;
  hooks?: SocketHooks;
  onProgress?: (p: Progress) => void;
  userAgent: string;
  maxHeaderBytes: number;
  /** WebSocket limits. */
  maxMessageBytes: number;
  maxFrameBytes: number;
}

export function emptyConnection(): ConnectionInfo {
  return { localAddress: null, localPort: null, remoteAddress: null, remotePort: null, family: null, reused: false, tls: null };
}

/** The record a socket block starts from: no response, no HTTP. */
export function socketSkeleton(req: ResolvedRequest, kind: 'tcp' | 'udp' | 'websocket'): Exchange {
  return {
    request: { method: req.method, url: req.url, httpVersion: req.httpVersion, headers: req.headers, rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    startedAt: isoNow(),
    kind,
    messages: [],
    socket: { closedBy: null, endReason: '', bytesSent: 0, bytesReceived: 0 },
  };
}

export function connectTimings(ex: Exchange, startedAt: number, marks: ConnectMarks): void {
  const t = ex.timings;
  t.dns = marks.dnsStart !== undefined && marks.dnsEnd !== undefined ? marks.dnsEnd - marks.dnsStart : null;
  const connectFrom = marks.dnsEnd ?? startedAt;
  t.connect = marks.tcpEnd !== undefined ? marks.tcpEnd - connectFrom : null;
  t.tls = marks.tlsEnd !== undefined && marks.tcpEnd !== undefined ? marks.tlsEnd - marks.tcpEnd : null;
}

/** The `@timeout` of the block wins over the engine's. */
export function socketTimeout(req: ResolvedRequest, fallback: number): number {
  return req.options.timeoutMs ?? fallback;
}

export async function runTcp(req: ResolvedRequest, sock: SocketRequest, opts: SocketRunOptions): Promise<Exchange> {
  const startedAt = performance.now();
  const ex = socketSkeleton(req, 'tcp');
  const info = emptyConnection();
  ex.connection = info;
  const marks: ConnectMarks = {};
  const tlsWanted = sock.kind === 'tls';
  const host = sock.host.includes(':') ? `[${sock.host}]` : sock.host;
  const progress = (phase: Progress['phase']): void => opts.onProgress?.({ phase, bytes: 0, total: null, elapsedMs: performance.now() - startedAt });
  const transcript = new Transcript(startedAt, opts.hooks?.onMessage);
  const inbox = new Inbox();
  if (sock.until?.kind === 'text') inbox.watchText(sock.until.text);
  const sent: Buffer[] = [];
  let firstSendAt: number | null = null;
  let firstByteAt: number | null = null;
  let error: ExchangeError | null = null;
  let socket: net.Socket | null = null;
  let closedBy: 'client' | 'server' | 'error' | null = null;
  let endReason = '';

  const finish = (): Exchange => {
    ex.messages = transcript.messages;
    ex.request.rawBase64 = Buffer.concat(sent).toString('base64');
    ex.timings.send = firstSendAt !== null && marks.tcpEnd !== undefined ? Math.max(0, firstSendAt - (marks.tlsEnd ?? marks.tcpEnd)) : null;
    ex.timings.firstByte = firstByteAt !== null ? firstByteAt - (firstSendAt ?? marks.tlsEnd ?? marks.tcpEnd ?? startedAt) : null;
    ex.timings.total = performance.now() - startedAt;
    ex.socket = {
      closedBy,
      endReason,
      bytesSent: transcript.bytesSent,
      bytesReceived: transcript.bytesReceived,
      ...(transcript.dropped ? { droppedMessages: transcript.dropped } : {}),
    };
    ex.error = error;
    progress('done');
    return ex;
  };

  try {
    socket = await connect(
      {
        url: new URL(`${tlsWanted ? 'https' : 'http'}://${host}:${sock.port}`),
        lookup: opts.lookup,
        insecure: opts.insecure,
        ca: opts.ca,
        clientCertificates: opts.clientCertificates,
        connectTimeoutMs: opts.timeoutMs,
        signal: opts.signal,
        marks,
        alpnProtocols: [],
        onPhase: (p) => progress(p === 'dns' ? 'dns' : p === 'tls' ? 'tls' : 'connecting'),
      },
      info,
    );
  } catch (e) {
    connectTimings(ex, startedAt, marks);
    error = fromUnknown(e, 'connect');
    closedBy = 'error';
    endReason = error.message;
    return finish();
  }
  connectTimings(ex, startedAt, marks);
  const s = socket;
  s.on('data', (chunk: Buffer) => {
    firstByteAt ??= performance.now();
    transcript.add('received', chunk);
    inbox.received(chunk);
  });
  let peerEnded = false;
  s.on('end', () => {
    // The peer's FIN: it will send nothing more (the time server's close). Our side closes too.
    peerEnded = true;
    closedBy ??= 'server';
    inbox.close();
  });
  s.on('close', () => inbox.close());
  s.on('error', (e: NodeJS.ErrnoException) => {
    error ??= new WireError(toWireErrorCode(e.code, 'ECONNRESET'), e.message, 'messages').toJSON();
    closedBy ??= 'error';
    inbox.close();
  });

  const write = (data: Uint8Array): boolean => {
    if (inbox.closed || s.destroyed || !s.writable) return false;
    firstSendAt ??= performance.now();
    const b = Buffer.from(data);
    if (sent.reduce((n, x) => n + x.length, 0) < 1024 * 1024) sent.push(b);
    s.write(b);
    transcript.add('sent', b);
    inbox.activity();
    return true;
  };
  opts.hooks?.onOpen?.(
    {
      kind: 'tcp',
      send: (data) => write(data),
      close: () => {
        closedBy ??= 'client';
        endReason ||= 'closed from the panel';
        inbox.stop();
      },
    },
    ex,
  );
  progress('waiting');

  const waitError = await playSteps(
    sock.steps,
    inbox,
    { timeoutMs: opts.timeoutMs, signal: opts.signal, nothing: 'nothing from the server' },
    (step) => write(step.data),
  );
  if (waitError) error = waitError;

  if (!error && !opts.signal?.aborted && !inbox.closed && !inbox.stopped) {
    const r = await awaitUntil(inbox, sock.until, { live: opts.hooks?.live === true, timeoutMs: opts.timeoutMs, signal: opts.signal });
    endReason ||= r.reason;
    if (r.unmet && !error) error = { code: r.outcome === 'timeout' ? 'ETIMEDOUT' : SOCK.UNTIL_NOT_MET, message: r.reason, phase: 'wait' };
  } else if (inbox.closed) endReason ||= peerEnded ? 'the peer closed the connection' : 'the connection closed';
  if (opts.signal?.aborted && !error) error = { code: CANCELLED, message: 'Cancelled', phase: 'messages' };
  if (!inbox.closed) {
    closedBy ??= 'client';
    // Our FIN (close() in the lecture's client); a peer that never answers it is cut after a moment.
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.destroy();
        resolve();
      }, 1000);
      s.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      s.end();
    });
  } else if (peerEnded && !s.destroyed) s.end();
  s.destroy();
  return finish();
}
