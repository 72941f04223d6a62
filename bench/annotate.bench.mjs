#!/usr/bin/env node
// Annotation of one ordinary exchange, per exchange: what Send All and `wirelens send --all` pay per request on top
// of the wire (pipeline.ts runs annotateExchange on every hop). Two exchanges recorded by the engine from loopback
// servers: a small JSON 200 over plain HTTP (Content-Type, Content-Length, Date, Connection, Keep-Alive), and a
// typical API response over TLS (about a dozen headers: Cache-Control, ETag, Vary, Server, HSTS, Set-Cookie...).
// Each timed call gets its own structuredClone'd copy (as each request brings a fresh record); medians of several
// rounds, warm. Also how many checks ran on each (counted after timing, by wrapping the registered checks).
// Figures, not pass/fail. Writes bench/results/annotate.json.
import { createRequire } from 'node:module';
import * as http from 'node:http';
import * as https from 'node:https';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', 'src', p);
const { send } = require(out('wire/index.js'));
const { annotateExchange, allChecks } = require(out('annotate/index.js'));
const { makeSelfSigned } = require(out('demo/certs.js'));
const ROUNDS = Number(process.env.WIRELENS_BENCH_ROUNDS ?? 9);
const PER_ROUND = Number(process.env.WIRELENS_BENCH_PER_ROUND ?? 2000);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server.address().port;
}

/** Records the two exchanges with the engine, from loopback servers. */
async function record() {
  const small = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '17' });
    res.end('{"ok":true,"n":1}');
  });
  const body = JSON.stringify({
    id: 'c0ffee',
    items: [
      { id: 1, name: 'first' },
      { id: 2, name: 'second' },
    ],
    next: null,
  });
  const cert = await makeSelfSigned();
  const api = https.createServer({ key: cert.key, cert: cert.cert, keepAliveTimeout: 60_000 }, (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'private, max-age=0, no-cache',
      ETag: '"5f3a-1c2b"',
      Vary: 'Accept-Encoding, Origin',
      Server: 'nginx/1.25.3',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'Set-Cookie': 'session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax',
      'X-Request-Id': '7d2c1e0a-3b4f-4c5d-9e8f-0a1b2c3d4e5f',
      'X-Content-Type-Options': 'nosniff',
      'Last-Modified': new Date(Date.now() - 3_600_000).toUTCString(),
    });
    res.end(body);
  });
  const smallPort = await listen(small);
  const apiPort = await listen(api);
  try {
    const get = (url, extra = {}) => send({ method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} }, extra);
    const smallEx = await get(`http://127.0.0.1:${smallPort}/small`);
    const apiEx = await send(
      {
        method: 'GET',
        url: `https://localhost:${apiPort}/api/items?page=1`,
        httpVersion: 'HTTP/1.1',
        headers: [
          ['Accept', 'application/json'],
          ['Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'],
        ],
        body: null,
        options: {},
      },
      { ca: [cert.cert] },
    );
    for (const ex of [smallEx, apiEx]) if (ex.error) throw new Error(`engine: ${JSON.stringify(ex.error)}`);
    return { smallEx, apiEx };
  } finally {
    small.close();
    api.close();
    small.closeAllConnections?.();
    api.closeAllConnections?.();
  }
}

/** Median per-call µs over rounds; each call annotates a fresh copy (cloned outside the timed loop). */
function measure(ex) {
  const rounds = [];
  let notes = 0;
  for (let r = 0; r < ROUNDS + 1; r++) {
    const copies = Array.from({ length: PER_ROUND }, () => structuredClone(ex));
    const t = performance.now();
    for (const c of copies) notes = annotateExchange(c).length;
    const us = ((performance.now() - t) * 1000) / PER_ROUND;
    if (r > 0) rounds.push(us); // round 0 warms up
  }
  return { medianUs: median(rounds), minUs: Math.min(...rounds), rounds, notes };
}

/** How many checks annotating one copy runs (the registry skips those that cannot find anything there). */
function checksRun(ex) {
  let n = 0;
  const defs = allChecks();
  const runs = defs.map((d) => d.run);
  defs.forEach((d, i) => {
    d.run = (ctx) => {
      n++;
      return runs[i](ctx);
    };
  });
  try {
    annotateExchange(structuredClone(ex));
  } finally {
    defs.forEach((d, i) => {
      d.run = runs[i];
    });
  }
  return { checksRun: n, checks: defs.length };
}

async function main() {
  const { smallEx, apiEx } = await record();
  const loadBefore = loadavg();
  const small = measure(smallEx);
  const api = measure(apiEx);
  const result = {
    loadBefore,
    loadAfter: loadavg(),
    rounds: ROUNDS,
    perRound: PER_ROUND,
    small: { headers: smallEx.response.headers.length, ...small, ...checksRun(smallEx) },
    api: { headers: apiEx.response.headers.length, tls: apiEx.connection?.tls?.protocol ?? null, ...api, ...checksRun(apiEx) },
  };
  const row = (r) => ({
    headers: r.headers,
    notes: r.notes,
    'checks run': `${r.checksRun} of ${r.checks}`,
    'median µs': r.medianUs.toFixed(1),
    'min µs': r.minUs.toFixed(1),
  });
  console.table({ 'small JSON 200 (plain)': row(result.small), 'typical API response (TLS)': row(result.api) });
  console.log(
    `load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} (before), ${result.loadAfter.map((x) => x.toFixed(2)).join(' ')} (after)`,
  );
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'annotate.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
