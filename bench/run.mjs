#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in turn (each prints a table and writes bench/results/*.json).
// Benchmarks are measurements, never pass/fail tests; a benchmark that crashes makes this exit non-zero.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(import.meta.dirname);
mkdirSync(join(dir, 'results'), { recursive: true });
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n### ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { stdio: 'inherit', cwd: resolve(dir, '..') });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
