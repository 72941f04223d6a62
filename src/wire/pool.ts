// Keep-alive: idle HTTP/1.x connections by origin, handed to the next request to the same origin, and the
// latest TLS session per origin for resumption on new connections. The pool never decides whether a
// connection may be reused (the hop does, from the response); it only keeps what it was given, drops what the
// peer closes or writes to while idle, and forgets connections after the idle time.
// One pool is owned by whoever owns the run: a run of the CLI, the editor window (idle time from a setting).
import { createHash } from 'node:crypto';
import type { ConnectionInfo } from '../shared/exchange';
import type { ConnectionTap } from './connectionTap';

/** What identifies an origin for reuse: a connection is only handed to a request that would have opened the same. */
export interface OriginParts {
  protocol: string;
  host: string;
  port: number;
  insecure: boolean;
  /** Extra trusted roots (PEM); hashed into the key. */
  ca?: readonly string[];
  /** The client certificate chosen for this host (hashed), when any. */
  clientCert?: string;
  /** The proxy URL (with credentials: two users of one proxy are two origins), or '' for a direct connection. */
  proxy?: string;
}

/** The hash of each set of extra roots seen (the same array comes with every request of a run). */
const caHashes = new WeakMap<readonly string[], string>();
/** Recent key suffixes by roots, client certificate and proxy: computed once, not hashed again per request. */
const suffixes = new Map<string, string>();
const SUFFIXES_MAX = 256;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function originKey(o: OriginParts): string {
  let ca = '';
  if (o.ca && o.ca.length > 0) {
    ca = caHashes.get(o.ca) ?? '';
    if (!ca) caHashes.set(o.ca, (ca = sha256(JSON.stringify(o.ca))));
  }
  const parts = `${ca}\n${o.clientCert ?? ''}\n${o.proxy ?? ''}`;
  let suffix = suffixes.get(parts);
  if (suffix === undefined) {
    suffix = sha256(JSON.stringify([o.ca ?? [], o.clientCert ?? '', o.proxy ?? ''])).slice(0, 16);
    if (suffixes.size >= SUFFIXES_MAX) suffixes.clear();
    suffixes.set(parts, suffix);
  }
  const host = o.host.toLowerCase().replace(/^\[|\]$/g, '');
  return `${o.protocol}//${host}:${o.port}${o.insecure ? ' insecure' : ''} ${suffix}`;
}

/** A connection the pool holds while idle, with what the next exchange on it needs to describe it. */
export interface PooledConnection {
  key: string;
  /** The connection and the one set of listeners on it, which the pool and the next exchange take in turn. */
  tap: ConnectionTap;
  /** The connection facts as recorded by the exchange that opened it (addresses, TLS, proxy). */
  info: ConnectionInfo;
  /** Id of the exchange that opened the connection. */
  openedBy: string;
  /** Exchanges completed on it so far. */
  uses: number;
}

export interface PoolOptions {
  /** How long an idle connection is kept (ms); 0 keeps none (every request opens a new connection). */
  idleMs: number;
  /** Idle connections kept per origin (Send All is sequential: one is the usual need). */
  maxPerOrigin?: number;
  /** Idle connections kept in all. */
  maxTotal?: number;
}

interface Idle {
  conn: PooledConnection;
  /** performance.now() after which the connection is no longer handed out. */
  until: number;
}

/** Sessions kept per origin for resumption, and how many origins remember one. */
const MAX_SESSIONS = 256;

export class ConnectionPool {
  private idleMs: number;
  private readonly maxPerOrigin: number;
  private readonly maxTotal: number;
  private readonly idle = new Map<string, Idle[]>();
  private readonly sessions = new Map<string, Buffer>();
  private total = 0;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(opts: PoolOptions) {
    this.idleMs = Math.max(0, opts.idleMs);
    this.maxPerOrigin = opts.maxPerOrigin ?? 6;
    this.maxTotal = opts.maxTotal ?? 64;
  }

  /** Changes the idle time (a setting changed); connections already idle keep the time they were given. */
  setIdleMs(ms: number): void {
    this.idleMs = Math.max(0, ms);
    if (this.idleMs === 0) this.closeIdle();
  }

  get idleTimeMs(): number {
    return this.idleMs;
  }

  /** Idle connections held now. */
  get size(): number {
    return this.total;
  }

  /** True when an idle connection to this origin is held. */
  has(key: string): boolean {
    return (this.idle.get(key)?.length ?? 0) > 0;
  }

  /**
   * Takes an idle connection after letting pending I/O run: a server that closed right after its response
   * (a FIN already in the kernel, not yet read) is noticed here instead of failing the next request.
   */
  async takeSettled(key: string): Promise<PooledConnection | undefined> {
    if (!this.has(key)) return undefined;
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    return this.take(key);
  }

  /** An idle connection to this origin, taken out of the pool (most recently used first), or undefined. */
  take(key: string): PooledConnection | undefined {
    const list = this.idle.get(key);
    const now = performance.now();
    while (list && list.length > 0) {
      const entry = list.pop() as Idle;
      this.total--;
      // An empty list stays for the next put (a run takes and gives back one connection per request); the sweep
      // forgets it.
      const s = entry.conn.tap.socket;
      entry.conn.tap.release();
      s.ref();
      if (entry.until > now && !s.destroyed && s.writable && !s.readableEnded) return entry.conn;
      s.destroy();
    }
    return undefined;
  }

  /**
   * Keeps a connection whose last response allowed reuse. Returns false (and destroys it) when the pool keeps
   * nothing (idle time 0, closed, full for that origin).
   */
  put(conn: PooledConnection): boolean {
    const s = conn.tap.socket;
    if (this.closed || this.idleMs === 0 || s.destroyed || !s.writable) {
      s.destroy();
      return false;
    }
    let list = this.idle.get(conn.key);
    if (!list) this.idle.set(conn.key, (list = []));
    if (list.length >= this.maxPerOrigin) {
      s.destroy();
      return false;
    }
    if (this.total >= this.maxTotal) this.evictOldest();
    const entry: Idle = { conn, until: performance.now() + this.idleMs };
    // While idle nothing may arrive: a close, an error or stray bytes (a server's 408, say) end the connection.
    const drop = (): void => this.remove(entry);
    conn.tap.hold({ data: drop, end: drop, close: drop, error: drop });
    // Idle sockets must not keep a CLI process alive.
    s.unref();
    list.push(entry);
    this.total++;
    this.armSweep(this.idleMs);
    return true;
  }

  /** The latest TLS session seen for this origin (for `tls.connect({ session })`). */
  session(key: string): Buffer | undefined {
    return this.sessions.get(key);
  }

  rememberSession(key: string, session: Buffer): void {
    if (this.closed) return;
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  /** Drops every idle connection (sessions are kept). */
  closeIdle(): void {
    for (const list of [...this.idle.values()]) for (const e of [...list]) this.remove(e);
  }

  /** Ends the pool: idle connections closed, sessions forgotten, nothing kept from now on. */
  close(): void {
    this.closeIdle();
    this.sessions.clear();
    this.closed = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }

  private remove(entry: Idle): void {
    const list = this.idle.get(entry.conn.key);
    const i = list ? list.indexOf(entry) : -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.idle.delete(entry.conn.key);
    this.total--;
    entry.conn.tap.release();
    entry.conn.tap.socket.destroy();
  }

  /**
   * One timer for the whole pool instead of one per idle connection (set and cleared on every request): it
   * closes the connections whose idle time is over, and comes back for the next one to end.
   */
  private armSweep(ms: number): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(1, ms));
    this.sweepTimer.unref();
  }

  private sweep(): void {
    this.sweepTimer = null;
    const now = performance.now();
    let next = Infinity;
    for (const [key, list] of [...this.idle]) {
      for (const e of [...list]) {
        if (e.until <= now) this.remove(e);
        else next = Math.min(next, e.until);
      }
      if (list.length === 0) this.idle.delete(key);
    }
    if (next !== Infinity) this.armSweep(next - now);
  }

  private evictOldest(): void {
    for (const list of this.idle.values()) {
      if (list.length > 0) {
        this.remove(list[0]);
        return;
      }
    }
  }
}
