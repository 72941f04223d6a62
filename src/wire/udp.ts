// UDP blocks: one datagram per message on a connected datagram socket (so that the kernel's ICMP port
// unreachable comes back as ECONNREFUSED), replies collected until the block's rule (default 2 s of silence).
import * as dgram from 'node:dgram';
import type { Exchange, ExchangeError, Progress } from '../shared/exchange';
import type { ResolvedRequest, SocketRequest } from '../shared/request';
import { lookupAll, type ConnectMarks } from './connect';
import { CANCELLED, fromUnknown } from './errors';
import { SOCK } from './socketErrors';
import { toWireErrorCode } from '../shared/errorCodes';
import { awaitUntil, Inbox, playSteps, Transcript } from './socketSession';
import { emptyConnection, socketSkeleton, type SocketRunOptions } from './tcp';

/** The receive buffer Node reads datagrams into; a datagram this long may have been cut by the kernel. */
const RECV_BUFFER = 64 * 1024;

export async function runUdp(req: ResolvedRequest, sock: SocketRequest, opts: SocketRunOptions): Promise<Exchange> {
  const startedAt = performance.now();
  const ex = socketSkeleton(req, 'udp');
  const info = emptyConnection();
  ex.connection = info;
  const marks: ConnectMarks = {};
  const transcript = new Transcript(startedAt, opts.hooks?.onMessage);
  const inbox = new Inbox();
  if (sock.until?.kind === 'text') inbox.watchText(sock.until.text);
  const progress = (phase: Progress['phase']): void => opts.onProgress?.({ phase, bytes: 0, total: null, elapsedMs: performance.now() - startedAt });
  let error: ExchangeError | null = null;
  let endReason = '';
  let firstSendAt: number | null = null;
  let firstByteAt: number | null = null;
  const sent: Buffer[] = [];

  const finish = (): Exchange => {
    ex.messages = transcript.messages;
    ex.request.rawBase64 = Buffer.concat(sent).toString('base64');
    ex.timings.dns = marks.dnsStart !== undefined && marks.dnsEnd !== undefined ? marks.dnsEnd - marks.dnsStart : null;
    ex.timings.firstByte = firstByteAt !== null && firstSendAt !== null ? firstByteAt - firstSendAt : null;
    ex.timings.total = performance.now() - startedAt;
    ex.socket = {
      closedBy: error ? 'error' : 'client',
      endReason,
      bytesSent: transcript.bytesSent,
      bytesReceived: transcript.bytesReceived,
      ...(transcript.dropped ? { droppedMessages: transcript.dropped } : {}),
    };
    ex.error = error;
    progress('done');
    return ex;
  };

  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookupAll(sock.host, {
      url: new URL('udp://x'),
      lookup: opts.lookup,
      insecure: false,
      connectTimeoutMs: opts.timeoutMs,
      signal: opts.signal,
      marks,
      onPhase: () => progress('dns'),
    });
    if (addresses.length === 0) throw Object.assign(new Error(`No address for ${sock.host}`), { code: 'ENOTFOUND' });
  } catch (e) {
    error = fromUnknown(e, 'dns');
    endReason = error.message;
    return finish();
  }
  info.resolvedAddresses = addresses.map((a) => a.address);
  const { address, family } = addresses[0];
  const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER });
  s.on('error', (e: NodeJS.ErrnoException) => {
    // On a connected socket, an ICMP port unreachable from an earlier datagram arrives as ECONNREFUSED.
    error ??= {
      code: toWireErrorCode(e.code),
      message:
        e.code === 'ECONNREFUSED' ? `Port ${sock.port} on ${address} is unreachable (ICMP port unreachable): nothing listens there` : e.message,
      phase: 'messages',
    };
    inbox.close();
  });
  s.on('message', (msg: Buffer) => {
    firstByteAt ??= performance.now();
    transcript.add('received', msg, msg.length >= RECV_BUFFER ? { truncated: true } : {});
    inbox.received(msg);
  });
  progress('connecting');
  const connectStart = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
      s.connect(sock.port, address);
    });
  } catch (e) {
    error = fromUnknown(e, 'connect');
    endReason = error.message;
    s.close();
    return finish();
  }
  ex.timings.connect = performance.now() - connectStart;
  try {
    const local = s.address();
    const remote = s.remoteAddress();
    Object.assign(info, {
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      family: remote.family === 'IPv6' ? 'IPv6' : 'IPv4',
    });
  } catch {
    // not connected after all: the error handler reports it
  }

  const send = (data: Uint8Array): Promise<boolean> =>
    new Promise((resolve) => {
      if (inbox.closed) {
        resolve(false);
        return;
      }
      firstSendAt ??= performance.now();
      const b = Buffer.from(data);
      if (sent.reduce((n, x) => n + x.length, 0) < 1024 * 1024) sent.push(b);
      s.send(b, (e) => {
        if (e) {
          const code = toWireErrorCode((e as NodeJS.ErrnoException).code);
          error ??= { code, message: code === 'EMSGSIZE' ? `The datagram (${b.length} bytes) is too large to send` : e.message, phase: 'send' };
          inbox.close();
          resolve(false);
          return;
        }
        transcript.add('sent', b);
        inbox.activity();
        resolve(true);
      });
    });
  opts.hooks?.onOpen?.(
    {
      kind: 'udp',
      send: (d) => {
        void send(d);
        return !inbox.closed;
      },
      close: () => {
        endReason ||= 'closed from the panel';
        inbox.stop();
      },
    },
    ex,
  );
  progress('waiting');

  const waitError = await playSteps(sock.steps, inbox, { timeoutMs: opts.timeoutMs, signal: opts.signal, nothing: 'no datagram' }, (step) =>
    send(step.data),
  );
  if (waitError) error = waitError;
  if (!error && !inbox.closed && !inbox.stopped && !opts.signal?.aborted) {
    // UDP has no close: the live panel keeps listening only while asked to; the rest ends on silence.
    const r = await awaitUntil(inbox, sock.until, { live: false, timeoutMs: opts.timeoutMs, signal: opts.signal });
    endReason ||= r.reason.replace('the peer closed the connection', 'the socket failed');
    if (r.unmet && !error) error = { code: r.outcome === 'timeout' ? 'ETIMEDOUT' : SOCK.UNTIL_NOT_MET, message: r.reason, phase: 'wait' };
  }
  if (opts.signal?.aborted && !error) error = { code: CANCELLED, message: 'Cancelled', phase: 'messages' };
  if (error && !endReason) endReason = error.message;
  s.close();
  return finish();
}
