// `wirelens test` and connections: one pool for the whole run, every file included, closed when the run ends.
// Real loopback servers (plain and TLS, certificate generated here) count the connections they accept.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runTest } from '../../../src/cli/test';
import { makeSelfSigned } from '../../../src/demo/certs';
import type { TestReport } from '../../../src/view/testReport';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Counted {
  base: string;
  /** Connections accepted since the last reset. */
  accepted: () => number;
  /** Server-side sockets still open. */
  open: () => number;
  reset: () => void;
  close: () => Promise<void>;
}

async function counted(opts: { tls?: { key: string; cert: string }; closeEach?: boolean; delayMs?: number } = {}): Promise<Counted> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const body = JSON.stringify({ path: req.url, ok: true });
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
    if (opts.closeEach) headers.Connection = 'close';
    const answer = (): void => {
      res.writeHead(200, headers);
      res.end(body);
    };
    // The request body is read before answering, as servers do (one that closes first makes the client's write fail).
    req.resume();
    req.on('end', () => {
      if (opts.delayMs) setTimeout(answer, opts.delayMs);
      else answer();
    });
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: net.Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    base: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    accepted: () => accepted,
    open: () => sockets.size,
    reset: () => {
      accepted = 0;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function io(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'test', ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function eventually(what: string, check: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Three requests (one with a handler and a client.test) to `base`, as an .http file. */
function threeRequests(base: string, tag: string): string {
  return [
    `### ${tag}-a`,
    `GET ${base}/${tag}/a`,
    '',
    '> {%',
    `client.test("${tag} ok", function () { client.assert(response.body.ok === true, "ok"); });`,
    '%}',
    '',
    `### ${tag}-b`,
    `POST ${base}/${tag}/b`,
    'Content-Type: application/json',
    '',
    '{"n": 1}',
    '',
    '?? status == 200',
    '',
    `### ${tag}-c`,
    `GET ${base}/${tag}/c`,
    '',
  ].join('\n');
}

describe('cli: wirelens test — connections', function () {
  this.timeout(120000);
  let dir: string;
  let plain: Counted;

  before(async () => {
    if (!fs.existsSync(CLI) || !fs.existsSync(path.join(ROOT, 'dist', 'quickjs.wasm')))
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-test-conn-'));
    plain = await counted();
    fs.mkdirSync(path.join(dir, 'suite'));
    fs.writeFileSync(path.join(dir, 'suite', 'one.http'), threeRequests(plain.base, 'one'));
    fs.writeFileSync(path.join(dir, 'suite', 'two.http'), threeRequests(plain.base, 'two'));
  });
  after(async () => {
    await plain.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => plain.reset());

  it('reuses one connection for every request of the run, across files, and closes it when the run ends', async () => {
    const t = io();
    const cwd = process.cwd();
    process.chdir(dir);
    let code: number;
    try {
      code = await runTest(['suite', '--reporter', 'json'], t.io);
    } finally {
      process.chdir(cwd);
    }
    assert.equal(code, 0, t.err());
    const report = JSON.parse(t.out()) as TestReport;
    assert.equal(report.summary.files, 2);
    assert.equal(report.summary.requests, 6);
    assert.equal(report.summary.errors, 0);
    assert.equal(report.summary.passed, 4);
    // Six requests in two files, one connection.
    assert.equal(plain.accepted(), 1);
    // The run is over (this process goes on): the pooled connection was closed, not left idle.
    await eventually('the pooled connection closed after the run', () => plain.open() === 0);
  });

  it('through the CLI process too: one connection; --no-keepalive opens one per request', async () => {
    const kept = await cli(['suite', '--reporter', 'json'], dir);
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal((JSON.parse(kept.stdout) as TestReport).summary.requests, 6);
    assert.equal(plain.accepted(), 1);
    await eventually('the connection closed when the process ended', () => plain.open() === 0);

    plain.reset();
    const fresh = await cli(['suite', '--reporter', 'json', '--no-keepalive'], dir);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(plain.accepted(), 6);
  });

  it('a server that closes after each response gets a new connection per request, and every request passes', async () => {
    const closing = await counted({ closeEach: true });
    try {
      const f = path.join(dir, 'closing.http');
      fs.writeFileSync(f, threeRequests(closing.base, 'close'));
      const r = await cli(['closing.http', '--reporter', 'json'], dir);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const report = JSON.parse(r.stdout) as TestReport;
      assert.equal(report.summary.errors, 0, r.stdout);
      assert.equal(report.summary.failed, 0);
      assert.equal(closing.accepted(), 3);
    } finally {
      await closing.close();
    }
  });

  it('reuses TLS connections too (certificate generated here, -k)', async () => {
    const cert = await makeSelfSigned();
    // The answer waits a little: the HTTP/1.1 hop keeps a connection only once its write callback has run, and
    // over TLS an immediate answer can be parsed before that callback (a race in the hop, reported; not this test's subject).
    const secure = await counted({ tls: cert, delayMs: 25 });
    try {
      fs.writeFileSync(path.join(dir, 'tls-one.http'), threeRequests(secure.base, 'tls1'));
      fs.writeFileSync(path.join(dir, 'tls-two.http'), threeRequests(secure.base, 'tls2'));
      const r = await cli(['tls-one.http', 'tls-two.http', '-k', '--reporter', 'json'], dir);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as TestReport;
      assert.equal(report.summary.requests, 6);
      assert.equal(report.summary.errors, 0);
      assert.equal(secure.accepted(), 1);
    } finally {
      await secure.close();
    }
  });
});
