#!/usr/bin/env node
// Click to painted status line: in the real workbench (packaged VSIX in code-server, headless Chromium), click the
// Send Request CodeLens of a small loopback request and time until the webview has painted the new status line.
// Both timestamps are wall-clock (performance.timeOrigin + now) in the same browser: the click in the workbench
// page (a capturing mousedown listener), the paint in the webview frame (a MutationObserver, then one animation
// frame and a task). Uses dist/wirelens.vsix (packages it when missing). Writes bench/results/panel.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureTools } from '../scripts/ensure-tools.mjs';
import { startCodeServer, installVsix, CHROMIUM_ARGS } from '../scripts/code-server.mjs';
import { startDemo } from '../scripts/demo-process.mjs';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.WIRELENS_BENCH_RUNS ?? 20);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: s[0], median: q(0.5), p90: q(0.9), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function webviewFrame(page, selector) {
  for (let i = 0; i < 300; i++) {
    for (const f of page.frames()) {
      try {
        if (!f.isDetached() && (await f.locator(selector).count())) return f;
      } catch {
        /* frame went away */
      }
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame with ${selector}`);
}

async function main() {
  const vsix = join(root, 'dist', 'wirelens.vsix');
  if (!existsSync(vsix)) {
    // `npm run bench` builds but does not package: package once here.
    const r = spawnSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(vsix)) throw new Error('could not package dist/wirelens.vsix (`npm run package`)');
  }
  const tools = ensureTools();
  const workspace = mkdtempSync(join(tmpdir(), 'wirelens-bench-ws-'));
  const userDataDir = mkdtempSync(join(tmpdir(), 'wirelens-bench-ud-'));
  const extensionsDir = mkdtempSync(join(tmpdir(), 'wirelens-bench-ext-'));
  const demo = await startDemo(root);
  writeFileSync(join(workspace, 'bench.http'), `GET ${demo.url}/json\nAccept: application/json\n`);
  await installVsix(tools.codeServer, vsix, extensionsDir, userDataDir);
  const cs = await startCodeServer({
    codeServer: tools.codeServer,
    userDataDir,
    extensionsDir,
    workspace,
    log: () => undefined,
    settings: { 'editor.codeLens': true },
  });
  const browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
  const samples = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('bench.http');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bench.http' }).first().waitFor();
    await page.keyboard.press('Enter');
    const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: 'Send Request' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await page.evaluate(() =>
      document.addEventListener(
        'mousedown',
        () => {
          window.__wlClick = performance.timeOrigin + performance.now();
        },
        true,
      ),
    );
    // Warm-up: opens the panel and loads the webview once (not measured).
    await lens.click();
    let frame = await webviewFrame(page, '#status-line');
    for (let i = 0; i < RUNS; i++) {
      frame = await webviewFrame(page, '#status-line');
      await frame.evaluate(() => {
        window.__wlPainted = null;
        const prev = document.getElementById('status-line');
        const obs = new MutationObserver(() => {
          const s = document.getElementById('status-line');
          if (s && s !== prev) {
            obs.disconnect();
            requestAnimationFrame(() =>
              setTimeout(() => {
                window.__wlPainted = performance.timeOrigin + performance.now();
              }, 0),
            );
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      });
      await lens.click();
      await frame.waitForFunction(() => window.__wlPainted !== null, undefined, { timeout: 30_000 });
      const painted = await frame.evaluate(() => window.__wlPainted);
      const clicked = await page.evaluate(() => window.__wlClick);
      samples.push(painted - clicked);
      await page.waitForTimeout(150);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
    await demo.stop();
    for (const d of [workspace, userDataDir, extensionsDir]) rmSync(d, { recursive: true, force: true });
  }
  const s = stats(samples);
  console.log('click → painted status line (ms), small JSON response from the loopback demo origin');
  console.table({ clickToPaintedStatusLine: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'n' ? v : Number(v.toFixed(1))])) });
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'panel.json'),
    JSON.stringify({ benchmark: 'panel click to painted status line', unit: 'ms', ...s, samples }, null, 2),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
