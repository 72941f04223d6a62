// SOCKS5 client handshake (RFC 1928) with username/password authentication (RFC 1929), as curl offers it:
// socks5:// resolves the target locally and sends its address, socks5h:// sends the name for the proxy to resolve.
import * as net from 'node:net';
import { CANCELLED, WireError, codeOf } from './errors';
import { PROXY_ERRORS } from './proxy';

export interface SocksOptions {
  /** Name or address to connect to through the proxy. */
  host: string;
  port: number;
  /** Already resolved address to send instead of the name (socks5://), when any. */
  address?: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** For messages: the masked proxy URL. */
  proxy: string;
}

/** RFC 1928 section 6 reply codes. */
const REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** Reads exact byte counts from a socket during the handshake. */
class Reader {
  private buf = Buffer.alloc(0);
  private want: { n: number; resolve: (b: Buffer) => void } | null = null;
  private failed: WireError | null = null;
  private reject: ((e: WireError) => void) | null = null;

  push(d: Buffer): void {
    this.buf = this.buf.length === 0 ? Buffer.from(d) : Buffer.concat([this.buf, d]);
    this.pump();
  }

  fail(e: WireError): void {
    this.failed ??= e;
    this.reject?.(e);
  }

  read(n: number): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<Buffer>((resolve, reject) => {
      this.want = { n, resolve };
      this.reject = reject;
      this.pump();
    });
  }

  get leftover(): number {
    return this.buf.length;
  }

  private pump(): void {
    if (!this.want || this.buf.length < this.want.n) return;
    const { n, resolve } = this.want;
    this.want = null;
    this.reject = null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    resolve(out);
  }
}

function addressBytes(o: SocksOptions): Buffer {
  const a = o.address ?? o.host;
  const family = net.isIP(a);
  if (family === 4) return Buffer.from([0x01, ...a.split('.').map(Number)]);
  if (family === 6) return Buffer.concat([Buffer.from([0x04]), ipv6Bytes(a)]);
  const name = Buffer.from(a, 'utf8');
  if (name.length > 255) throw new WireError(PROXY_ERRORS.SOCKS, `Host name too long for SOCKS5 (${name.length} bytes, at most 255)`, 'connect');
  return Buffer.concat([Buffer.from([0x03, name.length]), name]);
}

function ipv6Bytes(a: string): Buffer {
  const [head, tail] = a.split('::');
  const parts = (s: string | undefined): number[] => (s ? s.split(':').map((p) => parseInt(p, 16)) : []);
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function readAddress(atyp: number, r: Reader): Promise<string> {
  if (atyp === 0x01) return r.read(4).then((b) => [...b].join('.'));
  if (atyp === 0x04) return r.read(16).then((b) => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':'));
  if (atyp === 0x03)
    return r
      .read(1)
      .then((l) => r.read(l[0]))
      .then((b) => b.toString('utf8'));
  return Promise.reject(new WireError(PROXY_ERRORS.SOCKS, `SOCKS5 reply with unknown address type ${atyp}`, 'connect'));
}

/** Runs the handshake; resolves with the bound address the proxy reports (`addr:port`). */
export async function socksHandshake(sock: net.Socket, o: SocksOptions): Promise<string> {
  const r = new Reader();
  const err = (m: string): WireError => new WireError(PROXY_ERRORS.SOCKS, `SOCKS5 proxy ${o.proxy}: ${m}`, 'connect');
  const onData = (d: Buffer): void => r.push(d);
  const onClose = (): void => r.fail(err('closed the connection during the handshake'));
  const onError = (e: NodeJS.ErrnoException): void =>
    r.fail(new WireError(codeOf(e, 'ECONNRESET'), `SOCKS5 proxy ${o.proxy}: ${e.message}`, 'connect'));
  const onAbort = (): void => r.fail(new WireError(CANCELLED, 'Cancelled during the SOCKS5 handshake', 'connect'));
  const timer =
    o.timeoutMs > 0
      ? setTimeout(
          () => r.fail(new WireError('ETIMEDOUT', `SOCKS5 proxy ${o.proxy} did not complete the handshake within ${o.timeoutMs} ms`, 'connect')),
          o.timeoutMs,
        )
      : undefined;
  sock.on('data', onData);
  sock.once('end', onClose);
  sock.once('close', onClose);
  sock.on('error', onError);
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const creds = o.username !== undefined || o.password !== undefined;
    sock.write(Buffer.from(creds ? [0x05, 0x02, 0x00, 0x02] : [0x05, 0x01, 0x00]));
    const choice = await r.read(2);
    if (choice[0] !== 0x05) throw err(`answered with version ${choice[0]}, not SOCKS5`);
    if (choice[1] === 0xff)
      throw err(
        creds
          ? 'accepts none of the offered methods (no authentication, username/password)'
          : 'requires authentication: give user:password in the proxy URL',
      );
    if (choice[1] === 0x02) {
      if (!creds) throw err('chose username/password authentication, which was not offered');
      const u = Buffer.from(o.username ?? '', 'utf8');
      const p = Buffer.from(o.password ?? '', 'utf8');
      if (u.length > 255 || p.length > 255) throw err('user name and password must be at most 255 bytes each');
      sock.write(Buffer.concat([Buffer.from([0x01, u.length]), u, Buffer.from([p.length]), p]));
      const st = await r.read(2);
      if (st[1] !== 0x00) throw err(`rejected the user name or password (status ${st[1]})`);
    } else if (choice[1] !== 0x00) throw err(`chose unsupported method ${choice[1]}`);
    const port = Buffer.alloc(2);
    port.writeUInt16BE(o.port);
    sock.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00]), addressBytes(o), port]));
    const rep = await r.read(4);
    if (rep[0] !== 0x05) throw err(`answered the connect request with version ${rep[0]}`);
    if (rep[1] !== 0x00) throw err(`could not connect to ${o.host}:${o.port}: ${REPLIES[rep[1]] ?? `reply code ${rep[1]}`}`);
    const bound = await readAddress(rep[3], r);
    const bport = (await r.read(2)).readUInt16BE(0);
    if (r.leftover > 0) throw err('sent bytes after its reply, before the tunnel was used');
    return `${bound.includes(':') ? `[${bound}]` : bound}:${bport}`;
  } catch (e) {
    sock.destroy();
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    sock.off('data', onData);
    sock.off('end', onClose);
    sock.off('close', onClose);
    sock.off('error', onError);
    o.signal?.removeEventListener('abort', onAbort);
  }
}
