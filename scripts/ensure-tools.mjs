#!/usr/bin/env node
// Installs what the VS Code tests need, once, into a cache outside the repo:
// Debian's chromium and ripgrep, and code-server (VS Code's own server) from npm.
// Prints the paths as JSON on the last line. Exits non-zero (loudly) if anything is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const cacheRoot = process.env.WIRELENS_CACHE ?? join(homedir(), '.cache', 'wirelens');
const csDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
const csBin = join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const marker = join(csDir, '.complete');

function log(msg) {
  process.stderr.write(`[ensure-tools] ${msg}\n`);
}
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
}
function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDebianPackages() {
  const need = [];
  if (!existsSync('/usr/bin/chromium')) need.push('chromium');
  if (!has('rg')) need.push('ripgrep');
  // The TLS alert tests run OpenSSL's s_server as a peer nobody here wrote.
  if (!has('openssl')) need.push('openssl');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) need.push('libkrb5-dev');
  // HTTP/2 peers nobody here wrote (issue 11): nghttpd and nghttp, and h2o.
  if (!has('nghttpd')) need.push('nghttp2-server');
  if (!has('nghttp')) need.push('nghttp2-client');
  if (!has('h2o')) need.push('h2o');
  // Real proxies for the engine's proxy tests (issue 13).
  if (!has('tinyproxy')) need.push('tinyproxy');
  if (!existsSync('/usr/sbin/squid')) need.push('squid');
  if (need.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${need.join(' ')} and not root: install them with apt-get`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...need], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function ensureCodeServer() {
  if (existsSync(marker) && existsSync(csBin)) return csBin;
  rmSync(csDir, { recursive: true, force: true });
  mkdirSync(csDir, { recursive: true });
  // code-server's postinstall fetches ripgrep from GitHub; seed the cache it checks first.
  const tmp = process.env.TMPDIR ?? tmpdir();
  const rgCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const rgTar = join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(rgTar)) {
    mkdirSync(rgCache, { recursive: true });
    const stage = join(rgCache, 'stage');
    mkdirSync(stage, { recursive: true });
    copyFileSync(execFileSync('sh', ['-c', 'command -v rg']).toString().trim(), join(stage, 'rg'));
    run('tar', ['-czf', rgTar, '-C', stage, 'rg']);
    rmSync(stage, { recursive: true, force: true });
  }
  writeFileSync(join(csDir, 'package.json'), JSON.stringify({ name: 'wirelens-code-server-cache', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: csDir,
    // npm 11 blocks dependency install scripts unless allowed; code-server's postinstall builds VS Code's modules.
    env: {
      ...process.env,
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_dangerously_allow_all_scripts: 'true',
      TMPDIR: tmp,
    },
  });
  if (!existsSync(csBin)) throw new Error(`code-server did not install: ${csBin} is missing`);
  writeFileSync(marker, new Date().toISOString());
  return csBin;
}

export function ensureTools() {
  ensureDebianPackages();
  const codeServer = ensureCodeServer();
  return { codeServer, chromium: '/usr/bin/chromium', cacheRoot };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    // `--debian`: only the Debian packages (what the unit tests' peers need), not code-server.
    if (process.argv.includes('--debian')) {
      ensureDebianPackages();
      process.exit(0);
    }
    const t = ensureTools();
    console.log(JSON.stringify(t));
  } catch (e) {
    log(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
