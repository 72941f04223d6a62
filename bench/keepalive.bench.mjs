// Keep-alive: 1,000 sequential small requests in one process over one reused connection, plain and TLS: the
// engine with a ConnectionPool (the pipeline's send, as Send All / wirelens send --all use it) beside node:http
// with a keep-alive Agent and undici's Pool, and the engine without a pool (a new connection each) for scale.
// Loopback only (a node:http / node:https server). Best of WL_BENCH_REPS runs; writes bench/results/keepalive.json.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Pool } = require('undici');
const N = Number(process.env.WL_BENCH_SMALL ?? 1000);
const REPS = Number(process.env.WL_BENCH_REPS ?? 3);
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
const cert = await makeSelfSigned();

const body = '{"ok":true,"n":1}';
const handler = (req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', body.length);
  res.end(body);
};
const plainServer = http.createServer({ keepAliveTimeout: 60_000 }, handler);
const tlsServer = https.createServer({ key: cert.key, cert: cert.cert, keepAliveTimeout: 60_000 }, handler);
const connections = { plain: 0, tls: 0 };
plainServer.on('connection', () => connections.plain++);
tlsServer.on('secureConnection', () => connections.tls++);
await new Promise((r) => plainServer.listen(0, '127.0.0.1', r));
await new Promise((r) => tlsServer.listen(0, '127.0.0.1', r));
const origins = { plain: `http://127.0.0.1:${plainServer.address().port}`, tls: `https://localhost:${tlsServer.address().port}` };

async function loop(fn, n) {
  for (let i = 0; i < 50; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return performance.now() - t0;
}
async function best(make, n = N) {
  const runs = [];
  for (let r = 0; r < REPS; r++) {
    const { fn, close } = make();
    runs.push(await loop(fn, n));
    await close();
  }
  return Math.min(...runs);
}

const results = { count: N, reps: REPS, plain: {}, tls: {} };
for (const kind of ['plain', 'tls']) {
  const base = origins[kind];
  const tlsOpts = kind === 'tls' ? { ca: [cert.cert] } : {};
  const req = { method: 'GET', url: `${base}/small`, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} };
  const before = connections[kind];
  results[kind].engineReuse = await best(() => {
    const pool = new ConnectionPool({ idleMs: 60_000 });
    return {
      fn: async () => {
        const ex = await execute(req, { pool, ...tlsOpts });
        if (ex.error) throw new Error(ex.error.code);
      },
      close: async () => pool.close(),
    };
  });
  results[kind].engineConnections = connections[kind] - before;
  results[kind].engineRawReuse = await best(() => {
    const pool = new ConnectionPool({ idleMs: 60_000 });
    return {
      fn: async () => {
        const ex = await send(req, { pool, ...tlsOpts });
        if (ex.error) throw new Error(ex.error.code);
      },
      close: async () => pool.close(),
    };
  });
  results[kind].nodeHttpKeepAlive = await best(() => {
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
  });
  results[kind].undiciPool = await best(() => {
    const pool = new Pool(base, { connections: 1, connect: kind === 'tls' ? { ca: cert.cert } : undefined });
    return {
      fn: async () => {
        const r = await pool.request({ path: '/small', method: 'GET' });
        await r.body.text();
      },
      close: () => pool.close(),
    };
  });
  // Without a pool every request pays the handshakes (a tenth of the count, scaled, to keep it short).
  const tenth = Math.max(10, Math.floor(N / 10));
  results[kind].engineNewConnection =
    (await best(
      () => ({
        fn: async () => {
          const ex = await send(req, tlsOpts);
          if (ex.error) throw new Error(ex.error.code);
        },
        close: async () => undefined,
      }),
      tenth,
    )) *
    (N / tenth);
}

await new Promise((r) => plainServer.close(r));
await new Promise((r) => tlsServer.close(r));
plainServer.closeAllConnections?.();
tlsServer.closeAllConnections?.();
rmSync(tmp, { recursive: true, force: true });

const num = (v, d = 0) => v.toFixed(d).padStart(8);
for (const kind of ['plain', 'tls']) {
  const r = results[kind];
  console.log(`\n${N} sequential small requests, ${kind === 'tls' ? 'TLS' : 'plain HTTP'}, one process (best of ${REPS})`);
  // The engine's speed relative to a peer: peer time / engine time (send() with a pool; annotating is a later stage).
  const row = (label, ms, vs) =>
    console.log(
      `  ${label.padEnd(44)}${num(ms)} ms  ${num(ms / N, 3)} ms/req${vs ? `  engine speed ×${(ms / r.engineRawReuse).toFixed(2)} of it` : ''}`,
    );
  row('engine + pool, with annotations (pipeline)', r.engineReuse);
  row('engine + pool, send() only', r.engineRawReuse);
  row('node:http Agent keepAlive', r.nodeHttpKeepAlive, true);
  row('undici Pool (1 connection)', r.undiciPool, true);
  row('engine, new connection each (scaled)', r.engineNewConnection, true);
  console.log(`  connections the server saw for the engine's ${REPS} pooled runs: ${r.engineConnections}`);
}
writeFileSync(join(root, 'bench', 'results', 'keepalive.json'), `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
