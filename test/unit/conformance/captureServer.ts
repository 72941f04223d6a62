// A loopback HTTP/1.1 server that records every request exactly as it arrives (head and body bytes, several
// per connection), answers 200 (or a Digest challenge when asked to), for the conformance corpus.
import { createHash } from 'node:crypto';
import * as net from 'node:net';

export interface Captured {
  raw: Buffer;
  head: string;
  body: Buffer;
  /** WebSocket: the text of each data frame the client sent after the handshake. */
  messages?: string[];
}

export interface CaptureServer {
  port: number;
  url: string;
  requests: Captured[];
  close(): Promise<void>;
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: 'MD5' | 'SHA-256';
  qop?: 'auth';
  opaque?: string;
  user: string;
  password: string;
}

/** Reads requests one after another from a connection's bytes (Content-Length or chunked bodies). */
function nextRequest(buf: Buffer): { req: Captured; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let p = end + 4;
    const body: Buffer[] = [];
    for (;;) {
      const le = buf.indexOf('\r\n', p);
      if (le < 0) return null;
      const size = parseInt(buf.subarray(p, le).toString('latin1'), 16);
      if (Number.isNaN(size)) return null;
      if (buf.length < le + 2 + size + 2) return null;
      if (size === 0) {
        const fin = buf.indexOf('\r\n\r\n', le);
        if (fin < 0) return null;
        return { req: { raw: buf.subarray(0, fin + 4), head, body: Buffer.concat(body) }, rest: buf.subarray(fin + 4) };
      }
      body.push(buf.subarray(le + 2, le + 2 + size));
      p = le + 2 + size + 2;
    }
  }
  const need = end + 4 + (cl ? Number(cl[1]) : 0);
  if (buf.length < need) return null;
  return { req: { raw: buf.subarray(0, need), head, body: buf.subarray(end + 4, need) }, rest: buf.subarray(need) };
}

function digestOk(head: string, c: DigestChallenge): boolean {
  const auth = /\r\nauthorization:\s*Digest\s+(.*)/i.exec(head)?.[1];
  if (!auth) return false;
  const params: Record<string, string> = {};
  for (const m of auth.matchAll(/([a-z0-9-]+)=(?:"([^"]*)"|([^,\s]*))/gi)) params[m[1].toLowerCase()] = m[2] ?? m[3];
  const h = (s: string): string =>
    createHash(c.algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(s)
      .digest('hex');
  const method = head.slice(0, head.indexOf(' '));
  const target = head.split(' ')[1];
  if (params.uri !== target) return false;
  const ha1 = h(`${c.user}:${c.realm}:${c.password}`);
  const ha2 = h(`${method}:${params.uri}`);
  const expected = c.qop ? h(`${ha1}:${c.nonce}:${params.nc}:${params.cnonce}:${params.qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
  return params.response === expected && params.username === c.user && params.nonce === c.nonce;
}

/** An answer for the requests whose target's path is `path` (request variables, redirects of doc examples). */
export interface Route {
  /** Answer only after this long (a slow endpoint, for timeouts). */
  delayMs?: number;
  status?: number;
  headers?: [string, string][];
  body?: string;
  contentType?: string;
}

/** Answer an Upgrade: websocket request with 101, record the client's frames, close (1000) after that many. */
export interface WebSocketOptions {
  closeAfter: number;
}

export interface CaptureOptions {
  websocket?: WebSocketOptions;
  digest?: DigestChallenge;
  body?: string;
  contentType?: string;
  routes?: Record<string, Route>;
}

/** Sends a close frame (1000, unmasked: server to client). */
function closeWs(sock: net.Socket): void {
  if (!sock.writable) return;
  sock.write(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
  sock.end();
}

/** Reads the client's (masked) frames from buf; returns what is left. Data frames are kept as text. */
function readFrames(buf: Buffer, ws: Captured, sock: net.Socket, closeAfter: number): Buffer {
  for (;;) {
    if (buf.length < 2) return buf;
    const opcode = buf[0] & 0x0f;
    let len = buf[1] & 0x7f;
    let p = 2;
    if (len === 126) {
      if (buf.length < 4) return buf;
      len = buf.readUInt16BE(2);
      p = 4;
    } else if (len === 127) {
      if (buf.length < 10) return buf;
      len = Number(buf.readBigUInt64BE(2));
      p = 10;
    }
    const masked = (buf[1] & 0x80) !== 0;
    const need = p + (masked ? 4 : 0) + len;
    if (buf.length < need) return buf;
    const mask = masked ? buf.subarray(p, p + 4) : null;
    const payload = Buffer.from(buf.subarray(need - len, need));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
    buf = buf.subarray(need);
    if (opcode === 0x8) {
      closeWs(sock);
      return Buffer.alloc(0);
    }
    if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
      ws.messages?.push(payload.toString('utf8'));
      if (ws.messages && ws.messages.length === closeAfter) closeWs(sock);
    }
  }
}

export async function captureServer(opts: CaptureOptions = {}): Promise<CaptureServer> {
  const requests: Captured[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf: Buffer = Buffer.alloc(0);
    let ws: Captured | null = null;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (ws) {
        buf = readFrames(buf, ws, sock, opts.websocket?.closeAfter ?? 0);
        return;
      }
      for (;;) {
        const got = nextRequest(buf);
        if (!got) return;
        buf = got.rest;
        requests.push(got.req);
        const key = /\r\nsec-websocket-key:\s*(\S+)/i.exec(got.req.head)?.[1];
        if (opts.websocket && key && /\r\nupgrade:\s*websocket/i.test(got.req.head)) {
          ws = got.req;
          ws.messages = [];
          const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
          sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
          if (opts.websocket.closeAfter === 0) closeWs(sock);
          buf = readFrames(buf, ws, sock, opts.websocket.closeAfter);
          return;
        }
        const c = opts.digest;
        if (c && !digestOk(got.req.head, c)) {
          const fields = [`realm="${c.realm}"`, `nonce="${c.nonce}"`, `algorithm=${c.algorithm}`];
          if (c.qop) fields.push(`qop="${c.qop}"`);
          if (c.opaque) fields.push(`opaque="${c.opaque}"`);
          sock.write(`HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest ${fields.join(', ')}\r\nContent-Length: 0\r\n\r\n`);
          continue;
        }
        const route = opts.routes?.[(got.req.head.split(' ')[1] ?? '').split('?')[0]];
        const body = route?.body ?? opts.body ?? 'ok';
        const extra = (route?.headers ?? []).map(([n, v]) => `${n}: ${v}\r\n`).join('');
        const answer = (): unknown =>
          sock.writable &&
          sock.write(
            `HTTP/1.1 ${route?.status ?? 200} ${route?.status ? 'Answer' : 'OK'}\r\n${extra}Content-Type: ${route?.contentType ?? opts.contentType ?? 'text/plain'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
        if (route?.delayMs) setTimeout(answer, route.delayMs);
        else answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
