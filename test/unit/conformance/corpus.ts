// The conformance corpus: case format, loading and running `wirelens send` on a case (shared by the corpus test
// and the httpyac comparison).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureOptions } from './captureServer';

export const ROOT = path.resolve(__dirname, '../../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const CORPUS = path.join(ROOT, 'test', 'fixtures', 'conformance');

export interface ExpectedRequest {
  /** Head lines without CRLF; a line starting with `~` is a regular expression for the whole line. */
  head: string[];
  /** Exact body text (UTF-8), or `base64:…`, or `~` and a regular expression for the whole body (UTF-8). */
  body?: string;
  /** WebSocket: the text of each message that arrived after the handshake. */
  messages?: string[];
}

export interface ConformanceCase {
  id: string;
  tool: 'restclient' | 'jetbrains' | 'httpyac' | 'wirelens' | 'curl';
  /** Where the form or example comes from (documentation URL and section). */
  source: string;
  /** The .http file, one string per line (joined with LF, or CRLF with `crlf`). */
  http: string[];
  crlf?: boolean;
  /** Other files beside it (body includes, imports, env files); `base64:` for bytes. */
  files?: Record<string, string>;
  /** Extra `wirelens send` arguments. */
  args?: string[];
  server?: CaptureOptions;
  /** Process environment for the CLI. */
  env?: Record<string, string>;
  expect: {
    requests?: ExpectedRequest[];
    /** Status of the final response (checked through --json). */
    status?: number;
    /** Refused before sending: exit 2, stderr matches this, nothing arrives. */
    refused?: string;
    /** The 1-based line named in the refusal. */
    line?: number;
    /** Files that must exist afterwards with this content (`>>` redirection). */
    writes?: Record<string, string>;
    /** Something the CLI's stdout must hold (a note). */
    stdout?: string;
  };
  /** Why the case's bytes differ from what httpyac sends, when they do (the peer comparison reads it). */
  httpyac?: string;
  /**
   * How the peer comparison runs the case: `first` compares only the first request of each side (httpyac's
   * EventSource connects again after the stream ends); `skip` does not run httpyac (it would never end, e.g.
   * `@keepStreaming`), `httpyac` saying why.
   */
  httpyacCompare?: 'first' | 'skip';
}

export function loadCorpus(): { file: string; cases: ConformanceCase[] }[] {
  return fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      file: f,
      cases: JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')) as ConformanceCase[],
    }));
}

export const fill = (s: string, port: number): string => s.replace(/@PORT@/g, String(port));

/** Writes the case's files into a fresh directory; returns the .http path. */
export function writeCase(c: ConformanceCase, dir: string, port: number, name = 'case.http'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, fill(c.http.join(c.crlf ? '\r\n' : '\n'), port));
  for (const [n, content] of Object.entries(c.files ?? {})) {
    const p = path.join(dir, n);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content.startsWith('base64:') ? Buffer.from(content.slice(7), 'base64') : fill(content, port));
  }
  return file;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'send', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectedBody(b: string | undefined, port: number): Buffer {
  if (b === undefined) return Buffer.alloc(0);
  return b.startsWith('base64:') ? Buffer.from(b.slice(7), 'base64') : Buffer.from(fill(b, port), 'utf8');
}

export function checkRequest(got: { head: string; body: Buffer; messages?: string[] }, want: ExpectedRequest, port: number, label: string): void {
  if (want.messages !== undefined)
    assert.deepEqual(
      got.messages ?? [],
      want.messages.map((m) => fill(m, port)),
      `${label}: WebSocket messages`,
    );
  const lines = got.head.split('\r\n');
  const expected = want.head.map((l) => fill(l, port));
  assert.equal(
    lines.length,
    expected.length,
    `${label}: head lines\n got: ${JSON.stringify(lines, null, 1)}\nwant: ${JSON.stringify(expected, null, 1)}`,
  );
  expected.forEach((l, i) => {
    if (l.startsWith('~')) assert.match(lines[i], new RegExp(`^${l.slice(1)}$`), `${label}: head line ${i + 1}`);
    else assert.equal(lines[i], l, `${label}: head line ${i + 1}`);
  });
  if (want.body?.startsWith('~')) {
    assert.match(got.body.toString('utf8'), new RegExp(`^${fill(want.body.slice(1), port)}$`), `${label}: body`);
    return;
  }
  assert.equal(got.body.toString('latin1'), expectedBody(want.body, port).toString('latin1'), `${label}: body bytes`);
}
