// Real proxies for the engine tests: Debian's tinyproxy and squid started on free loopback ports with a config
// written to a temp dir, a TLS front for an "https://" proxy, and a small SOCKS5 server (RFC 1928/1929).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

const ROOT = path.resolve(__dirname, '../../../..');

export interface RunningProxy {
  port: number;
  url: string;
  /** What the proxy wrote (logs), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** Installs the Debian packages the tests need (scripts/ensure-tools.mjs), loudly on failure. */
export function ensureProxyTools(): void {
  if (fs.existsSync('/usr/bin/tinyproxy') && fs.existsSync('/usr/sbin/squid')) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-tools.mjs'), '--debian'], { stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Waits until something accepts on the port (the proxy is up), or fails after `ms`. */
async function waitForPort(port: number, ms: number, child: ChildProcess, what: string, log: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${what} did not listen on port ${port} within ${ms} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(cmd: string, args: string[], port: number, what: string, startMs: number): Promise<RunningProxy> {
  let out = '';
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const log = (): string => out.slice(-4000);
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return waitForPort(port, startMs, child, what, log).then(
    () => ({ port, url: `http://127.0.0.1:${port}`, log, close }),
    async (e: unknown) => {
      await close();
      throw e;
    },
  );
}

export interface TinyproxyOptions {
  /** `BasicAuth user password`. */
  auth?: [string, string];
  /** Only these CONNECT ports (tinyproxy allows every port when none is given). */
  connectPorts?: number[];
}

/** Debian's tinyproxy in the foreground. As root it needs User/Group to drop to. */
export async function startTinyproxy(o: TinyproxyOptions = {}): Promise<RunningProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-tinyproxy-'));
  const port = await freePort();
  const lines = [
    ...(process.getuid?.() === 0 ? ['User nobody', 'Group nogroup'] : []),
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    'Syslog Off',
    'LogLevel Info',
    'MaxClients 50',
    'Allow 127.0.0.1',
    'DisableViaHeader No',
  ];
  if (o.auth) lines.push(`BasicAuth ${o.auth[0]} ${o.auth[1]}`);
  for (const p of o.connectPorts ?? []) lines.push(`ConnectPort ${p}`);
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(conf, `${lines.join('\n')}\n`);
  const p = await start('tinyproxy', ['-d', '-c', conf], port, 'tinyproxy', 15_000);
  return {
    ...p,
    close: async () => {
      await p.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's squid, no cache, loopback only; started with -N (no daemon). Rejects when it does not come up. */
export async function startSquid(startMs = 10_000): Promise<RunningProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-squid-'));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = path.join(dir, 'squid.conf');
  fs.writeFileSync(
    conf,
    [
      `http_port 127.0.0.1:${port}`,
      'acl SSL_ports port 1-65535',
      'acl CONNECT method CONNECT',
      'http_access allow localhost',
      'http_access deny all',
      'cache deny all',
      'access_log none',
      `cache_log ${path.join(dir, 'cache.log')}`,
      `pid_filename ${path.join(dir, 'squid.pid')}`,
      `coredump_dir ${dir}`,
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      ...(process.getuid?.() === 0 ? ['cache_effective_user proxy'] : []),
      '',
    ].join('\n'),
  );
  const p = await start('/usr/sbin/squid', ['-N', '-f', conf], port, 'squid', startMs);
  return {
    ...p,
    log: () => `${p.log()}${fs.existsSync(path.join(dir, 'cache.log')) ? fs.readFileSync(path.join(dir, 'cache.log'), 'utf8').slice(-3000) : ''}`,
    close: async () => {
      await p.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TLS front for another proxy: what an https:// proxy looks like from the client (TLS to the proxy). */
export async function tlsFront(backendPort: number, key: string, cert: string): Promise<RunningProxy> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key, cert }, (s) => {
    sockets.add(s);
    const b = net.connect({ host: '127.0.0.1', port: backendPort });
    s.pipe(b).pipe(s);
    const end = (): void => {
      s.destroy();
      b.destroy();
    };
    s.on('error', end);
    b.on('error', end);
    s.on('close', () => {
      sockets.delete(s);
      b.destroy();
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `https://localhost:${port}`,
    log: () => '',
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SocksRequest {
  atyp: number;
  host: string;
  port: number;
  user?: string;
}

export interface SocksServer extends RunningProxy {
  requests: SocksRequest[];
  connections: number;
}

/** A SOCKS5 server: no authentication, or username/password when `auth` is given; CONNECT only. */
export async function socksServer(auth?: [string, string]): Promise<SocksServer> {
  const sockets = new Set<net.Socket>();
  const requests: SocksRequest[] = [];
  const out = { requests, connections: 0 } as unknown as SocksServer;
  const server = net.createServer((c) => {
    out.connections++;
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let state: 'greeting' | 'auth' | 'request' | 'done' = 'greeting';
    let user: string | undefined;
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (state === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]) return;
          const methods = [...buf.subarray(2, 2 + buf[1])];
          buf = buf.subarray(2 + buf[1]);
          const want = auth ? 0x02 : 0x00;
          if (!methods.includes(want)) {
            c.end(Buffer.from([0x05, 0xff]));
            state = 'done';
            return;
          }
          c.write(Buffer.from([0x05, want]));
          state = auth ? 'auth' : 'request';
        } else if (state === 'auth') {
          if (buf.length < 2) return;
          const ul = buf[1];
          if (buf.length < 3 + ul) return;
          const pl = buf[2 + ul];
          if (buf.length < 3 + ul + pl) return;
          user = buf.subarray(2, 2 + ul).toString();
          const pass = buf.subarray(3 + ul, 3 + ul + pl).toString();
          buf = buf.subarray(3 + ul + pl);
          const ok = auth !== undefined && user === auth[0] && pass === auth[1];
          c.write(Buffer.from([0x01, ok ? 0x00 : 0x01]));
          if (!ok) {
            c.end();
            state = 'done';
            return;
          }
          state = 'request';
        } else if (state === 'request') {
          if (buf.length < 5) return;
          const atyp = buf[3];
          const alen = atyp === 0x01 ? 4 : atyp === 0x04 ? 16 : 1 + buf[4];
          if (buf.length < 4 + alen + 2) return;
          const a = buf.subarray(4, 4 + alen);
          const host =
            atyp === 0x01
              ? [...a].join('.')
              : atyp === 0x04
                ? Array.from({ length: 8 }, (_, i) => a.readUInt16BE(i * 2).toString(16)).join(':')
                : a.subarray(1).toString();
          const port = buf.readUInt16BE(4 + alen);
          buf = buf.subarray(4 + alen + 2);
          requests.push({ atyp, host, port, user });
          state = 'done';
          c.off('data', onData);
          const target = net.connect({ host: host === 'localhost' ? '127.0.0.1' : host, port });
          target.on('error', () => {
            c.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
          });
          target.on('connect', () => {
            const bound = Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]);
            bound.writeUInt16BE(target.localPort ?? 0, 8);
            c.write(bound);
            if (buf.length > 0) target.write(buf);
            c.pipe(target).pipe(c);
          });
          c.on('close', () => target.destroy());
          target.on('close', () => c.destroy());
          return;
        } else return;
      }
    };
    c.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  out.port = port;
  out.url = `socks5://127.0.0.1:${port}`;
  out.log = () => JSON.stringify(requests);
  out.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return out;
}
