// Shared helpers for the Playwright UI tests. The runner (scripts/run-ui-tests.mjs) starts code-server with the
// packaged VSIX and the demo origin, then hands the page over through a global.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';

export interface UiContext {
  page: Page;
  browser: Browser;
  codeServerUrl: string;
  demoUrl: string;
  demoTlsUrl: string | null;
  /** The demo's TCP time server and UDP echo ports (the WebSocket echo is at ws://…/ws on the demo's HTTP port). */
  demoTimePort: number | null;
  demoUdpPort: number | null;
  /** The demo origin's HTTP/2 listeners (TLS with ALPN h2, and h2c). */
  demoH2Url?: string | null;
  demoH2cUrl?: string | null;
  workspace: string;
  userDataDir: string;
  screenshots: string;
  root: string;
  /** Starts a further code-server (own user-data dir, the installed VSIX) on a folder; the runner stops it at the end. */
  startWorkbench?: (opts: { workspace: string; settings?: Record<string, unknown>; workspaceTrust?: boolean }) => Promise<ExtraWorkbench>;
}

export interface ExtraWorkbench {
  url: string;
  userDataDir: string;
  stop(): Promise<void>;
}

export function ui(): UiContext {
  const ctx = (globalThis as { __wirelensUi?: UiContext }).__wirelensUi;
  if (!ctx) throw new Error('UI tests must be run by scripts/run-ui-tests.mjs');
  return ctx;
}

let workbenchOpen = false;

/** Opens the workbench on the test workspace once and waits until it is interactive. */
export async function openWorkbench(): Promise<Page> {
  const { page, codeServerUrl, workspace } = ui();
  if (!workbenchOpen) {
    await page.goto(`${codeServerUrl}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    workbenchOpen = true;
  }
  return page;
}

/** Writes a file into the workspace. */
export function writeWorkspaceFile(relative: string, text: string): string {
  const file = path.join(ui().workspace, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Runs a command from the command palette by its title. */
export async function runCommand(title: string): Promise<void> {
  const page = await openWorkbench();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(relative: string): Promise<void> {
  const page = await openWorkbench();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relative);
  const base = path.basename(relative);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[aria-label^="${base}"]`).first().waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** The CodeLens links currently shown in the active editor. */
export function codeLenses(page: Page, title = 'Send Request') {
  return page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: title });
}

/** The webview frame of the response panel (an iframe inside an iframe), once it has rendered `selector`. */
export async function panelFrame(selector = '#app', timeoutMs = 30_000): Promise<Frame> {
  const page = ui().page;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      try {
        if (await frame.locator(selector).count()) return frame;
      } catch {
        // A frame can go away between listing and querying.
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame shows ${selector}`);
}

export async function screenshot(name: string): Promise<string> {
  const { page, screenshots } = ui();
  const file = path.join(screenshots, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Picks a colour theme through the command palette (what a user does; applies at once). */
export async function setTheme(theme: string): Promise<void> {
  const page = await openWorkbench();
  // Keys go to the workbench, not to the webview frame.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().waitFor();
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.waitForTimeout(500);
  await input.fill(theme);
  try {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor({ timeout: 10_000 });
  } catch (e) {
    await screenshot('debug-theme-picker');
    throw e;
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForTimeout(1000);
}
