// Starts a code-server (VS Code's own server and web workbench) on a free loopback port, with a throwaway
// user-data dir, and stops it. Used by the integration runner, the UI runner and `npm start`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms, proc) {
  const deadline = Date.now() + ms;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${ms} ms (${lastError})`);
}

/**
 * @param {{ codeServer: string, workspace?: string, settings?: object, extensionsDir?: string,
 *           port?: number, log?: (line: string) => void, userDataDir?: string, workspaceTrust?: boolean }} opts
 */
export async function startCodeServer(opts) {
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'wirelens-ud-'));
  const extensionsDir = opts.extensionsDir ?? mkdtempSync(join(tmpdir(), 'wirelens-ext-'));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  // A kept user-data dir (npm start) keeps the user's own settings; ours only fill the gaps.
  const existing = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'workbench.enableExperiments': false,
        'chat.disableAIFeatures': true,
        'git.openRepositoryInParentFolders': 'never',
        ...existing,
        ...opts.settings,
      },
      null,
      2,
    ),
  );
  const args = [
    opts.codeServer,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  // Workspace trust is off unless a run asks for it (the Restricted Mode UI test opens an untrusted folder).
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  if (opts.workspace) args.push(opts.workspace);
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = opts.log ?? (() => undefined);
  proc.stdout.on('data', (d) => log(String(d)));
  proc.stderr.on('data', (d) => log(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, proc);
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        try {
          process.kill(-proc.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await new Promise((r) => {
          const t = setTimeout(r, 5000);
          proc.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
      if (!opts.extensionsDir) rmSync(extensionsDir, { recursive: true, force: true });
    },
  };
}

/** Installs a VSIX into an extensions dir (code-server must be restarted to pick it up). */
export function installVsix(codeServer, vsix, extensionsDir, userDataDir) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`installing ${vsix} failed (${code}):\n${out}`))));
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
