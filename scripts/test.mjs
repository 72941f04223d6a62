#!/usr/bin/env node
// `npm test`: every check and every test layer, in order, each reported; exits non-zero if any failed.
//   typecheck → lint → import cycles → package (bundles + VSIX) → compile tests → unit (plain Node) →
//   integration (mocha in a real VS Code extension host) → UI (Playwright on code-server with the VSIX).
// WIRELENS_ONLY=unit,integration runs a subset (for development); CI runs everything.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const steps = [
  { name: 'typecheck', cmd: npm, args: ['run', '-s', 'typecheck'] },
  { name: 'lint', cmd: npm, args: ['run', '-s', 'lint'] },
  { name: 'cycles', cmd: process.execPath, args: ['scripts/check-cycles.mjs'] },
  { name: 'package', cmd: npm, args: ['run', '-s', 'package'] },
  { name: 'compile-tests', cmd: npm, args: ['run', '-s', 'compile-tests'] },
  { name: 'unit', cmd: 'npx', args: ['mocha', '--config', '.mocharc.unit.json'], tests: true },
  { name: 'integration', cmd: process.execPath, args: ['scripts/run-vscode-tests.mjs'], tests: true },
  { name: 'ui', cmd: process.execPath, args: ['scripts/run-ui-tests.mjs'], tests: true },
];

const only = process.env.WIRELENS_ONLY?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function run(step) {
  return new Promise((done) => {
    const started = Date.now();
    console.log(`\n=== ${step.name}: ${[step.cmd, ...step.args].join(' ')}`);
    const p = spawn(step.cmd, step.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    p.stderr.on('data', (d) => {
      process.stderr.write(d);
    });
    p.on('error', (e) => {
      console.error(`${step.name}: ${e.message}`);
      done({ code: 1, out, ms: Date.now() - started });
    });
    p.on('exit', (code, signal) => done({ code: code ?? (signal ? 1 : 0), out, ms: Date.now() - started }));
  });
}

// Mocha's spec reporter ends with "N passing" / "N failing".
function counts(out) {
  const last = (re) => {
    const all = [...out.matchAll(re)];
    return all.length ? all.reduce((s, m) => s + Number(m[1]), 0) : 0;
  };
  return { passed: last(/^\s*(\d+) passing/gm), failed: last(/^\s*(\d+) failing/gm) };
}

const results = [];
for (const step of steps) {
  // Building is always needed before tests that use the bundles.
  if (only && !only.includes(step.name) && !['package', 'compile-tests'].includes(step.name)) continue;
  const r = await run(step);
  const c = step.tests ? counts(r.out) : { passed: 0, failed: 0 };
  // A layer that failed without reporting a failing test (it could not start) still counts as one failure.
  if (r.code !== 0 && c.failed === 0) c.failed = 1;
  results.push({ name: step.name, code: r.code, ms: r.ms, ...c, tests: Boolean(step.tests) });
}

console.log('\n=== summary');
for (const r of results) {
  const what = r.tests ? `${r.passed} passed, ${r.failed} failed` : r.code === 0 ? 'ok' : 'FAILED';
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(14)} ${what.padEnd(28)} ${(r.ms / 1000).toFixed(1)} s`);
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + (r.tests ? r.failed : r.code === 0 ? 0 : 1), 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
