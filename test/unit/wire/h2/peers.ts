// HTTP/2 servers nobody here wrote, started on loopback for the tests: nghttpd (Debian nghttp2-server) and h2o
// (Debian h2o), installed by scripts/ensure-tools.mjs. Each gets a free port, a generated certificate and a
// document root in a temp dir. A missing binary fails the test loudly; it is never skipped.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GeneratedCert } from '../../../../src/demo/certs';

export interface Peer {
  url: string;
  port: number;
  dir: string;
  log(): string;
  close(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function binary(name: string, where: string[]): string {
  for (const w of where) if (fs.existsSync(w)) return w;
  throw new Error(`${name} is not installed (expected at ${where.join(' or ')}): run node scripts/ensure-tools.mjs`);
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, ms = 15000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`peer exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`peer did not listen on ${port} within ${ms} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function docroot(dir: string): string {
  const docs = path.join(dir, 'docs');
  fs.mkdirSync(path.join(docs, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(docs, 'index.html'), '<!doctype html><title>Home</title><h1>Home</h1>\n');
  fs.writeFileSync(path.join(docs, 'posts', 'index.html'), '<!doctype html><title>Posts</title><h1>Posts</h1>\n');
  fs.writeFileSync(path.join(docs, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a));
  return docs;
}

async function start(cmd: string, args: string[], port: number, dir: string, proto: string): Promise<Peer> {
  let out = '';
  const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    if (out.length < 20000) out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    if (out.length < 20000) out += d.toString();
  });
  const log = (): string => out;
  try {
    await waitForPort(port, child, log);
  } catch (e) {
    child.kill();
    throw e;
  }
  return {
    url: `${proto}://127.0.0.1:${port}`,
    port,
    dir,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function certFiles(dir: string, cert: GeneratedCert): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const crt = path.join(dir, 'cert.pem');
  fs.writeFileSync(key, cert.key, { mode: 0o644 });
  fs.writeFileSync(crt, cert.cert, { mode: 0o644 });
  return { key, cert: crt };
}

/** nghttpd serving a document root: TLS with ALPN h2 when a certificate is given, h2c (prior knowledge) otherwise. */
export async function startNghttpd(cert: GeneratedCert | null, extra: string[] = []): Promise<Peer> {
  const bin = binary('nghttpd', ['/usr/sbin/nghttpd', '/usr/bin/nghttpd']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-nghttpd-'));
  const docs = docroot(dir);
  const port = await freePort();
  const args = ['-a', '127.0.0.1', '-d', docs, ...extra];
  if (cert) {
    const f = certFiles(dir, cert);
    return start(bin, [...args, String(port), f.key, f.cert], port, dir, 'https');
  }
  return start(bin, [...args, '--no-tls', String(port)], port, dir, 'http');
}

/** h2o with a config written to a temp dir: files, and the lecture's `/` → 302 `/posts` redirect. */
export async function startH2o(cert: GeneratedCert | null): Promise<Peer> {
  const bin = binary('h2o', ['/usr/bin/h2o', '/usr/sbin/h2o']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-h2o-'));
  fs.chmodSync(dir, 0o755);
  const docs = docroot(dir);
  const port = await freePort();
  const ssl = cert
    ? (() => {
        const f = certFiles(dir, cert);
        return `  ssl:\n    certificate-file: ${f.cert}\n    key-file: ${f.key}\n    ocsp-update-interval: 0\n`;
      })()
    : '';
  const conf = [
    'listen:',
    '  host: 127.0.0.1',
    `  port: ${port}`,
    ssl.trimEnd(),
    'hosts:',
    '  default:',
    '    paths:',
    '      /lecture:',
    '        redirect:',
    '          status: 302',
    '          url: /posts/',
    '      /:',
    `        file.dir: ${docs}`,
    `error-log: ${path.join(dir, 'error.log')}`,
    'access-log: /dev/null',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
  const file = path.join(dir, 'h2o.conf');
  fs.writeFileSync(file, `${conf}\n`);
  const peer = await start(bin, ['-c', file], port, dir, cert ? 'https' : 'http');
  const log = peer.log;
  peer.log = () => `${log()}${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`;
  return peer;
}
