#!/usr/bin/env node
// `npm run fuzz`: the fuzz targets (test/fuzz/targets.ts) for a long run. WIRELENS_FUZZ_RUNS (default 100,000
// per target) and WIRELENS_FUZZ_SEED (default: random, printed so a failure can be replayed). Prints executions,
// crashes and hangs per target; exits 1 on a crash or hang.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { runTarget, TARGETS } = require(resolve(root, 'out/test/fuzz/targets.js'));
const runs = Number(process.env.WIRELENS_FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.WIRELENS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
let bad = 0;
for (const t of TARGETS) {
  const started = performance.now();
  const s = runTarget(t.name, t.property(), seed, runs);
  const secs = (performance.now() - started) / 1000;
  console.log(
    `${t.name}: ${s.executions} executions in ${secs.toFixed(1)} s (seed ${seed}), ${s.crashes} crashes, ${s.hangs} hangs, slowest ${s.slowestMs.toFixed(1)} ms`,
  );
  if (s.failure) console.log(s.failure);
  if (s.crashes || s.hangs) bad++;
}
process.exit(bad ? 1 : 0);
