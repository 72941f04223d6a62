// DNS (all addresses; literal IPs skip it), TCP connect with fallback over the addresses, then TLS with SNI,
// ALPN http/1.1 and the verification decided here so that a rejected certificate is still described.
import { isoNow } from '../shared/clock';
import { promises as dns } from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ConnectionInfo, Exchange } from '../shared/exchange';
import { isWireErrorCode } from '../shared/errorCodes';
import { CANCELLED, codeOf, WireError, WL } from './errors';
import { connectTunnel, proxyInfo, tlsToProxy, type ProxyRoute } from './proxy';
import { socksHandshake } from './socks';
import { plainReason, tlsFailure } from './tlsAlerts';
import { tlsInfo } from './tlsInfo';

/** A client certificate: PEM text or a path to a PEM / PFX file. */
export interface ClientCertificate {
  cert?: string;
  key?: string;
  pfx?: string;
  passphrase?: string;
}

/** Every address of a name, in the order to try them. */
export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) => dns.lookup(host, { all: true, verbatim: true });

export interface ConnectOptions {
  url: URL;
  /** Resolver used instead of the system's (getaddrinfo, all addresses, in its order). */
  lookup?: Lookup;
  insecure: boolean;
  /** Extra trusted roots (PEM), added to Node's defaults. */
  ca?: string[];
  /** By `host:port` or `host`. */
  clientCertificates?: Record<string, ClientCertificate>;
  connectTimeoutMs: number;
  signal?: AbortSignal;
  /** Marks, in performance.now() ms. */
  marks: ConnectMarks;
  onPhase?: (phase: 'dns' | 'connecting' | 'tls') => void;
  /** For http: deliver reads through this hook instead of 'data' events. */
  readHook?: ReadHook;
  /** A TLS session of an earlier connection to the same origin, offered for resumption. */
  session?: Buffer;
  /** Receives every TLS session (ticket) the server issues on this connection. */
  onSession?: (session: Buffer) => void;
  /** Go through this proxy (connect.ts connects to it; hop.ts writes the absolute form for a forward proxy). */
  proxy?: ProxyRoute | null;
  /** The CONNECT exchange with the proxy, once it is known (also on failure, through ProxyError). */
  onTunnel?: (leg: Exchange) => void;
  userAgent?: string;
  maxHeaderBytes?: number;
  /** ALPN protocols offered in TLS (default `http/1.1`; raw TLS blocks offer none). */
  alpnProtocols?: string[];
}

export interface ConnectMarks {
  dnsStart?: number;
  dnsEnd?: number;
  tcpEnd?: number;
  tlsEnd?: number;
}

/** Receives the bytes of a plain connection; what arrives before the caller attaches is held for it. */
export class ReadHook {
  private pending: Buffer[] = [];
  private fn: ((chunk: Buffer) => void) | null = null;

  /** `chunk` may be a view of the shared read buffer: it is valid only during this call. */
  push(chunk: Buffer): void {
    if (this.fn) this.fn(chunk);
    else this.pending.push(Buffer.from(chunk));
  }

  attach(fn: (chunk: Buffer) => void): void {
    this.fn = fn;
    for (const b of this.pending.splice(0)) fn(b);
  }

  /** Back to holding reads until the next attach (a connection handed between exchanges by the pool). */
  detach(): void {
    this.fn = null;
  }
}

let shared: Buffer | null = null;
function readBuffer(): Buffer {
  return (shared ??= Buffer.allocUnsafe(1024 * 1024));
}

export interface Connected {
  socket: net.Socket;
  info: ConnectionInfo;
}

/** Waits for a promise, or fails on abort / timeout. The loser is left to settle on its own. */
function guard<T>(p: Promise<T>, signal: AbortSignal | undefined, ms: number, onTimeout: () => WireError, onAbort: () => WireError): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const abort = (): void => {
      cleanup();
      reject(onAbort());
    };
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    };
    if (signal?.aborted) {
      reject(onAbort());
      return;
    }
    signal?.addEventListener('abort', abort, { once: true });
    if (ms > 0)
      timer = setTimeout(() => {
        cleanup();
        reject(onTimeout());
      }, ms);
    p.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}

function readMaybePath(v: string | undefined): string | Buffer | undefined {
  if (v === undefined) return undefined;
  if (v.includes('-----BEGIN')) return v;
  return fs.readFileSync(v);
}

/** The client certificate configured for a URL's host (by `host:port`, then `host`), if any. */
export function clientCertFor(map: Record<string, ClientCertificate> | undefined, url: URL, port: number): ClientCertificate | undefined {
  if (!map) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return map[`${host}:${port}`] ?? map[host] ?? map[url.host];
}

function clientCert(opts: ConnectOptions, port: number): Pick<tls.ConnectionOptions, 'cert' | 'key' | 'pfx' | 'passphrase'> {
  const host = opts.url.hostname.replace(/^\[|\]$/g, '');
  const c = clientCertFor(opts.clientCertificates, opts.url, port);
  if (!c) return {};
  try {
    return {
      cert: readMaybePath(c.cert),
      key: readMaybePath(c.key),
      pfx: c.pfx === undefined ? undefined : fs.readFileSync(c.pfx),
      passphrase: c.passphrase,
    };
  } catch (e) {
    throw new WireError(WL.CLIENT_CERT, `Cannot read the client certificate for ${host}: ${e instanceof Error ? e.message : String(e)}`, 'tls');
  }
}

export async function lookupAll(host: string, opts: ConnectOptions): Promise<{ address: string; family: number }[]> {
  if (net.isIP(host)) return [{ address: host, family: net.isIP(host) }];
  opts.onPhase?.('dns');
  opts.marks.dnsStart = performance.now();
  const found = await guard(
    (opts.lookup ?? systemLookup)(host),
    opts.signal,
    opts.connectTimeoutMs,
    () => new WireError('ETIMEDOUT', `DNS lookup of ${host} timed out after ${opts.connectTimeoutMs} ms`, 'dns'),
    () => new WireError(CANCELLED, 'Cancelled during DNS lookup', 'dns'),
  ).catch((e: unknown) => {
    if (e instanceof WireError) throw e;
    const raw = (e as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
    throw new WireError(codeOf(e, 'ENOTFOUND'), `DNS lookup of ${host} failed: ${raw}`, 'dns');
  });
  opts.marks.dnsEnd = performance.now();
  return found;
}

/**
 * RFC 8305's connection attempt delay: while an address has not connected after this long, the next one is
 * tried beside it, so an address that drops packets (an IPv6 route that goes nowhere) costs a moment, not the
 * whole connect timeout.
 */
export const ATTEMPT_DELAY_MS = 250;

function openSocket(address: string, family: number, port: number, opts: ConnectOptions): net.Socket {
  // Plain sockets read into one large shared buffer (fewer, bigger reads than the default 64 KiB). Reads are
  // handled synchronously and whatever is kept is copied out, so one buffer serves every connection.
  const s = opts.readHook
    ? net.connect({
        host: address,
        port,
        family,
        noDelay: true,
        onread: {
          buffer: readBuffer(),
          callback: (n: number, buf: Uint8Array): boolean => {
            opts.readHook?.push(Buffer.from(buf.buffer, buf.byteOffset, n));
            return true;
          },
        },
      })
    : net.connect({ host: address, port, family, noDelay: true });
  // Never an unhandled 'error' between here and the caller attaching its own listener.
  s.on('error', () => undefined);
  return s;
}

/**
 * Connects to the first of the addresses that answers: in order, each started when the one before failed or
 * stayed silent for ATTEMPT_DELAY_MS, the earlier attempts kept running. One timeout covers them all.
 */
function connectAny(addresses: { address: string; family: number }[], port: number, opts: ConnectOptions): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const pending = new Set<net.Socket>();
    let next = 0;
    let settled = false;
    let overall: NodeJS.Timeout | undefined;
    let stagger: NodeJS.Timeout | undefined;
    const settle = (): void => {
      settled = true;
      clearTimeout(overall);
      clearTimeout(stagger);
      opts.signal?.removeEventListener('abort', onAbort);
      for (const o of pending) o.destroy();
      pending.clear();
    };
    const lose = (err: WireError): void => {
      if (settled) return;
      settle();
      reject(err);
    };
    const start = (): void => {
      clearTimeout(stagger);
      if (settled || next >= addresses.length) return;
      const { address, family } = addresses[next++];
      const s = openSocket(address, family, port, opts);
      pending.add(s);
      const onConnect = (): void => {
        s.removeListener('error', onError);
        pending.delete(s);
        if (settled) {
          s.destroy();
          return;
        }
        settle();
        resolve(s);
      };
      const onError = (e: NodeJS.ErrnoException): void => {
        s.removeListener('connect', onConnect);
        pending.delete(s);
        s.destroy();
        if (settled) return;
        // A failed attempt hands over at once; the last failure is the one reported.
        if (next < addresses.length) start();
        else if (pending.size === 0) lose(new WireError(codeOf(e, 'ECONNREFUSED'), `Connecting to ${address} port ${port}: ${e.message}`, 'connect'));
      };
      s.once('connect', onConnect);
      s.once('error', onError);
      if (next < addresses.length) stagger = setTimeout(start, ATTEMPT_DELAY_MS);
    };
    const onAbort = (): void => lose(new WireError(CANCELLED, 'Cancelled while connecting', 'connect'));
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.connectTimeoutMs > 0) {
      const where = addresses.map((a) => a.address).join(', ');
      overall = setTimeout(
        () => lose(new WireError('ETIMEDOUT', `Connecting to ${where} port ${port} timed out after ${opts.connectTimeoutMs} ms`, 'connect')),
        opts.connectTimeoutMs,
      );
    }
    start();
  });
}

/**
 * Secure contexts for extra roots (the system's plus the request's CA), by the roots' text: building one parses
 * every system root again, tens of milliseconds per new connection. Bounded; only without a client certificate
 * (its key and chain are part of the context).
 */
const contexts = new Map<string, tls.SecureContext>();
const CONTEXTS_MAX = 16;

function trust(ca: readonly string[] | undefined, own: object): Pick<tls.ConnectionOptions, 'ca' | 'secureContext'> {
  if (!ca || ca.length === 0) return {};
  if (Object.values(own).some((v) => v !== undefined)) return { ca: [...tls.rootCertificates, ...ca] };
  const key = ca.join('\n');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...ca] });
    if (contexts.size >= CONTEXTS_MAX) contexts.clear();
    contexts.set(key, ctx);
  }
  return { secureContext: ctx };
}

function tlsHandshake(raw: net.Socket, host: string, port: number, opts: ConnectOptions, info: ConnectionInfo): Promise<tls.TLSSocket> {
  const servername = net.isIP(host) ? null : host;
  let own: ReturnType<typeof clientCert>;
  try {
    own = clientCert(opts, port);
  } catch (e) {
    raw.destroy();
    return Promise.reject(e);
  }
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({
      socket: raw,
      host,
      servername: servername ?? undefined,
      ALPNProtocols: opts.alpnProtocols ?? ['http/1.1'],
      // Verified below, so that a rejected certificate can still be described in the record.
      rejectUnauthorized: false,
      ...trust(opts.ca, own),
      session: opts.session,
      ...own,
    });
    s.on('error', () => undefined);
    // TLS 1.3 tickets arrive after the handshake, possibly several: the latest is the one to offer next time.
    const onSession = opts.onSession;
    if (onSession) s.on('session', (sess: Buffer) => onSession(sess));
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: WireError | null): void => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      s.removeListener('error', onError);
      if (err) {
        s.destroy();
        raw.destroy();
        reject(err);
      } else resolve(s);
    };
    const onAbort = (): void => finish(new WireError(CANCELLED, 'Cancelled during the TLS handshake', 'tls'));
    const onError = (e: NodeJS.ErrnoException & { reason?: unknown }): void => {
      // OpenSSL's message carries its error queue and source paths: alerts become typed codes in plain words.
      const typed = tlsFailure(e, { host: `${host}:${port}`, clientCertificate: own.cert !== undefined || own.pfx !== undefined });
      const code = codeOf(e, 'ERR_TLS');
      finish(typed ?? new WireError(code, `TLS handshake failed: ${plainReason(e)}${code === WL.SYSTEM ? ` (${e.code})` : ''}`, 'tls'));
    };
    s.once('error', onError);
    s.once('secureConnect', () => {
      opts.marks.tlsEnd = performance.now();
      info.tls = tlsInfo(s, servername);
      info.tls.resumed = s.isSessionReused();
      if (!s.authorized && !opts.insecure) {
        const reason = info.tls.authorizationError ?? 'ERR_TLS_CERT_UNTRUSTED';
        // A verification code the table does not list still fails as untrusted; the message keeps OpenSSL's name.
        const code = isWireErrorCode(reason) ? reason : 'ERR_TLS_CERT_UNTRUSTED';
        finish(new WireError(code, `Certificate rejected (${reason}); trust it with a CA or send with --insecure / # @insecure`, 'tls'));
        return;
      }
      finish(null);
    });
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.connectTimeoutMs > 0)
      timer = setTimeout(
        () => finish(new WireError('ETIMEDOUT', `TLS handshake timed out after ${opts.connectTimeoutMs} ms`, 'tls')),
        opts.connectTimeoutMs,
      );
  });
}

function fillAddresses(sock: net.Socket, info: ConnectionInfo): void {
  info.localAddress = sock.localAddress ?? null;
  info.localPort = sock.localPort ?? null;
  info.remoteAddress = sock.remoteAddress ?? null;
  info.remotePort = sock.remotePort ?? null;
  info.family = sock.remoteFamily === 'IPv6' ? 'IPv6' : sock.remoteFamily === 'IPv4' ? 'IPv4' : null;
}

/** A CONNECT leg in the record's shape, its connection facts those of the socket to the proxy. */
function tunnelLeg(info: ConnectionInfo): Exchange {
  return {
    request: { method: 'CONNECT', url: '', httpVersion: 'HTTP/1.1', headers: [], rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: { ...info, tls: null, proxy: null },
    redirects: [],
    notes: [],
    error: null,
    startedAt: isoNow(),
  };
}

/**
 * Through a proxy: DNS and TCP to the proxy (TLS too for https://), then CONNECT (https targets), a SOCKS5
 * handshake, or nothing more (http targets through an HTTP proxy: the hop writes the absolute form). Ends
 * with the TLS handshake with the target over the tunnel. The record's addresses are those of the proxy.
 */
async function connectViaProxy(
  opts: ConnectOptions,
  route: ProxyRoute,
  info: ConnectionInfo,
  host: string,
  port: number,
  https: boolean,
): Promise<net.Socket> {
  const started = performance.now();
  const mode = route.kind === 'socks5' || route.kind === 'socks5h' ? 'socks' : https ? 'tunnel' : 'forward';
  const proxy = proxyInfo(route, opts.url, mode);
  info.proxy = proxy;
  const addresses = await lookupAll(route.host, opts).catch((e: unknown) => {
    throw e instanceof WireError ? new WireError(e.code, `Proxy ${route.masked}: ${e.message}`, e.phase) : e;
  });
  info.resolvedAddresses = addresses.map((a) => a.address);
  opts.onPhase?.('connecting');
  if (addresses.length === 0) throw new WireError('ENOTFOUND', `No address for proxy ${route.host}`, 'dns');
  // Only a plain forward proxy carries the response straight to the hop's read hook.
  const useHook = mode === 'forward' && route.kind === 'http';
  let sock: net.Socket = await connectAny(addresses, route.port, useHook ? opts : { ...opts, readHook: undefined }).catch((e: unknown) => {
    throw e instanceof WireError ? new WireError(e.code, `Proxy ${route.masked} (${route.source}): ${e.message}`, e.phase) : e;
  });
  const toProxy = performance.now();
  fillAddresses(sock, info);
  proxy.address = info.remoteAddress;
  proxy.port = info.remotePort;
  if (route.kind === 'https') sock = await tlsToProxy(sock, route, opts.ca, opts.connectTimeoutMs, opts.signal);
  const proxyReady = performance.now();
  if (mode === 'socks') {
    let address: string | undefined;
    // socks5:// resolves the target here (the proxy gets an address); socks5h:// leaves the name to the proxy.
    if (route.kind === 'socks5' && !net.isIP(host)) {
      const found = await lookupAll(host, { ...opts, marks: {} });
      if (found.length === 0) throw new WireError('ENOTFOUND', `No address for ${host}`, 'dns');
      address = found[0].address;
    }
    proxy.bound = await socksHandshake(sock, {
      host,
      port,
      address,
      username: route.username,
      password: route.password,
      timeoutMs: opts.connectTimeoutMs,
      signal: opts.signal,
      proxy: route.masked,
    });
  } else if (mode === 'tunnel') {
    const leg = tunnelLeg(info);
    const m = opts.marks;
    leg.timings.dns = m.dnsEnd !== undefined && m.dnsStart !== undefined ? m.dnsEnd - m.dnsStart : null;
    leg.timings.connect = toProxy - (m.dnsEnd ?? started);
    leg.timings.tls = route.kind === 'https' ? proxyReady - toProxy : null;
    try {
      await connectTunnel(sock, {
        route,
        target: opts.url,
        userAgent: opts.userAgent,
        timeoutMs: opts.connectTimeoutMs,
        maxHeaderBytes: opts.maxHeaderBytes ?? 64 * 1024,
        signal: opts.signal,
        leg,
        startedAt: started,
      });
    } finally {
      opts.onTunnel?.(leg);
    }
  }
  // The path to the target is open: the record's connect time covers the proxy's part.
  opts.marks.tcpEnd = performance.now();
  if (!https) return sock;
  opts.onPhase?.('tls');
  return tlsHandshake(sock, host, port, opts, info);
}

/** Connects; on failure the partially filled `info` stays with the caller (addresses tried, TLS facts). */
export async function connect(opts: ConnectOptions, info: ConnectionInfo): Promise<net.Socket> {
  const { url } = opts;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:' || url.protocol === 'wss:';
  const port = Number(url.port || (https ? 443 : 80));
  if (opts.proxy) return connectViaProxy(opts, opts.proxy, info, host, port, https);
  const addresses = await lookupAll(host, opts);
  info.resolvedAddresses = addresses.map((a) => a.address);
  opts.onPhase?.('connecting');
  if (addresses.length === 0) throw new WireError('ENOTFOUND', `No address for ${host}`, 'dns');
  // TLS reads the raw socket itself; only plain http takes the read hook.
  const sock = await connectAny(addresses, port, https ? { ...opts, readHook: undefined } : opts);
  opts.marks.tcpEnd = performance.now();
  fillAddresses(sock, info);
  if (!https) return sock;
  opts.onPhase?.('tls');
  return tlsHandshake(sock, host, port, opts, info);
}
