#!/usr/bin/env node
// UI tests: the packaged VSIX installed into a real code-server, driven by Playwright in headless Chromium.
// Starts the demo origin, opens a workspace, runs the mocha files in out/test/ui (`*.ui.js`), saves
// screenshots under test-results/screenshots. Exits non-zero on any failure or if anything cannot start.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';
import { chromium } from 'playwright-core';
import { ensureTools } from './ensure-tools.mjs';
import { startCodeServer, installVsix, CHROMIUM_ARGS } from './code-server.mjs';
import { startDemo } from './demo-process.mjs';

const root = resolve(import.meta.dirname, '..');

function fail(msg) {
  console.error(`[ui] FAILED: ${msg}`);
  process.exit(1);
}

async function main() {
  const vsix = join(root, 'dist', 'wirelens.vsix');
  if (!existsSync(vsix)) fail('dist/wirelens.vsix is missing: run `npm run package` first');
  const uiDir = join(root, 'out', 'test', 'ui');
  // WIRELENS_UI_ONLY=scripts runs only the files whose name holds that word (development).
  const only = process.env.WIRELENS_UI_ONLY;
  const files = existsSync(uiDir)
    ? readdirSync(uiDir)
        .filter((f) => f.endsWith('.ui.js') && (!only || f.includes(only)))
        .sort()
        .map((f) => join(uiDir, f))
    : [];
  if (files.length === 0) fail('no UI tests found in out/test/ui (run `npm run compile-tests`)');
  const tools = ensureTools();

  const screenshots = join(root, 'test-results', 'screenshots');
  mkdirSync(screenshots, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), 'wirelens-ui-ws-'));
  cpSync(join(root, 'examples'), workspace, { recursive: true });

  const demo = await startDemo(root);
  const userDataDir = mkdtempSync(join(tmpdir(), 'wirelens-ui-ud-'));
  const extensionsDir = mkdtempSync(join(tmpdir(), 'wirelens-ui-ext-'));
  await installVsix(tools.codeServer, vsix, extensionsDir, userDataDir);
  const serverLog = [];
  const cs = await startCodeServer({
    codeServer: tools.codeServer,
    userDataDir,
    extensionsDir,
    workspace,
    log: (l) => serverLog.push(l),
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true },
  });
  // A further workbench for one test (its own user-data dir and workspace, the same installed VSIX), e.g. with
  // workspace trust on and the folder untrusted (Restricted Mode). Stopped at the end of the run at the latest.
  const extraServers = [];
  const startWorkbench = async ({ workspace: folder, settings = {}, workspaceTrust = false }) => {
    const ud = mkdtempSync(join(tmpdir(), 'wirelens-ui-ud2-'));
    const server = await startCodeServer({
      codeServer: tools.codeServer,
      userDataDir: ud,
      extensionsDir,
      workspace: folder,
      workspaceTrust,
      log: (l) => serverLog.push(l),
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true, ...settings },
    });
    const entry = {
      url: server.url,
      userDataDir: ud,
      stop: async () => {
        await server.stop();
        rmSync(ud, { recursive: true, force: true });
      },
    };
    extraServers.push(entry);
    return entry;
  };
  const browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[ui] page error: ${e.message}`));
  globalThis.__wirelensUi = {
    page,
    browser,
    codeServerUrl: cs.url,
    demoUrl: demo.url,
    demoTlsUrl: demo.tlsUrl,
    demoTimePort: demo.timePort,
    demoUdpPort: demo.udpPort,
    demoH2Url: demo.h2Url,
    demoH2cUrl: demo.h2cUrl,
    workspace,
    userDataDir,
    screenshots,
    root,
    startWorkbench,
  };
  console.log(`[ui] code-server ${cs.url}, demo origin ${demo.url}, workspace ${workspace}`);

  let failures = 1;
  try {
    // WIRELENS_GREP narrows the run while developing (as for the integration tests).
    const mocha = new Mocha({
      ui: 'bdd',
      timeout: 120_000,
      reporter: 'spec',
      color: false,
      ...(process.env.WIRELENS_GREP ? { grep: process.env.WIRELENS_GREP } : {}),
    });
    for (const f of files) mocha.addFile(f);
    await mocha.loadFilesAsync();
    // A failed test leaves a screenshot of what the workbench showed, to look at (test-results/screenshots/failed-*.png).
    mocha.suite.afterEach(async function () {
      const t = this.currentTest;
      if (t?.state !== 'failed') return;
      const name = t
        .fullTitle()
        .replace(/[^a-z0-9]+/gi, '-')
        .slice(0, 80);
      await page.screenshot({ path: join(screenshots, `failed-${name}.png`) }).catch(() => undefined);
    });
    failures = await new Promise((r) => {
      const runner = mocha.run((n) => {
        console.log(`ui: ${runner.stats?.passes ?? 0} passed, ${n} failed`);
        r(n);
      });
    });
  } finally {
    await browser.close().catch(() => undefined);
    for (const x of extraServers) await x.stop().catch(() => undefined);
    await cs.stop();
    await demo.stop();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(extensionsDir, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
  if (failures > 0) {
    console.error('[ui] code-server log (last 40 lines):');
    console.error(serverLog.join('').split('\n').slice(-40).join('\n'));
  }
  console.log(`[ui] screenshots in ${screenshots}`);
  process.exit(failures > 0 ? 1 : 0);
}

main().catch((e) => fail(e instanceof Error ? e.stack : String(e)));
