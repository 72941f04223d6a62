// Download throughput and memory, whole process: `wirelens send --body-out /dev/null` (dist/cli.js) beside a
// node:http client, a got client (what REST Client and httpyac use) and curl, each fetching 256 MiB from a
// loopback server (Content-Length and chunked). Then 1,000 sequential small requests through the engine and
// node:http in one process. Prints a table; writes bench/results/download.json. Loopback only, bounded.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { measure as measureProcess } from './lib/wholeProcess.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node esbuild.mjs` (npm run bench does) first');
  process.exit(1);
}
const SIZE = 256 * 1024 * 1024;
const REPS = Number(process.env.WL_BENCH_REPS ?? 3);
const SMALL = 1000;
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-download-'));

// ---- the origin: raw sockets so that the server costs as little as possible ----
const block = Buffer.alloc(1024 * 1024, 0x61);
function serve(sock) {
  sock.on('error', () => {});
  let buf = '';
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const path = buf.split(' ')[1];
    buf = '';
    if (path === '/small') {
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{"ok":true,"n":1}');
      return;
    }
    const chunked = path === '/chunked';
    sock.write(
      `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${SIZE}`}\r\nConnection: close\r\n\r\n`,
    );
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += block.length;
        const ok = chunked ? (sock.write(`${block.length.toString(16)}\r\n`), sock.write(block), sock.write('\r\n')) : sock.write(block);
        if (!ok) {
          sock.once('drain', pump);
          return;
        }
      }
      sock.end(chunked ? '0\r\n\r\n' : undefined);
    };
    pump();
  });
}
const server = net.createServer(serve);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const base = `http://127.0.0.1:${port}`;

// ---- the clients, each a whole process ----
// Every client delivers the body to /dev/null through a file stream, as `--body-out /dev/null` and `curl -o` do.
const nodeHttpScript = join(tmp, 'node-http.mjs');
writeFileSync(
  nodeHttpScript,
  `import * as http from 'node:http';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
http.get(process.argv[2], { agent: false }, (res) => { pipeline(res, createWriteStream('/dev/null')).catch(() => process.exit(3)); }).on('error', () => process.exit(2));
`,
);
// The got scripts import got by its resolved URL, so they can live in the temporary folder.
const gotUrl = import.meta.resolve('got');
const gotScript = join(tmp, 'got-stream.mjs');
writeFileSync(
  gotScript,
  `import got from '${gotUrl}';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
await pipeline(got.stream(process.argv[2], { retry: { limit: 0 } }), createWriteStream('/dev/null'));
`,
);
// How REST Client and httpyac use got: the whole body in memory, then handed on.
const gotBufferScript = join(tmp, 'got-buffer.mjs');
writeFileSync(
  gotBufferScript,
  `import got from '${gotUrl}';
import { writeFileSync } from 'node:fs';
const body = await got(process.argv[2], { retry: { limit: 0 }, responseType: 'buffer' }).buffer();
writeFileSync('/dev/null', body);
`,
);
const httpFile = (path) => {
  const f = join(tmp, `${path.slice(1)}.http`);
  writeFileSync(f, `GET ${base}${path}\n`);
  return f;
};
const CLIENTS = {
  'wirelens send': (path) => [process.execPath, cli, 'send', httpFile(path), '--body-out', '/dev/null', '--no-color'],
  'node:http': (path) => [process.execPath, nodeHttpScript, `${base}${path}`],
  'got (stream)': (path) => [process.execPath, gotScript, `${base}${path}`],
  'got (buffered)': (path) => [process.execPath, gotBufferScript, `${base}${path}`],
  curl: (path) => ['curl', '-s', '-o', '/dev/null', `${base}${path}`],
};

const haveCurl = await new Promise((r) =>
  spawn('curl', ['--version'], { stdio: 'ignore' })
    .on('error', () => r(false))
    .on('close', (c) => r(c === 0)),
);

/** Runs a command to completion: the shared whole-process measurement (wall time, CPU, peak RSS). */
const measure = (argv) => measureProcess(argv, { cwd: root, timeoutMs: 120_000 });

const results = { sizeBytes: SIZE, reps: REPS, downloads: {}, small: {} };
const mbps = (ms) => SIZE / 1e6 / (ms / 1000);

for (const mode of ['/length', '/chunked']) {
  results.downloads[mode] = {};
  for (const [name, argvFor] of Object.entries(CLIENTS)) {
    if (name === 'curl' && !haveCurl) continue;
    const runs = [];
    for (let i = 0; i < REPS; i++) {
      const r = await measure(argvFor(mode));
      if (!r.ok) {
        console.error(`${name} ${mode} failed: ${r.stderr.slice(-400)}`);
        continue;
      }
      runs.push(r);
    }
    if (runs.length === 0) continue;
    // Best wall time (least disturbed by the other tenants of the machine); peak memory is the worst seen.
    const best = Math.min(...runs.map((r) => r.wallMs));
    results.downloads[mode][name] = {
      ms: best,
      mbPerS: mbps(best),
      peakRssMiB: Math.max(...runs.map((r) => r.rssMiB)),
      runs: runs.map((r) => Math.round(r.wallMs)),
    };
  }
}

// ---- 1,000 sequential small requests, in process: the engine vs node:http ----
const bundle = join(tmp, 'wire.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/wire/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const { send } = createRequire(import.meta.url)(bundle);
const req = { method: 'GET', url: `${base}/small`, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} };
async function timeLoop(fn) {
  for (let i = 0; i < 50; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < SMALL; i++) await fn();
  return performance.now() - t0;
}
const engineMs = await timeLoop(async () => {
  const ex = await send(req);
  if (ex.error) throw new Error(ex.error.code);
});
const nodeGet = (agent) =>
  new Promise((resolve, reject) => {
    http
      .get(`${base}/small`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
const nodeFreshMs = await timeLoop(() => nodeGet(false));
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
const nodeKeepAliveMs = await timeLoop(() => nodeGet(keepAlive));
keepAlive.destroy();
results.small = {
  count: SMALL,
  engine: { ms: engineMs, perRequestMs: engineMs / SMALL },
  nodeHttpNewConnection: { ms: nodeFreshMs, perRequestMs: nodeFreshMs / SMALL },
  nodeHttpKeepAlive: { ms: nodeKeepAliveMs, perRequestMs: nodeKeepAliveMs / SMALL },
};

server.close();
rmSync(tmp, { recursive: true, force: true });

// ---- report ----
const pad = (s, n) => String(s).padEnd(n);
const num = (v, d = 0) => (v === undefined ? '—' : v.toFixed(d));
console.log(`Download of ${SIZE / 1024 / 1024} MiB over loopback, whole process, best of ${REPS} (peak RSS: worst)`);
for (const [mode, rows] of Object.entries(results.downloads)) {
  const cliRow = rows['wirelens send'];
  console.log(`\n${mode === '/length' ? 'Content-Length' : 'chunked'}`);
  console.log(`  ${pad('client', 18)}${pad('MB/s', 9)}${pad('ms', 8)}${pad('peak RSS MiB', 14)}wirelens speed ×`);
  for (const [name, r] of Object.entries(rows)) {
    const ratio = cliRow && name !== 'wirelens send' ? (cliRow.mbPerS / r.mbPerS).toFixed(2) : '';
    console.log(`  ${pad(name, 18)}${pad(num(r.mbPerS), 9)}${pad(num(r.ms), 8)}${pad(num(r.peakRssMiB, 1), 14)}${ratio}`);
  }
  if (cliRow) {
    const ratios = {};
    for (const [name, r] of Object.entries(rows))
      if (name !== 'wirelens send') ratios[name] = { speed: cliRow.mbPerS / r.mbPerS, memory: cliRow.peakRssMiB / r.peakRssMiB };
    cliRow.ratios = ratios;
    const memOfBody = cliRow.peakRssMiB / (SIZE / 1024 / 1024);
    cliRow.peakRssOfBody = memOfBody;
    const goals = [
      ['≥ node:http throughput', rows['node:http'] && cliRow.mbPerS >= rows['node:http'].mbPerS],
      ['≥ 3× got (buffered) throughput', rows['got (buffered)'] && cliRow.mbPerS >= 3 * rows['got (buffered)'].mbPerS],
      ['≥ 3× got (stream) throughput', rows['got (stream)'] && cliRow.mbPerS >= 3 * rows['got (stream)'].mbPerS],
      ['peak memory < 1.5× body', memOfBody < 1.5],
    ];
    cliRow.goals = Object.fromEntries(goals);
    console.log(
      `  goals: ${goals.map(([g, ok]) => `${g}: ${ok ? 'met' : 'MISSED'}`).join('; ')} (peak RSS = ${(memOfBody * 100).toFixed(0)}% of the body)`,
    );
  }
}
console.log(`\n${SMALL} sequential small requests (in process)`);
console.log(`  ${pad('engine (new connection each)', 34)}${num(results.small.engine.ms)} ms  ${num(results.small.engine.perRequestMs, 3)} ms/req`);
console.log(
  `  ${pad('node:http (new connection each)', 34)}${num(results.small.nodeHttpNewConnection.ms)} ms  ${num(results.small.nodeHttpNewConnection.perRequestMs, 3)} ms/req  (engine ×${(results.small.nodeHttpNewConnection.ms / results.small.engine.ms).toFixed(2)} speed)`,
);
console.log(
  `  ${pad('node:http (keep-alive)', 34)}${num(results.small.nodeHttpKeepAlive.ms)} ms  ${num(results.small.nodeHttpKeepAlive.perRequestMs, 3)} ms/req`,
);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'download.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`,
);
