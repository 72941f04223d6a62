// The conformance corpus (test/fixtures/conformance/*.json): for each form of REST Client, the JetBrains HTTP
// Client and httpyac, and each example request of their documentation (rewritten to loopback), the exact bytes
// that must arrive at a capture server when `wirelens send` runs the file, or the refusal (exit 2, FILE:LINE:
// message, nothing sent). See test/fixtures/conformance/README.md for the case format.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureServer, type CaptureServer } from './captureServer';
import { checkRequest, CLI, cli, fill, loadCorpus, ROOT, writeCase } from './corpus';

describe('conformance: every form leaves as its home tool sends it, or is refused (through the CLI)', function () {
  this.timeout(120000);
  let dir: string;
  let srv: CaptureServer | undefined;

  before(() => {
    if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-conf-'));
  });
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
        for (const l of c.http)
          for (const m of l.matchAll(/https?:\/\/([^/:\s?#]+|\[[^\]]+\])/g))
            assert.ok(m[1].startsWith('{{') || ['127.0.0.1', 'localhost', '[::1]'].includes(m[1]), `${c.id}: ${m[0]} is not loopback`);
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
            if (c.expect.line !== undefined)
              assert.ok(r.stderr.includes(`case.http:${c.expect.line}: `), `${c.id}: line ${c.expect.line} not named in ${r.stderr}`);
            assert.equal(srv.requests.length, 0, `${c.id}: something was sent`);
            return;
          }
          assert.equal(r.code, 0, `${c.id}: exit ${r.code}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
          const want = c.expect.requests ?? [];
          assert.equal(
            srv.requests.length,
            want.length,
            `${c.id}: ${srv.requests.length} requests arrived, ${want.length} expected\n${srv.requests.map((q) => q.head).join('\n--\n')}`,
          );
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
