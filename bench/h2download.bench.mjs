// HTTP/2 download throughput and memory, whole process: `wirelens send --body-out /dev/null` over h2 (TLS, ALPN)
// beside Node's own http2 client and `curl --http2`, each fetching 256 MiB from the same loopback origin (Node's
// http2 server, in this process) in the same run. Prints a table with ratios; writes bench/results/h2download.json.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// WL_BENCH_CLI: another build of the CLI (a before/after comparison in the same run).
const cli = process.env.WL_BENCH_CLI ?? join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node esbuild.mjs` (npm run bench does) first');
  process.exit(1);
}
const SIZE = 256 * 1024 * 1024;
const REPS = Number(process.env.WL_BENCH_REPS ?? 3);
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
const CLIENTS = {
  'wirelens send (h2)': [process.execPath, cli, 'send', httpFile, '-k', '--body-out', '/dev/null', '--no-color'],
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
const haveTime = existsSync('/usr/bin/time');

function measure(argv) {
  return new Promise((resolve) => {
    const cmd = haveTime ? ['/usr/bin/time', '-v', ...argv] : argv;
    const t0 = performance.now();
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
    let err = '';
    let out = '';
    let hwm = 0;
    child.stdout.on('data', (d) => {
      out += d.toString();
    });
    child.stderr.on('data', (d) => {
      err += d.toString();
    });
    const poll = haveTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 5);
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const user = /User time \(seconds\): ([\d.]+)/.exec(err);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(err);
      const cpuS = user && sys ? Number(user[1]) + Number(sys[1]) : null;
      resolve({ ok: code === 0, ms, cpuS, rssMiB: (m ? Number(m[1]) : hwm) / 1024, stdout: out.slice(0, 4000), stderr: err.slice(-400) });
    });
  });
}

const results = { sizeBytes: SIZE, reps: REPS, curlHttp2: curlH2, downloads: {} };
const mbps = (ms) => SIZE / 1e6 / (ms / 1000);
// Interleaved rounds, so that the machine's other tenants disturb every client alike.
const runs = Object.fromEntries(Object.keys(CLIENTS).map((k) => [k, []]));
for (let i = 0; i < REPS; i++) {
  for (const [name, argv] of Object.entries(CLIENTS)) {
    if (name.startsWith('curl') && !curlH2) continue;
    const r = await measure(argv);
    if (!r.ok) {
      console.error(`${name} failed: ${(/✖.*$/m.exec(r.stdout) ?? [r.stderr])[0]}`);
      continue;
    }
    if (name.startsWith('wirelens') && !/Using HTTP\/2/.test(r.stdout)) console.error('wirelens did not use HTTP/2!');
    if (name.startsWith('curl') && r.stdout.trim() !== '2') console.error(`curl used HTTP/${r.stdout.trim()}`);
    runs[name].push(r);
  }
}
for (const [name, list] of Object.entries(runs)) {
  if (list.length === 0) continue;
  const best = Math.min(...list.map((r) => r.ms));
  results.downloads[name] = {
    ms: best,
    mbPerS: mbps(best),
    peakRssMiB: Math.max(...list.map((r) => r.rssMiB)),
    // CPU seconds (user + system) of the client process, the least noisy figure on a shared machine.
    cpuS: list.every((r) => r.cpuS !== null) ? Math.min(...list.map((r) => r.cpuS)) : null,
    runs: list.map((r) => Math.round(r.ms)),
  };
}
const ref = results.downloads['node:http2'];
console.log(`256 MiB over HTTP/2 (TLS, loopback, Node http2 origin), best of ${REPS}, whole process:`);
console.log(
  `${'client'.padEnd(22)} ${'MB/s'.padStart(8)} ${'vs node:http2'.padStart(14)} ${'peak RSS'.padStart(10)} ${'CPU s'.padStart(7)}  runs (ms)`,
);
for (const [name, r] of Object.entries(results.downloads)) {
  r.vsNodeHttp2 = ref ? r.mbPerS / ref.mbPerS : null;
  console.log(
    `${name.padEnd(22)} ${r.mbPerS.toFixed(0).padStart(8)} ${(r.vsNodeHttp2 === null ? '—' : `${r.vsNodeHttp2.toFixed(2)}×`).padStart(14)} ${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(10)} ${(r.cpuS === null ? '—' : r.cpuS.toFixed(2)).padStart(7)}  ${r.runs.join(', ')}`,
  );
}
if (!curlH2) console.log('(curl here has no HTTP2 feature: not measured)');
writeFileSync(join(root, 'bench', 'results', 'h2download.json'), `${JSON.stringify(results, null, 2)}\n`);
server.close();
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
