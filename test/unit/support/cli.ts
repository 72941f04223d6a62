// Runs the built CLI (`node dist/cli.js …`) as a user or CI would, collecting its stdout, stderr and exit code.
// One copy for every test that drives the CLI end to end (send, test, parse, explain, the HTTP/2 peers…).
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';

/** The repository root (tests run from out/test/unit/support/). */
export const ROOT = path.resolve(__dirname, '../../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliRun {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Merged over the test process' environment (and NO_COLOR=1); an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Colour is off unless a test asks for it: assertions read plain text. */
function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', ...env };
}

/** `wirelens ARGS…` (the subcommand is the first argument), resolved when the process has closed its pipes. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same, synchronously, for commands that send nothing (parse, explain). */
export function runCliSync(args: string[], opts: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Builds dist/ when it is missing (a single test file run on its own); `npm test` builds it first. */
export function ensureCliBuilt(files: string[] = [CLI]): void {
  if (files.some((f) => !fs.existsSync(f))) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  for (const f of files) assert.ok(fs.existsSync(f), `${f} is missing: run npm run build first`);
}

/** A stdout or stderr for `runSend` run in the test's process: keeps what was written; a terminal or not. */
export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}
