#!/usr/bin/env node
// Hostile heads, end to end: a loopback server sends 60,000 `a:` header lines (234 KiB, inside the 256 KiB head
// limit). Measured: the engine, annotation (pipeline's annotateExchange), the view model for the panel (size and
// time), and the webview's own renderer in headless Chromium (dist/media/webview.js, durationMs at paint) for the
// capped view and, to show the renderer is linear in rows, for all 60,000 rows. Also annotation of a 256 KiB head
// of distinct lines (the case the per-line memo cannot help). Figures, not pass/fail. Writes bench/results/headers.json.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as net from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureTools } from '../scripts/ensure-tools.mjs';
import { CHROMIUM_ARGS } from '../scripts/code-server.mjs';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const out = (p) => join(root, 'out', 'src', p);
const { send } = require(out('wire/index.js'));
const { annotateExchange } = require(out('annotate/index.js'));
const { buildViewModel } = require(out('view/viewModel.js'));
const RUNS = Number(process.env.WIRELENS_BENCH_RUNS ?? 5);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
// Wall time, and the process's CPU time (on a loaded machine the wall time is mostly waiting for a core).
function time(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return [wall, r, (d.user + d.system) / 1000];
}

async function server(head) {
  const srv = net.createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end(head));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { srv, url: `http://127.0.0.1:${srv.address().port}/` };
}

async function main() {
  const lines = 60_000;
  const head = `HTTP/1.1 200 OK\r\n${'a:\r\n'.repeat(lines)}Content-Length: 0\r\n\r\n`;
  const { srv, url } = await server(head);
  const req = { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], body: null, options: {} };
  const engine = [];
  let ex;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    ex = await send(req);
    engine.push(performance.now() - t);
  }
  srv.close();
  if (ex.error) throw new Error(`engine: ${JSON.stringify(ex.error)}`);
  const ann = [];
  const annCpu = [];
  let notes;
  for (let i = 0; i < RUNS; i++) {
    const [ms, n, cpu] = time(() => annotateExchange(ex));
    ann.push(ms);
    annCpu.push(cpu);
    notes = n;
  }
  ex.notes = notes;
  const vmTimes = [];
  let vm;
  for (let i = 0; i < RUNS; i++) {
    const [ms, v] = time(() => buildViewModel(1, ex));
    vmTimes.push(ms);
    vm = v;
  }
  const vmChars = JSON.stringify(vm).length;
  const recordChars = JSON.stringify(ex).length;

  // 256 KiB of distinct header lines: every per-line check runs on every line.
  const distinctHeaders = [];
  let size = 17;
  for (let i = 0; size < 256 * 1024 - 64; i++) {
    const n = `X-Field-${i}`;
    const v = `value-${i}-${'v'.repeat(i % 40)}`;
    distinctHeaders.push([n, v]);
    size += n.length + v.length + 4;
  }
  const distinctEx = { ...ex, response: { ...ex.response, headers: distinctHeaders }, notes: [] };
  const annDistinct = [];
  const annDistinctCpu = [];
  for (let i = 0; i < RUNS; i++) {
    const [ms, , cpu] = time(() => annotateExchange(distinctEx));
    annDistinct.push(ms);
    annDistinctCpu.push(cpu);
  }
  const annRepeated256 = [];
  const rep = { ...ex, response: { ...ex.response, headers: Array.from({ length: 65_536 }, () => ['a', '']) }, notes: [] };
  const annRepeated256Cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const [ms, , cpu] = time(() => annotateExchange(rep));
    annRepeated256.push(ms);
    annRepeated256Cpu.push(cpu);
  }

  // The webview renderer itself, in Chromium.
  const webview = join(root, 'dist', 'media', 'webview.js');
  if (!existsSync(webview)) throw new Error('dist/media/webview.js missing: npm run build');
  const tools = ensureTools();
  const browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
  const renders = {};
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const render = async (view, label) => {
      await page.setContent('<!DOCTYPE html><html><body><main id="app"></main><div id="announce"></div></body></html>');
      await page.addScriptTag({
        content:
          'window.__reports = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => { if (m.type === "rendered") window.__reports.push(m.report); }, getState: () => undefined, setState: () => undefined });',
      });
      await page.addScriptTag({ content: readFileSync(webview, 'utf8') });
      const xs = [];
      for (let i = 0; i < RUNS; i++) {
        await page.evaluate((v) => {
          window.__reports = [];
          window.postMessage({ type: 'exchange', seq: 1, view: v }, '*');
        }, view);
        await page.waitForFunction(() => window.__reports.some((r) => r.view === 'exchange'), null, { timeout: 600_000 });
        xs.push(await page.evaluate(() => window.__reports.find((r) => r.view === 'exchange').durationMs));
      }
      renders[label] = { medianMs: median(xs), runs: xs };
    };
    await render(vm, 'capped view (what the panel gets)');
    // All 60,000 rows, and one note per line (as before grouping): the renderer alone, linear in rows.
    const full = structuredClone(vm);
    full.hop.exchange.response.headers = ex.response.headers;
    full.hop.headers = ex.response.headers.map(() => null);
    full.hop.exchange.notes = ex.response.headers.flatMap((_, i) => [
      { subject: `header:${i}`, level: 'info', category: 'general', summary: 'a is empty.', detail: '', reference: '' },
    ]);
    delete full.hop.omitted;
    await render(full, 'all 60,000 rows and 60,000 notes (uncapped)');
    const tenth = structuredClone(full);
    tenth.hop.exchange.response.headers = tenth.hop.exchange.response.headers.slice(0, 6000);
    tenth.hop.headers = tenth.hop.headers.slice(0, 6000);
    tenth.hop.exchange.notes = tenth.hop.exchange.notes.slice(0, 6000);
    await render(tenth, '6,000 rows and 6,000 notes (uncapped)');
  } finally {
    await browser.close();
  }

  const result = {
    load: (await import('node:os')).loadavg(),
    headLines: lines,
    headBytes: head.length,
    engineMs: median(engine),
    annotateMs: median(ann),
    annotateCpuMs: median(annCpu),
    notes: notes.length,
    annotate256KiBRepeatedMs: median(annRepeated256),
    annotate256KiBRepeatedCpuMs: median(annRepeated256Cpu),
    annotate256KiBDistinctMs: median(annDistinct),
    annotate256KiBDistinctCpuMs: median(annDistinctCpu),
    distinctLines: distinctHeaders.length,
    viewModelMs: median(vmTimes),
    viewModelChars: vmChars,
    recordJsonChars: recordChars,
    webview: renders,
  };
  console.table({
    engine: { ms: result.engineMs.toFixed(1) },
    'annotate 60,000 a: lines': { ms: result.annotateMs.toFixed(1), cpuMs: result.annotateCpuMs.toFixed(1), notes: result.notes },
    'annotate 256 KiB, 65,536 repeated lines': {
      ms: result.annotate256KiBRepeatedMs.toFixed(1),
      cpuMs: result.annotate256KiBRepeatedCpuMs.toFixed(1),
    },
    [`annotate 256 KiB, ${distinctHeaders.length} distinct lines`]: {
      ms: result.annotate256KiBDistinctMs.toFixed(1),
      cpuMs: result.annotate256KiBDistinctCpuMs.toFixed(1),
    },
    'view model': { ms: result.viewModelMs.toFixed(1), chars: vmChars },
    ...Object.fromEntries(Object.entries(renders).map(([k, v]) => [`webview: ${k}`, { ms: v.medianMs.toFixed(1) }])),
  });
  console.log(`--json record: ${recordChars} chars; load average ${result.load.map((x) => x.toFixed(1)).join(' ')}`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'headers.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
