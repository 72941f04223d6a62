#!/usr/bin/env node
// Runs the integration suite (test/integration) inside a real VS Code extension host: code-server plus headless
// Chromium, loaded the way @vscode/test-electron does it (extensionDevelopmentPath + extensionTestsPath).
// Exits with the suite's code; non-zero when VS Code could not start or the suite did not report back.
import { cpSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { ensureTools } from './ensure-tools.mjs';
import { startCodeServer, CHROMIUM_ARGS } from './code-server.mjs';

const root = resolve(import.meta.dirname, '..');
// Workbench chatter that says nothing about our tests (the machine has no network, by design).
const NOISE = [
  /open-vsx\.org|marketplace|ENOTFOUND|Resolv(ing|ed) connection token|Creating a socket|Service Worker|builtin extensions cache|ChatSessionStore/,
];
const SUITE_TIMEOUT_MS = Number(process.env.WIRELENS_SUITE_TIMEOUT_MS ?? 25 * 60_000);

function fail(msg) {
  console.error(`[integration] FAILED: ${msg}`);
  process.exit(1);
}

async function main() {
  const testsEntry = join(root, 'out', 'test', 'integration', 'index.js');
  if (!existsSync(testsEntry)) fail(`${testsEntry} is missing: run 'npm run compile-tests' first`);
  if (!existsSync(join(root, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run `npm run build` first');
  const tools = ensureTools();

  // A copy of the fixture workspace, so tests may write into it freely.
  const workspace = mkdtempSync(join(tmpdir(), 'wirelens-ws-'));
  cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

  const serverLog = [];
  const cs = await startCodeServer({
    codeServer: tools.codeServer,
    log: (l) => serverLog.push(l),
    settings: { 'wirelens.test.workspace': workspace },
  });
  console.log(`[integration] code-server ${cs.url} (workspace ${workspace})`);
  const browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
  let exitCode = 1;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const done = new Promise((resolveDone) => {
      void page.exposeFunction('codeAutomationExit', (code) => {
        resolveDone(Number(code));
      });
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (NOISE.some((re) => re.test(text))) return;
      (type === 'error' ? console.error : console.log)(text);
    });
    page.on('pageerror', (e) => console.error(`[integration] page error: ${e.message}`));
    // WIRELENS_DEBUG_CONSOLE=1 prints the console of every frame (the webviews included).
    if (process.env.WIRELENS_DEBUG_CONSOLE === '1') page.on('console', (m) => console.log(`[console:${m.type()}] ${m.text()}`));
    if (process.env.WIRELENS_DEBUG_SW === '1') {
      const pending = new Map();
      page.context().on('request', (r) => pending.set(r, Date.now()));
      page.context().on('requestfinished', (r) => {
        const t = pending.get(r);
        pending.delete(r);
        if (t && Date.now() - t > 2000) console.log(`SWDBG slow ${Date.now() - t} ms ${r.url().slice(0, 160)}`);
      });
      page.context().on('requestfailed', (r) => {
        pending.delete(r);
        console.log(`SWDBG failed ${r.url().slice(0, 160)}`);
      });
      setInterval(() => {
        for (const [r, t] of pending) if (Date.now() - t > 5000) console.log(`SWDBG pending ${Date.now() - t} ms ${r.url().slice(0, 160)}`);
      }, 10000).unref();
    }
    if (process.env.WIRELENS_DEBUG_SW === '1')
      await page.addInitScript(() => {
        if (!location.pathname.endsWith('/webview/browser/pre/index.html')) return;
        const sw = navigator.serviceWorker;
        const t0 = Date.now();
        console.log(`SWDBG start controller=${sw.controller?.scriptURL.slice(-60)}`);
        sw.addEventListener('controllerchange', () =>
          console.log(`SWDBG controllerchange at ${Date.now() - t0} ms -> ${sw.controller?.scriptURL.slice(-60)}`),
        );
        const reg = sw.register.bind(sw);
        sw.register = (url, opts) =>
          reg(url, opts).then((r) => {
            console.log(
              `SWDBG registered at ${Date.now() - t0} ms installing=${!!r.installing} waiting=${!!r.waiting} active=${r.active?.scriptURL.slice(-60)}`,
            );
            const w = r.installing ?? r.waiting;
            w?.addEventListener('statechange', () => console.log(`SWDBG state ${w.state} at ${Date.now() - t0} ms`));
            return r;
          });
      });
    const remote = (p) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(testsEntry)],
      ['skipWelcome', 'true'],
    ];
    const url = `${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS));
    const result = await Promise.race([done, timeout]);
    if (result === 'timeout') {
      console.error(`[integration] FAILED: the suite did not report back within ${SUITE_TIMEOUT_MS} ms`);
      await page.screenshot({ path: join(root, 'test-results', 'integration-timeout.png') }).catch(() => undefined);
    } else {
      exitCode = result;
    }
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
  if (exitCode !== 0 && process.env.WIRELENS_SHOW_SERVER_LOG !== '0') {
    console.error('[integration] code-server log (last 60 lines):');
    console.error(serverLog.join('').split('\n').slice(-60).join('\n'));
  }
  console.log(`[integration] exit code ${exitCode}`);
  process.exit(exitCode);
}

main().catch((e) => fail(e instanceof Error ? e.stack : String(e)));
