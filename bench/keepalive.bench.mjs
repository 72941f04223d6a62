// Keep-alive: 1,000 sequential small requests in one process over one reused connection, plain and TLS: the
// engine with a ConnectionPool — `wirelens send --all` run in this process on a file of 1,000 requests (parse,
// resolve, send, annotate, mask, print to a discarded stream: the whole run), the pipeline per request (send and
// annotate, as Send All runs each) and send() alone — beside node:http with a keep-alive Agent and undici's Pool,
// and the engine without a pool (a new connection each) for scale. Loopback only (a node:http / node:https
// server, bench/lib/smallServer.mjs), run twice: in this process (its work and garbage shared with every client)
// and in a process of its own (the client's time alone, as against a real server). Medians of WL_BENCH_REPS
// rounds, the contenders interleaved; wall and CPU time; the load average; writes bench/results/keepalive.json.
import * as esbuild from 'esbuild';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import * as http from 'node:http';
import * as https from 'node:https';
import { startSmallServers } from './lib/smallServer.mjs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Pool } = require('undici');
const N = Number(process.env.WL_BENCH_SMALL ?? 1000);
const REPS = Number(process.env.WL_BENCH_REPS ?? 9);
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-keepalive-'));

const bundle = join(tmp, 'wire.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/pipeline.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const { execute } = require(bundle);
const wireBundle = join(tmp, 'pool.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/wire/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: wireBundle,
  logLevel: 'warning',
});
const { ConnectionPool, send } = require(wireBundle);
const certsBundle = join(tmp, 'certs.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/demo/certs.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: certsBundle,
  logLevel: 'warning',
});
const { makeSelfSigned } = require(certsBundle);
const cliBundle = join(tmp, 'cli.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/cli/send.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: cliBundle,
  logLevel: 'warning',
});
const { runSend } = require(cliBundle);
const cert = await makeSelfSigned();

/** The servers, in this process or in a child; `count(kind)` is the connections accepted so far. */
async function serversIn(mode) {
  if (mode === 'same') {
    const s = await startSmallServers(cert);
    return { ports: s.ports, count: async (kind) => s.connections[kind], close: s.close };
  }
  const child = fork(join(root, 'bench', 'lib', 'smallServer.mjs'), [], { stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise((r) => child.once('message', r));
  const ready = next();
  child.stdin.end(JSON.stringify({ key: cert.key, cert: cert.cert }));
  const { ports } = await ready;
  return {
    ports,
    count: async (kind) => {
      const reply = next();
      child.send('connections');
      return (await reply).connections[kind];
    },
    close: async () => {
      const gone = new Promise((r) => child.once('exit', r));
      child.send('close');
      await gone;
    },
  };
}
let server;
let origins;

/** Runs fn n times after a warm-up (or, for a whole run, `batch` once after `warm`); wall time and this process's
 * CPU time (client and server: the same server work for every contender, so CPU differences are the clients'). */
async function loop(c, n) {
  if (c.batch) await c.warm();
  else for (let i = 0; i < 50; i++) await c.fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (c.batch) await c.batch();
  else for (let i = 0; i < n; i++) await c.fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const median = (list) => {
  const s = [...list].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Medians of REPS rounds for each contender, the contenders interleaved (A B C D, A B C D, …): on a shared, loaded
 * machine a burst of load then hits every contender alike instead of whichever ran during it.
 */
async function medianOf(contenders, kind, n = N) {
  const runs = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  const opened = Object.fromEntries(Object.keys(contenders).map((k) => [k, 0]));
  for (let r = 0; r < REPS; r++) {
    for (const [name, make] of Object.entries(contenders)) {
      const c = make();
      const before = await server.count(kind);
      runs[name].push(await loop(c, n));
      opened[name] += (await server.count(kind)) - before;
      await c.close();
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([k, list]) => [
      k,
      {
        wall: median(list.map((x) => x.wall)),
        cpu: median(list.map((x) => x.cpu)),
        connections: opened[k],
        rounds: list.map((x) => Math.round(x.wall)),
      },
    ]),
  );
}

/** A .http file of `count` requests to the origin, as a user writes them (a variable, a header). */
function httpFile(base, count) {
  const file = join(tmp, `run-${count}.http`);
  const blocks = [`@base = ${base}\n`];
  for (let i = 0; i < count; i++) blocks.push(`### r${i}\nGET {{base}}/small\nAccept: application/json\n`);
  writeFileSync(file, blocks.join('\n'));
  return file;
}
const discard = () => Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });

const results = { count: N, reps: REPS, loadBefore: loadavg() };
for (const mode of ['same', 'own']) {
  server = await serversIn(mode);
  origins = { plain: `http://127.0.0.1:${server.ports.plain}`, tls: `https://localhost:${server.ports.tls}` };
  results[mode] = { plain: {}, tls: {} };
  const out = results[mode];
  for (const kind of ['plain', 'tls']) {
    const base = origins[kind];
    const tlsOpts = kind === 'tls' ? { ca: [cert.cert] } : {};
    const req = { method: 'GET', url: `${base}/small`, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} };
    const enginePooled = (run) => () => {
      const pool = new ConnectionPool({ idleMs: 60_000 });
      return {
        fn: async () => {
          const ex = await run(req, { pool, ...tlsOpts });
          if (ex.error) throw new Error(ex.error.code);
        },
        close: async () => pool.close(),
      };
    };
    const runFile = httpFile(base, N);
    const warmFile = httpFile(base, 50);
    // `wirelens send --all` in this process (TLS: --insecure, the CLI has no flag for an extra root).
    const cliRun = (file) => async () => {
      const code = await runSend([file, '--all', '--no-color', ...(kind === 'tls' ? ['--insecure'] : [])], { stdout: discard(), stderr: discard() });
      if (code !== 0) throw new Error(`wirelens send exited with ${code}`);
    };
    const measured = await medianOf(
      {
        cliSendAll: () => ({ batch: cliRun(runFile), warm: cliRun(warmFile), close: async () => undefined }),
        // What Send All runs per request: send, then every note of the knowledge base (the pipeline).
        engineReuse: enginePooled(execute),
        engineRawReuse: enginePooled(send),
        nodeHttpKeepAlive: () => {
          const mod = kind === 'tls' ? https : http;
          const agent = new mod.Agent({ keepAlive: true, maxSockets: 1, ...(kind === 'tls' ? { ca: cert.cert } : {}) });
          return {
            fn: () =>
              new Promise((resolve, reject) => {
                mod
                  .get(`${base}/small`, { agent }, (res) => {
                    res.resume();
                    res.on('end', resolve);
                  })
                  .on('error', reject);
              }),
            close: async () => agent.destroy(),
          };
        },
        undiciPool: () => {
          const pool = new Pool(base, { connections: 1, connect: kind === 'tls' ? { ca: cert.cert } : undefined });
          return {
            fn: async () => {
              const r = await pool.request({ path: '/small', method: 'GET' });
              await r.body.text();
            },
            close: () => pool.close(),
          };
        },
      },
      kind,
    );
    for (const [k, v] of Object.entries(measured)) {
      out[kind][k] = v.wall;
      out[kind][`${k}Cpu`] = v.cpu;
      out[kind][`${k}Rounds`] = v.rounds;
    }
    // The pooled contenders (CLI run, pipeline, send) ran REPS times each: one connection per run (and per warm-up run).
    out[kind].engineConnections = measured.engineReuse.connections + measured.engineRawReuse.connections;
    out[kind].cliConnections = measured.cliSendAll.connections;
    // Without a pool every request pays the handshakes (a tenth of the count, scaled, to keep it short).
    const tenth = Math.max(10, Math.floor(N / 10));
    const fresh = await medianOf(
      {
        engineNewConnection: () => ({
          fn: async () => {
            const ex = await send(req, tlsOpts);
            if (ex.error) throw new Error(ex.error.code);
          },
          close: async () => undefined,
        }),
      },
      kind,
      tenth,
    );
    out[kind].engineNewConnection = fresh.engineNewConnection.wall * (N / tenth);
  }
  await server.close();
}

rmSync(tmp, { recursive: true, force: true });

results.loadAfter = loadavg();
const num = (v, d = 0) => v.toFixed(d).padStart(8);
const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
console.log(
  `\nload average before ${load(results.loadBefore)}, after ${load(results.loadAfter)} (${N} requests; medians of ${REPS} interleaved rounds)`,
);
for (const mode of ['same', 'own']) {
  for (const kind of ['plain', 'tls']) {
    const r = results[mode][kind];
    console.log(
      `\n${N} sequential small requests, ${kind === 'tls' ? 'TLS' : 'plain HTTP'}, the server ${mode === 'same' ? 'in the same process' : 'in a process of its own'}`,
    );
    // Speed relative to a peer = peer time / engine time (above 1: the engine is faster), for the whole CLI run, the
    // pipeline per request (send and annotate) and send() alone; wall time, CPU time of the process in brackets.
    const ratio = (peer, ours) => `×${(r[peer] / r[ours]).toFixed(2)} (cpu ×${(r[`${peer}Cpu`] / r[`${ours}Cpu`]).toFixed(2)})`;
    const vs = (peer) => `send --all ${ratio(peer, 'cliSendAll')}, pipeline ${ratio(peer, 'engineReuse')}, send ${ratio(peer, 'engineRawReuse')}`;
    const row = (label, key, peer) =>
      console.log(
        `  ${label.padEnd(46)}${num(r[key])} ms  ${num(r[key] / N, 3)} ms/req${r[`${key}Cpu`] !== undefined ? `  cpu ${num(r[`${key}Cpu`] / N, 3)} ms/req` : ''}${peer ? `  engine speed: ${vs(key)}` : ''}`,
      );
    row('wirelens send --all (whole run, in process)', 'cliSendAll');
    row('engine + pool, with annotations (pipeline)', 'engineReuse');
    row('engine + pool, send() only', 'engineRawReuse');
    row('node:http Agent keepAlive', 'nodeHttpKeepAlive', true);
    row('undici Pool (1 connection)', 'undiciPool', true);
    row('engine, new connection each (scaled)', 'engineNewConnection');
    console.log(
      `  connections the server saw: ${r.engineConnections} for the engine's ${2 * REPS} pooled runs, ${r.cliConnections} for ${2 * REPS} CLI runs (warm-ups included)`,
    );
  }
}
writeFileSync(join(root, 'bench', 'results', 'keepalive.json'), `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
