// HTTP/2 download throughput and memory, whole process: `wirelens send --body-out /dev/null` over h2 (TLS, ALPN)
// beside Node's own http2 client and `curl --http2`, each fetching 256 MiB from the same loopback origin (Node's
// http2 server, in this process) in the same run. Interleaved rounds (the order rotated each round), medians of
// wall time, CPU time (user + system of the client process: the fairer figure on a loaded machine) and peak RSS,
// the load average before, during and after; ratios are peer / ours (above 1: we are faster or cheaper).
// Writes bench/results/h2download.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { haveGnuTime, load, loadText, measure, median, rotated } from './lib/wholeProcess.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// WL_BENCH_CLI: another build of the CLI (a before/after comparison in the same run).
const cli = process.env.WL_BENCH_CLI ?? join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node esbuild.mjs` (npm run bench does) first');
  process.exit(1);
}
const SIZE = 256 * 1024 * 1024;
const ROUNDS = Number(process.env.WL_BENCH_REPS ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-h2download-'));

// The certificate: the project's own generator (selfsigned), loaded from the compiled tests' output or built here.
const require = createRequire(import.meta.url);
const selfsigned = require('selfsigned');
const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
  keySize: 2048,
  days: 2,
  extensions: [
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ],
});

// ---- the origin: Node's http2 server over TLS, 1 MiB writes ----
const block = Buffer.alloc(1024 * 1024, 0x61);
const server = http2.createSecureServer({ key: pems.private, cert: pems.cert, settings: { initialWindowSize: 1 << 20 } });
server.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': String(SIZE) });
  let sent = 0;
  const pump = () => {
    while (sent < SIZE) {
      sent += block.length;
      if (!stream.write(block)) {
        stream.once('drain', pump);
        return;
      }
    }
    stream.end();
  };
  pump();
});
server.on('sessionError', () => {});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `https://127.0.0.1:${server.address().port}`;

// ---- the clients, each a whole process, each writing the body to /dev/null ----
const nodeH2Script = join(tmp, 'node-http2.mjs');
writeFileSync(
  nodeH2Script,
  `import * as http2 from 'node:http2';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
const s = http2.connect(process.argv[2], { rejectUnauthorized: false });
s.on('error', () => process.exit(2));
const req = s.request({ ':path': '/big' });
req.on('response', () => { pipeline(req, createWriteStream('/dev/null')).then(() => s.close(), () => process.exit(3)); });
`,
);
const httpFile = join(tmp, 'big.http');
writeFileSync(httpFile, `GET ${base}/big HTTP/2\n`);
const OURS = 'wirelens send (h2)';
const PEER = 'node:http2';
const CLIENTS = {
  [OURS]: [process.execPath, cli, 'send', httpFile, '-k', '--body-out', '/dev/null', '--no-color'],
  'node:http2': [process.execPath, nodeH2Script, base],
  ...(process.env.WL_BENCH_BEFORE
    ? { 'wirelens (before)': [process.execPath, process.env.WL_BENCH_BEFORE, 'send', httpFile, '-k', '--body-out', '/dev/null', '--no-color'] }
    : {}),
  'curl --http2': ['curl', '-s', '-k', '--http2', '-o', '/dev/null', '-w', '%{http_version}', `${base}/big`],
};
const curlH2 = (() => {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /\bHTTP2\b/.test(r.stdout);
})();
if (!curlH2) delete CLIENTS['curl --http2'];
if (!haveGnuTime) console.error('/usr/bin/time is missing (Debian package `time`): no CPU times, peak RSS polled from /proc');

const results = { sizeBytes: SIZE, rounds: ROUNDS, curlHttp2: curlH2, load: { before: load() }, downloads: {} };
const runs = Object.fromEntries(Object.keys(CLIENTS).map((k) => [k, []]));
const loads = [];
for (let i = 0; i < ROUNDS; i++) {
  for (const name of rotated(Object.keys(CLIENTS), i)) {
    const originCpu = process.cpuUsage();
    const r = await measure(CLIENTS[name], { cwd: root });
    const o = process.cpuUsage(originCpu);
    r.originCpuS = (o.user + o.system) / 1e6;
    if (!r.ok) {
      console.error(`${name} failed: ${(/✖.*$/m.exec(r.stdout) ?? [r.stderr.slice(-400)])[0]}`);
      continue;
    }
    if (name.startsWith('wirelens') && !/Using HTTP\/2/.test(r.stdout)) console.error(`${name} did not use HTTP/2!`);
    if (name.startsWith('curl') && r.stdout.trim() !== '2') console.error(`curl used HTTP/${r.stdout.trim()}`);
    runs[name].push(r);
  }
  loads.push(load());
}
results.load.during = loads;
results.load.after = load();
const mbps = (ms) => SIZE / 1e6 / (ms / 1000);
for (const [name, list] of Object.entries(runs)) {
  if (list.length === 0) continue;
  const wallMs = median(list.map((r) => r.wallMs));
  results.downloads[name] = {
    wallMs,
    mbPerS: mbps(wallMs),
    cpuS: median(list.map((r) => r.cpuS)),
    userS: median(list.map((r) => r.userS)),
    sysS: median(list.map((r) => r.sysS)),
    peakRssMiB: median(list.map((r) => r.rssMiB)),
    maxRssMiB: Math.max(...list.map((r) => r.rssMiB)),
    // The origin (this process) while the client ran: a client faster than the origin can serve waits on it.
    originCpuS: median(list.map((r) => r.originCpuS)),
    runs: list.map((r) => ({ wallMs: Math.round(r.wallMs), cpuS: r.cpuS, rssMiB: Math.round(r.rssMiB) })),
  };
}
const ours = results.downloads[OURS];
const peer = results.downloads[PEER];
const ratio = (a, b) => (a && b ? a / b : null);
results.ratios = {
  wallPeerOverOurs: ratio(peer?.wallMs, ours?.wallMs),
  cpuPeerOverOurs: ratio(peer?.cpuS, ours?.cpuS),
};
const f = (x, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
console.log(`256 MiB over HTTP/2 (TLS, loopback, Node http2 origin), whole process, medians of ${ROUNDS} interleaved rounds:`);
console.log(
  `${'client'.padEnd(22)} ${'wall ms'.padStart(8)} ${'MB/s'.padStart(6)} ${'user s'.padStart(7)} ${'sys s'.padStart(6)} ${'CPU s'.padStart(6)} ${'peak RSS'.padStart(9)} ${'origin CPU s'.padStart(12)}  wall ms per round`,
);
for (const [name, r] of Object.entries(results.downloads)) {
  console.log(
    `${name.padEnd(22)} ${r.wallMs.toFixed(0).padStart(8)} ${r.mbPerS.toFixed(0).padStart(6)} ${f(r.userS).padStart(7)} ${f(r.sysS).padStart(6)} ${f(r.cpuS).padStart(6)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(9)} ${f(r.originCpuS).padStart(12)}  ${r.runs.map((x) => x.wallMs).join(', ')}`,
  );
}
for (const [name, r] of Object.entries(results.downloads)) {
  if (name === OURS || !ours) continue;
  console.log(
    `${name} / ours: wall ${f(ratio(r.wallMs, ours.wallMs))}×, CPU ${f(ratio(r.cpuS, ours.cpuS))}× (above 1: wirelens is faster / cheaper)`,
  );
}
console.log(`load average (1, 5, 15 min) on ${cpus().length} cores: before ${loadText(results.load.before)}, after ${loadText(results.load.after)}`);
if (!curlH2) console.log('(curl here has no HTTP2 feature: not measured)');
writeFileSync(join(root, 'bench', 'results', 'h2download.json'), `${JSON.stringify(results, null, 2)}\n`);
server.close();
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
