#!/usr/bin/env node
// `npm start`: builds and packages Wire Lens, starts the demo origin (127.0.0.1:8765, TLS on 8766) and a
// VS Code (code-server) in the browser on the examples workspace with the extension installed.
// Prints the URL to open; Ctrl+C stops everything. Ports: WIRELENS_PORT, WIRELENS_DEMO_PORT, WIRELENS_DEMO_TLS_PORT,
// WIRELENS_DEMO_H2_PORT (8769, HTTP/2 over TLS) and WIRELENS_DEMO_H2C_PORT (8770, h2c).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureTools } from './ensure-tools.mjs';
import { startCodeServer, installVsix } from './code-server.mjs';
import { startDemo } from './demo-process.mjs';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.WIRELENS_PORT ?? 8080);
const demoPort = Number(process.env.WIRELENS_DEMO_PORT ?? 8765);
const demoTlsPort = Number(process.env.WIRELENS_DEMO_TLS_PORT ?? 8766);
const demoH2Port = Number(process.env.WIRELENS_DEMO_H2_PORT ?? 8769);
const demoH2cPort = Number(process.env.WIRELENS_DEMO_H2C_PORT ?? 8770);

function step(msg) {
  console.log(`[start] ${msg}`);
}

async function main() {
  step('building and packaging…');
  const pkg = spawnSync('npm', ['run', '-s', 'package'], { cwd: root, stdio: 'inherit' });
  if (pkg.status !== 0) throw new Error('npm run package failed');
  const tools = ensureTools();

  const demo = await startDemo(root, { port: demoPort, tlsPort: demoTlsPort, h2Port: demoH2Port, h2cPort: demoH2cPort, stdio: 'inherit' });
  step(`demo origin on ${demo.url} and ${demo.tlsUrl}; HTTP/2 on ${demo.h2Url} (h2) and ${demo.h2cUrl} (h2c)`);

  // A user-data dir kept between runs, so the layout and the chosen environment persist.
  const home = join(tools.cacheRoot, 'start');
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  await installVsix(tools.codeServer, join(root, 'dist', 'wirelens.vsix'), extensionsDir, userDataDir);
  const cs = await startCodeServer({ codeServer: tools.codeServer, port, userDataDir, extensionsDir, workspace: join(root, 'examples') });

  const url = `${cs.url}/?folder=${encodeURIComponent(join(root, 'examples'))}`;
  console.log(`\n  Wire Lens is running. Open ${url}\n  (demo origin ${demo.url}, TLS ${demo.tlsUrl}; Ctrl+C stops everything)\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    step('stopping…');
    await Promise.allSettled([cs.stop(), demo.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  cs.proc.once('exit', (code) => {
    if (!stopping) {
      console.error(`[start] code-server exited (${code})`);
      void stop();
    }
  });
}

main().catch((e) => {
  console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
