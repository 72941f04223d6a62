// Process startup, whole process: `wirelens --version`, `--help`, and a tiny `wirelens send` (HTTP/1.1 plain and
// HTTP/2 over TLS) against a loopback origin in this process, beside `node -e 0` (the floor every Node CLI pays),
// a tiny node:http / node:http2 client and curl. Interleaved rounds, medians of wall and CPU time (user + system)
// and peak RSS, the load average. WL_BENCH_BEFORE=path/to/an/older/cli.js adds that build's --help and sends.
// Writes bench/results/startup.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveGnuTime, load, loadText, measure, median, rotated } from './lib/wholeProcess.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.WL_BENCH_CLI ?? join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node esbuild.mjs` (npm run bench does) first');
  process.exit(1);
}
const before = process.env.WL_BENCH_BEFORE;
const ROUNDS = Number(process.env.WL_BENCH_ROUNDS ?? 10);
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-startup-'));

const require = createRequire(import.meta.url);
const selfsigned = require('selfsigned');
const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, days: 2 });

// ---- the origins: a tiny JSON answer over HTTP/1.1 and over h2 (TLS) ----
const answer = JSON.stringify({ ok: true, items: [1, 2, 3] });
const h1 = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
  res.end(answer);
});
await new Promise((r) => h1.listen(0, '127.0.0.1', r));
const h2 = http2.createSecureServer({ key: pems.private, cert: pems.cert });
h2.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.respond({ ':status': 200, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(answer)) });
  stream.end(answer);
});
h2.on('sessionError', () => {});
await new Promise((r) => h2.listen(0, '127.0.0.1', r));
const h1Url = `http://127.0.0.1:${h1.address().port}/items`;
const h2Url = `https://127.0.0.1:${h2.address().port}/items`;

const h1File = join(tmp, 'tiny.http');
writeFileSync(h1File, `GET ${h1Url}\n`);
const h2File = join(tmp, 'tiny-h2.http');
writeFileSync(h2File, `GET ${h2Url} HTTP/2\n`);
const nodeH1 = join(tmp, 'node-http.mjs');
writeFileSync(
  nodeH1,
  `import * as http from 'node:http';
http.get(process.argv[2], (res) => { res.resume(); res.on('end', () => {}); }).on('error', () => process.exit(2));
`,
);
const nodeH2 = join(tmp, 'node-http2.mjs');
writeFileSync(
  nodeH2,
  `import * as http2 from 'node:http2';
const u = new URL(process.argv[2]);
const s = http2.connect(u.origin, { rejectUnauthorized: false });
s.on('error', () => process.exit(2));
const req = s.request({ ':path': u.pathname });
req.resume();
req.on('end', () => s.close());
`,
);

const node = process.execPath;
const send = (c, file) => [node, c, 'send', file, '-k', '--no-color'];
const CONTENDERS = {
  'node -e 0': [node, '-e', '0'],
  'wirelens --version': [node, cli, '--version'],
  'wirelens --help': [node, cli, '--help'],
  'wirelens send (h1)': send(cli, h1File),
  'node:http GET': [node, nodeH1, h1Url],
  'wirelens send (h2)': send(cli, h2File),
  'node:http2 GET': [node, nodeH2, h2Url],
  ...(before
    ? { 'before: --help': [node, before, '--help'], 'before: send (h1)': send(before, h1File), 'before: send (h2)': send(before, h2File) }
    : {}),
  'curl (h1)': ['curl', '-s', '-o', '/dev/null', h1Url],
};
if (spawnSync('curl', ['--version']).status !== 0) delete CONTENDERS['curl (h1)'];
if (!haveGnuTime) console.error('/usr/bin/time is missing (Debian package `time`): no CPU times, peak RSS polled from /proc');

const results = { rounds: ROUNDS, load: { before: load() }, contenders: {} };
const runs = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const name of rotated(Object.keys(CONTENDERS), i)) {
    const r = await measure(CONTENDERS[name], { cwd: root, timeoutMs: 30_000 });
    if (!r.ok) {
      console.error(`${name} failed: ${(r.stderr || r.stdout).slice(-300)}`);
      continue;
    }
    runs[name].push(r);
  }
}
results.load.after = load();
for (const [name, list] of Object.entries(runs)) {
  if (list.length === 0) continue;
  results.contenders[name] = {
    wallMs: median(list.map((r) => r.wallMs)),
    cpuMs: haveGnuTime ? median(list.map((r) => r.cpuS * 1000)) : null,
    peakRssMiB: median(list.map((r) => r.rssMiB)),
    runs: list.length,
  };
}
const f = (x) => (x === null || x === undefined ? '—' : x.toFixed(0));
const floor = results.contenders['node -e 0'];
console.log(`Process startup, whole process, medians of ${ROUNDS} interleaved rounds (over node -e 0: what the program adds):`);
console.log(
  `${'contender'.padEnd(20)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(7)} ${'+ wall'.padStart(7)} ${'+ CPU'.padStart(6)} ${'peak RSS'.padStart(9)}`,
);
for (const [name, r] of Object.entries(results.contenders)) {
  const extraWall = floor ? r.wallMs - floor.wallMs : null;
  const extraCpu = floor && r.cpuMs !== null ? r.cpuMs - floor.cpuMs : null;
  console.log(
    `${name.padEnd(20)} ${f(r.wallMs).padStart(8)} ${f(r.cpuMs).padStart(7)} ${f(extraWall).padStart(7)} ${f(extraCpu).padStart(6)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(9)}`,
  );
}
const ratio = (peer, ours) => {
  const a = results.contenders[peer];
  const b = results.contenders[ours];
  return a && b ? { wall: a.wallMs / b.wallMs, cpu: a.cpuMs !== null ? a.cpuMs / b.cpuMs : null } : null;
};
results.ratios = { h1: ratio('node:http GET', 'wirelens send (h1)'), h2: ratio('node:http2 GET', 'wirelens send (h2)') };
for (const [k, r] of Object.entries(results.ratios)) {
  if (r)
    console.log(
      `node client / wirelens send (${k}): wall ${r.wall.toFixed(2)}×, CPU ${r.cpu === null ? '—' : r.cpu.toFixed(2)}× (above 1: wirelens is faster)`,
    );
}
console.log(`load average (1, 5, 15 min) on ${cpus().length} cores: before ${loadText(results.load.before)}, after ${loadText(results.load.after)}`);
writeFileSync(join(root, 'bench', 'results', 'startup.json'), `${JSON.stringify(results, null, 2)}\n`);
h1.close();
h2.close();
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
