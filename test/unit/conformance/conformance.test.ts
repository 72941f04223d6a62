// The conformance corpus (test/fixtures/conformance/*.json): for each form of REST Client, the JetBrains HTTP
// Client and httpyac, and each example request of their documentation (rewritten to loopback), the exact bytes
// that must arrive at a capture server when `wirelens send` runs the file, or the refusal (exit 2, FILE:LINE:
// message, nothing sent). See test/fixtures/conformance/README.md for the case format.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureServer, type CaptureServer, type DigestChallenge } from './captureServer';

const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'conformance');

export interface ExpectedRequest {
  /** Head lines without CRLF; a line starting with `~` is a regular expression for the whole line. */
  head: string[];
  /** Exact body text (UTF-8), or `base64:…`. */
  body?: string;
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
  server?: { digest?: DigestChallenge; body?: string; contentType?: string };
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
}

export function loadCorpus(): { file: string; cases: ConformanceCase[] }[] {
  return fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort().map((f) => ({
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

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'send', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectedBody(b: string | undefined, port: number): Buffer {
  if (b === undefined) return Buffer.alloc(0);
  return b.startsWith('base64:') ? Buffer.from(b.slice(7), 'base64') : Buffer.from(fill(b, port), 'utf8');
}

export function checkRequest(got: { head: string; body: Buffer }, want: ExpectedRequest, port: number, label: string): void {
  const lines = got.head.split('\r\n');
  const expected = want.head.map((l) => fill(l, port));
  assert.equal(lines.length, expected.length, `${label}: head lines\n got: ${JSON.stringify(lines, null, 1)}\nwant: ${JSON.stringify(expected, null, 1)}`);
  expected.forEach((l, i) => {
    if (l.startsWith('~')) assert.match(lines[i], new RegExp(`^${l.slice(1)}$`), `${label}: head line ${i + 1}`);
    else assert.equal(lines[i], l, `${label}: head line ${i + 1}`);
  });
  assert.equal(got.body.toString('latin1'), expectedBody(want.body, port).toString('latin1'), `${label}: body bytes`);
}

describe('conformance: every form leaves as its home tool sends it, or is refused (through the CLI)', function () {
  this.timeout(120000);
  let dir: string;
  let srv: CaptureServer | undefined;

  before(() => {
    if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-conf-')); });
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const corpus = loadCorpus();
  it('has a corpus with a source for each case and unique ids', () => {
    const ids = new Set<string>();
    let n = 0;
    for (const { file, cases } of corpus) {
      for (const c of cases) {
        n++;
        assert.ok(c.source && c.source.length > 5, `${file}: ${c.id} names no source`);
        assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
        ids.add(c.id);
        assert.ok(c.expect.requests || c.expect.refused, `${c.id}: expects neither bytes nor a refusal`);
        // Loopback only: every URL in a case names 127.0.0.1, localhost or ::1.
        for (const l of c.http) for (const m of l.matchAll(/https?:\/\/([^/:\s?#]+|\[[^\]]+\])/g)) assert.ok(['127.0.0.1', 'localhost', '[::1]'].includes(m[1]), `${c.id}: ${m[0]} is not loopback`);
      }
    }
    assert.ok(n >= 40, `only ${n} cases`);
  });

  for (const { file, cases } of corpus) {
    describe(file, () => {
      for (const c of cases) {
        it(`${c.id} (${c.tool})`, async () => {
          srv = await captureServer(c.server);
          const port = srv.port;
          const httpFile = writeCase(c, dir, port);
          const args = [httpFile, ...(c.args ?? [])];
          if (c.expect.status !== undefined) args.push('--json');
          const r = await cli(args, dir, c.env);
          if (c.expect.refused !== undefined) {
            assert.equal(r.code, 2, `${c.id}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
            assert.match(r.stderr, new RegExp(c.expect.refused), `${c.id}: stderr ${r.stderr}`);
            if (c.expect.line !== undefined) assert.ok(r.stderr.includes(`case.http:${c.expect.line}: `), `${c.id}: line ${c.expect.line} not named in ${r.stderr}`);
            assert.equal(srv.requests.length, 0, `${c.id}: something was sent`);
            return;
          }
          assert.equal(r.code, 0, `${c.id}: exit ${r.code}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
          const want = c.expect.requests ?? [];
          assert.equal(srv.requests.length, want.length, `${c.id}: ${srv.requests.length} requests arrived, ${want.length} expected\n${srv.requests.map((q) => q.head).join('\n--\n')}`);
          want.forEach((w, i) => checkRequest(srv!.requests[i], w, port, `${c.id} request ${i + 1}`));
          if (c.expect.status !== undefined) {
            const ex = JSON.parse(r.stdout) as { response: { status: number } | null };
            assert.equal(ex.response?.status, c.expect.status, c.id);
          }
          if (c.expect.stdout) assert.match(r.stdout, new RegExp(c.expect.stdout), c.id);
          for (const [name, content] of Object.entries(c.expect.writes ?? {})) {
            assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), fill(content, port), `${c.id}: ${name}`);
          }
        });
      }
    });
  }
});
