// Loopback servers for the engine tests: a raw TCP server that hands each connection's request bytes to a
// script (so responses can be hostile), and a TLS variant. Only 127.0.0.1 and ::1, port 0.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ResolvedRequest } from '../../../src/shared/request';

export interface Received {
  head: string;
  body: Buffer;
  raw: Buffer;
}

export type Script = (sock: net.Socket, req: Received) => void;

export interface TestServer {
  port: number;
  host: string;
  /** Base URL, e.g. http://127.0.0.1:1234 or http://[::1]:1234. */
  url: string;
  requests: Received[];
  /** Sockets accepted, including ones that never sent a full request. */
  connections: number;
  close(): Promise<void>;
}

/** Reads one request (head + Content-Length body) from the socket, then runs the script. */
function attach(sock: net.Socket, script: Script, srv: TestServer): void {
  const parts: Buffer[] = [];
  let len = 0;
  let handled = false;
  sock.on('error', () => undefined);
  sock.on('data', (d: Buffer) => {
    if (handled) return;
    parts.push(d);
    len += d.length;
    const all = Buffer.concat(parts, len);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = all.subarray(0, end).toString('latin1');
    const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const need = end + 4 + (cl ? Number(cl[1]) : 0);
    if (all.length < need) return;
    handled = true;
    const r = { head, body: all.subarray(end + 4, need), raw: all.subarray(0, need) };
    srv.requests.push(r);
    script(sock, r);
  });
}

async function listen(server: net.Server, host: string, proto: string, srv: Omit<TestServer, 'port' | 'url' | 'close'>): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const out = srv as TestServer;
  out.port = port;
  out.url = `${proto}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  out.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return out;
}

export async function rawServer(script: Script, host = '127.0.0.1'): Promise<TestServer> {
  const srv = { host, requests: [] as Received[], connections: 0 } as TestServer;
  const server = net.createServer((sock) => {
    srv.connections++;
    attach(sock, script, srv);
  });
  return listen(server, host, 'http', srv);
}

export async function tlsServer(script: Script, options: tls.TlsOptions, host = '127.0.0.1'): Promise<TestServer & { server: tls.Server }> {
  const srv = { host, requests: [] as Received[], connections: 0 } as TestServer & { server: tls.Server };
  const server = tls.createServer({ ALPNProtocols: ['http/1.1'], ...options }, (sock) => {
    srv.connections++;
    attach(sock, script, srv);
  });
  server.on('tlsClientError', () => undefined);
  srv.server = server;
  return Object.assign(await listen(server, host, 'https', srv), { server });
}

/** A server that accepts and then says nothing (for waits, timeouts and cancellation). */
export async function silentServer(host = '127.0.0.1'): Promise<TestServer> {
  const srv = { host, requests: [] as Received[], connections: 0 } as TestServer;
  const server = net.createServer((sock) => {
    srv.connections++;
    sock.on('error', () => undefined);
  });
  return listen(server, host, 'http', srv);
}

/** Replies with fixed bytes and closes. */
export const reply =
  (bytes: string | Buffer, close = true): Script =>
  (sock) => {
    sock.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    if (close) sock.end();
  };

export function request(url: string, extra: Partial<ResolvedRequest> = {}): ResolvedRequest {
  return { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {}, ...extra };
}

/** A port with nothing listening on it (bound, then closed). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
