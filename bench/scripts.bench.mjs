// Scripts must not make runs slow: 500 requests, each with a JetBrains response handler that runs a
// client.test, through `wirelens test` (whole process, loopback), beside httpyac running the same file.
// httpyac is installed for this benchmark only, into a cache directory (never a dependency of the product).
// Prints the wall times, the ratio, and the sandbox start per script; writes bench/results/scripts.json.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.js');
const REQUESTS = 500;
const RUNS = 3;
const HTTPYAC_VERSION = '6.16.7';

if (!existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });

function ensureHttpyac() {
  const prefix = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wirelens-bench', 'httpyac');
  const bin = join(prefix, 'node_modules', 'httpyac', 'bin', 'httpyac.js');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    console.log(`installing httpyac@${HTTPYAC_VERSION} into ${prefix} (benchmark only)…`);
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `httpyac@${HTTPYAC_VERSION}`], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(bin)) throw new Error('httpyac could not be installed; the comparison needs it');
  }
  return bin;
}

const server = http.createServer((req, res) => {
  const body = JSON.stringify({ id: req.url, ok: true });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const dir = mkdtempSync(join(tmpdir(), 'wirelens-bench-scripts-'));
let text = '';
for (let i = 0; i < REQUESTS; i++) {
  text += `### r${i}\nGET ${base}/items/${i}\nAccept: application/json\n\n> {%\n  client.test("item ${i} ok", function () {\n    client.assert(response.status === 200, "status");\n    client.assert(response.body.ok === true, "ok");\n  });\n%}\n\n`;
}
const file = join(dir, 'bench.http');
writeFileSync(file, text);

// Asynchronous: the loopback server lives in this process and must keep answering while the child runs.
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function time(cmd, args, check) {
  const runs = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await run(cmd, args);
    runs.push(performance.now() - t0);
    check(last);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[Math.floor(runs.length / 2)], runs, last };
}

const wl = await time(process.execPath, [CLI, 'test', 'bench.http', '--reporter', 'json'], (r) => {
  if (r.status !== 0) throw new Error(`wirelens test failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout);
  if (report.summary.passed !== REQUESTS) throw new Error(`wirelens: ${report.summary.passed} of ${REQUESTS} tests passed`);
});

// The sandbox start per script, measured in-process: the run model records each script's start.
const startProbe = await run(process.execPath, [
  '-e',
  `
  const { RunState, runRequests } = require(${JSON.stringify(join(root, 'out', 'src', 'run', 'index.js'))});
  const { parseHttp } = require(${JSON.stringify(join(root, 'out', 'src', 'language', 'index.js'))});
  const fs = require('fs');
  (async () => {
    const doc = parseHttp(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));
    const state = new RunState();
    await runRequests({ doc, context: { filePath: ${JSON.stringify(file)} }, state });
    const s = state.scriptStarts.slice(1).sort((a, b) => a - b);
    console.log(JSON.stringify({ median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], first: state.scriptStarts[0], n: state.scriptStarts.length }));
    await state.dispose();
  })();
`,
]);
let starts = null;
try {
  starts = JSON.parse(startProbe.stdout.trim().split('\n').pop());
} catch {
  console.error(startProbe.stderr.slice(0, 2000));
}

let yac = null;
let yacError = null;
try {
  const bin = ensureHttpyac();
  yac = await time(process.execPath, [bin, 'send', 'bench.http', '--all', '--output', 'none'], (r) => {
    if (r.status !== 0) throw new Error(`httpyac failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
  });
} catch (e) {
  yacError = e instanceof Error ? e.message : String(e);
}

server.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  requests: REQUESTS,
  wirelensMs: Math.round(wl.median),
  httpyacMs: yac ? Math.round(yac.median) : null,
  ratio: yac ? +(yac.median / wl.median).toFixed(2) : null,
  sandboxStartMs: starts
    ? { median: +starts.median.toFixed(3), p95: +starts.p95.toFixed(3), first: +starts.first.toFixed(1), scripts: starts.n }
    : null,
  goal: 'wirelens at least 4x faster than httpyac; sandbox start under 2 ms',
  httpyacError: yacError,
};
console.log(`500 requests, each with a JetBrains handler and a client.test, whole process, loopback (median of ${RUNS}):`);
console.log(`  wirelens test   ${result.wirelensMs} ms`);
console.log(`  httpyac send    ${result.httpyacMs ?? 'n/a'} ms${yacError ? ` (${yacError})` : ''}`);
console.log(`  ratio           ${result.ratio ?? 'n/a'}x (goal ≥ 4x)`);
if (result.sandboxStartMs)
  console.log(
    `  sandbox start   median ${result.sandboxStartMs.median} ms, p95 ${result.sandboxStartMs.p95} ms per script (first, with the context: ${result.sandboxStartMs.first} ms)`,
  );
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'scripts.json'), `${JSON.stringify(result, null, 2)}\n`);
if (yacError) process.exitCode = 1;
