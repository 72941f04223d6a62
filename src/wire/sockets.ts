// Dispatch for socket blocks: TCP and TLS, UDP, WebSocket. Like `send`, it never rejects.
import type { Exchange } from '../shared/exchange';
import type { ResolvedRequest, SocketRequest } from '../shared/request';
import { fromUnknown } from './errors';
import { runTcp, socketSkeleton, type SocketRunOptions } from './tcp';
import { runUdp } from './udp';
import { runWebSocket } from './websocket/session';
import type { SendOptions } from './sendOptions';

export async function runSocket(req: ResolvedRequest, sock: SocketRequest, opts: SendOptions): Promise<Exchange> {
  const run: SocketRunOptions = {
    signal: opts.signal,
    timeoutMs: req.options.timeoutMs ?? opts.timeoutMs ?? 30_000,
    insecure: (req.options.insecure ?? opts.insecure) === true,
    ca: opts.ca,
    clientCertificates: opts.clientCertificates,
    lookup: opts.lookup,
    hooks: opts.socket,
    onProgress: opts.onProgress,
    userAgent: opts.userAgent ?? 'wirelens/0.1',
    maxHeaderBytes: opts.maxHeaderBytes ?? 256 * 1024,
    maxMessageBytes: opts.maxMessageBytes ?? 64 * 1024 * 1024,
    maxFrameBytes: opts.maxFrameBytes ?? 64 * 1024 * 1024,
  };
  try {
    if (sock.kind === 'udp') return await runUdp(req, sock, run);
    if (sock.kind === 'websocket') return await runWebSocket(req, sock, run);
    return await runTcp(req, sock, run);
  } catch (e) {
    const ex = socketSkeleton(req, sock.kind === 'tls' ? 'tcp' : sock.kind);
    ex.error = fromUnknown(e, 'messages');
    return ex;
  }
}
