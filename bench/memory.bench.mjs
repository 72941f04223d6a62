// Memory of a body kept in memory: peak RSS of a fresh process that receives a 60 MB and a 300 MB body with the
// engine (send, whole record built) and of `wirelens send --json` printing a 60 MB body, against the body size
// (the issue's goals: under 2x in the engine, --json within 3x of its output). Loopback only; each measurement
// in its own process (maxRSS), medians of WL_BENCH_REPS interleaved rounds. Writes bench/results/memory.json.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: npm run build first');
  process.exit(1);
}
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-memory-'));
const MB = 1000 * 1000;

// Child processes fetch from this server: binary (octet-stream) or text (JSON-ish ASCII) bodies of a size.
const block = (text) => Buffer.alloc(1024 * 1024, text ? 0x61 : 0xa7);
const server = net.createServer((sock) => {
  sock.on('error', () => {});
  let buf = '';
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    if (!buf.includes('\r\n\r\n')) return;
    const [, kind, size] = /^GET \/(text|bin)\/(\d+)/.exec(buf) ?? [];
    buf = '';
    const total = Number(size);
    const b = block(kind === 'text');
    sock.write(
      `HTTP/1.1 200 OK\r\nContent-Type: ${kind === 'text' ? 'text/plain; charset=utf-8' : 'application/octet-stream'}\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`,
    );
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const part = b.subarray(0, Math.min(b.length, total - sent));
        sent += part.length;
        if (!sock.write(part)) {
          sock.once('drain', pump);
          return;
        }
      }
      sock.end();
    };
    pump();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const bundle = join(tmp, 'wire.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/wire/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const child = join(tmp, 'child.cjs');
writeFileSync(
  child,
  `
const { send } = require(${JSON.stringify(bundle)});
(async () => {
  const base = process.memoryUsage().rss;
  const ex = await send({ method: 'GET', url: process.argv[2], httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} }, { maxBodyBytes: 400 * 1024 * 1024 });
  if (ex.error) throw new Error(ex.error.code);
  globalThis.keep = ex;
  process.stdout.write(JSON.stringify({ baseRss: base, maxRss: process.resourceUsage().maxRSS * 1024, size: ex.response.body.size }));
})().catch((e) => { console.error(e); process.exit(1); });
`,
);
const preload = join(tmp, 'maxrss.cjs');
writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nMAXRSS ' + process.resourceUsage().maxRSS * 1024 + '\\n'));");

// The server runs in this process: children are awaited, never run synchronously.
function run(args) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = 0;
    let head = '';
    let stderr = '';
    c.stdout.on('data', (d) => {
      stdout += d.length;
      if (head.length < 65536) head += d.toString();
    });
    c.stderr.on('data', (d) => {
      stderr += d.toString();
    });
    c.on('close', (status) => resolve({ status, stdout: head, stdoutBytes: stdout, stderr }));
  });
}
const REPS = Number(process.env.WL_BENCH_REPS ?? 3);
const median = (list) => {
  const v = [...list].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const results = { reps: REPS, loadBefore: loadavg(), engine: {}, json: {} };
// A bare node process, for the baseline RSS each measurement includes (the median of REPS).
const bares = [];
for (let r = 0; r < REPS; r++) {
  const bare = spawnSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(bundle)}); process.stdout.write(String(process.resourceUsage().maxRSS * 1024))`],
    { encoding: 'utf8' },
  );
  bares.push(Number(bare.stdout));
}
const baseline = median(bares);
results.baselineRss = baseline;
const engineCases = [
  ['60 MB binary', `/bin/${60 * MB}`],
  ['60 MB text', `/text/${60 * MB}`],
  ['300 MB binary', `/bin/${300 * MB}`],
  ['300 MB text', `/text/${300 * MB}`],
];
const jsonCases = [
  ['60 MB binary', `/bin/${60 * MB}`],
  ['60 MB text', `/text/${60 * MB}`],
];
const engineRuns = Object.fromEntries(engineCases.map(([label]) => [label, []]));
const jsonRuns = Object.fromEntries(jsonCases.map(([label]) => [label, []]));
const file = join(tmp, 'big.http');
// Rounds interleave every case (a burst of load then hits them alike); each measurement in its own process.
for (let r = 0; r < REPS; r++) {
  for (const [label, path] of engineCases) {
    const run1 = await run([child, `${base}${path}`]);
    if (run1.status !== 0) {
      results.engine[label] = { error: run1.stderr.slice(-500) };
      continue;
    }
    const o = JSON.parse(run1.stdout);
    engineRuns[label].push({ size: o.size, peakRss: o.maxRss });
  }
  for (const [label, path] of jsonCases) {
    writeFileSync(file, `GET ${base}${path}\n`);
    const r1 = await run(['--require', preload, cli, 'send', file, '--json', '--max-body', '400MB']);
    jsonRuns[label].push({ status: r1.status, outputBytes: r1.stdoutBytes, peakRss: Number(/MAXRSS (\d+)/.exec(r1.stderr)?.[1] ?? NaN) });
  }
}
for (const [label] of engineCases) {
  if (results.engine[label]?.error) continue;
  const list = engineRuns[label];
  const peakRss = median(list.map((x) => x.peakRss));
  const size = list[0].size;
  results.engine[label] = { size, peakRss, overBaseline: peakRss - baseline, ratio: (peakRss - baseline) / size, rounds: list.map((x) => x.peakRss) };
}
for (const [label] of jsonCases) {
  const list = jsonRuns[label];
  const rss = median(list.map((x) => x.peakRss));
  const out = list[0].outputBytes;
  results.json[label] = {
    status: Math.max(...list.map((x) => x.status)),
    outputBytes: out,
    peakRss: rss,
    overBaseline: rss - baseline,
    ratioToOutput: (rss - baseline) / out,
    ratioToBody: (rss - baseline) / (60 * MB),
    rounds: list.map((x) => x.peakRss),
  };
}
results.loadAfter = loadavg();
server.close();
rmSync(tmp, { recursive: true, force: true });

const mib = (b) => `${(b / 1024 / 1024).toFixed(0).padStart(6)} MiB`;
const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\nload average before ${load(results.loadBefore)}, after ${load(results.loadAfter)}; medians of ${REPS} rounds`);
console.log(`\nBody kept in memory by the engine (peak RSS above a bare process of ${mib(baseline).trim()})`);
for (const [k, v] of Object.entries(results.engine))
  console.log(v.error ? `  ${k.padEnd(16)} failed: ${v.error}` : `  ${k.padEnd(16)}${mib(v.overBaseline)}  ×${v.ratio.toFixed(2)} the body`);
console.log('\nwirelens send --json (peak RSS above a bare process)');
for (const [k, v] of Object.entries(results.json))
  console.log(
    `  ${k.padEnd(16)}${mib(v.overBaseline)}  output ${mib(v.outputBytes).trim()}  ×${v.ratioToOutput.toFixed(2)} the output, ×${v.ratioToBody.toFixed(2)} the body${v.status !== 0 ? ` (exit ${v.status})` : ''}`,
  );
writeFileSync(join(root, 'bench', 'results', 'memory.json'), `${JSON.stringify(results, null, 2)}\n`);
