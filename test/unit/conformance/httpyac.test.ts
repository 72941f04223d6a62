// The same corpus files sent by httpyac (the npm devDependency, its own CLI) and by Wire Lens, each to its own
// capture server: every difference in the bytes that arrive is listed, and each must be intended, either by one
// of the rules below (what httpyac's HTTP library, got, always does) or by the case's own `httpyac` reason.
// The list is written to out/httpyac-differences.md and printed.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureServer, type Captured } from './captureServer';
import { CLI, cli, loadCorpus, ROOT, writeCase, type ConformanceCase } from './corpus';

const HTTPYAC = path.join(ROOT, 'node_modules', 'httpyac', 'bin', 'httpyac.js');

/** Headers got adds to every request, with the reason Wire Lens does not. */
const ADDED_BY_HTTPYAC: Record<string, string> = {
  accept: 'got adds accept: */*; Wire Lens adds no header the file did not write but Host, User-Agent and Content-Length',
  'accept-encoding': 'got adds accept-encoding: gzip, deflate, br; Wire Lens sends only what the file writes',
  connection: 'got adds Connection: keep-alive (HTTP/1.1 default anyway); Wire Lens sends only what the file writes',
  'user-agent': 'each tool names itself (user-agent: httpyac, User-Agent: wirelens/0.1) when the file writes none',
};

function runHttpyacFiles(files: string[], cwd: string, extra: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HTTPYAC, 'send', ...files, ...extra], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      if (out.length < 1_000_000) out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (out.length < 1_000_000) out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function runHttpyac(file: string, cwd: string, c: ConformanceCase): Promise<{ code: number | null; out: string }> {
  const a = c.args ?? [];
  const extra: string[] = [];
  const name = a.indexOf('--name');
  if (name >= 0) extra.push('--name', a[name + 1]);
  else extra.push('--all');
  const env = a.indexOf('--env');
  if (env >= 0) extra.push('--env', a[env + 1]);
  return runHttpyacFiles([path.basename(file)], cwd, extra, c.env ?? {});
}

interface Head {
  line: string;
  headers: [string, string][];
}

function parseHead(head: string): Head {
  const [line, ...rest] = head.split('\r\n');
  return {
    line,
    headers: rest.map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
    }),
  };
}

/** Differences between what httpyac and Wire Lens sent, each with the rule that makes it intended (or null). */
function differences(yac: Captured[], wl: Captured[], port: number): { what: string; why: string | null }[] {
  const out: { what: string; why: string | null }[] = [];
  if (yac.length !== wl.length) {
    out.push({ what: `httpyac sent ${yac.length} request(s), Wire Lens ${wl.length}`, why: null });
    return out;
  }
  yac.forEach((y, i) => {
    const a = parseHead(y.head);
    const b = parseHead(wl[i].head);
    const tag = yac.length > 1 ? `request ${i + 1}: ` : '';
    if (a.line !== b.line) out.push({ what: `${tag}request line: httpyac \`${a.line}\`, Wire Lens \`${b.line}\``, why: null });
    const lower = (h: [string, string][]): Map<string, string> => {
      const m = new Map<string, string>();
      for (const [n, v] of h) m.set(n.toLowerCase(), m.has(n.toLowerCase()) ? `${m.get(n.toLowerCase())}, ${v}` : v);
      return m;
    };
    const ya = lower(a.headers);
    const wb = lower(b.headers);
    for (const [n, v] of ya) {
      const w = wb.get(n);
      if (w === v) continue;
      if (w === undefined && ADDED_BY_HTTPYAC[n]) {
        if (n !== 'user-agent' || !wb.has('user-agent')) out.push({ what: `${tag}httpyac adds \`${n}: ${v}\``, why: ADDED_BY_HTTPYAC[n] });
        continue;
      }
      if (n === 'sec-websocket-key' && w !== undefined) {
        out.push({
          what: `${tag}sec-websocket-key: httpyac \`${v}\`, Wire Lens \`${w}\``,
          why: 'each handshake sends a new random key (RFC 6455 4.1)',
        });
        continue;
      }
      if (n === 'user-agent' && w !== undefined) {
        out.push({ what: `${tag}user-agent: httpyac \`${v}\`, Wire Lens \`${w}\``, why: ADDED_BY_HTTPYAC[n] });
        continue;
      }
      out.push({ what: `${tag}${n}: httpyac \`${v.slice(0, 120)}\`, Wire Lens \`${(w ?? '(none)').slice(0, 120)}\``, why: null });
    }
    for (const [n, v] of wb)
      if (!ya.has(n))
        out.push({
          what: `${tag}Wire Lens sends \`${n}: ${v.slice(0, 120)}\`, httpyac does not`,
          why: n === 'user-agent' ? ADDED_BY_HTTPYAC[n] : null,
        });
    const ym = y.messages;
    const wm = wl[i].messages;
    if ((ym || wm) && JSON.stringify(ym ?? []) !== JSON.stringify(wm ?? []))
      out.push({
        what: `${tag}WebSocket messages: httpyac ${JSON.stringify(ym ?? [])}, Wire Lens ${JSON.stringify(wm ?? [])}`.slice(0, 300),
        why: null,
      });
    if (!y.body.equals(wl[i].body))
      out.push({
        what: `${tag}body: httpyac ${y.body.length} bytes ${JSON.stringify(y.body.toString('latin1').slice(0, 80))}, Wire Lens ${wl[i].body.length} bytes ${JSON.stringify(wl[i].body.toString('latin1').slice(0, 80))}`,
        why: null,
      });
  });
  return out.map((d) => ({ ...d, what: d.what.split(String(port)).join('PORT') }));
}

describe('conformance: httpyac sends the same files, every difference intended', function () {
  this.timeout(600000);

  before(() => {
    assert.ok(fs.existsSync(HTTPYAC), `httpyac is not installed at ${HTTPYAC}: run npm install (it is a devDependency)`);
    if (!fs.existsSync(CLI)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  });

  it('compares every corpus case that sends something', async () => {
    const all = loadCorpus().flatMap((f) => f.cases);
    const cases = all.filter((c) => c.expect.requests && c.expect.requests.length > 0 && c.httpyacCompare !== 'skip');
    const report: string[] = [
      '# httpyac and Wire Lens: differences in the bytes sent',
      '',
      `httpyac ${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'httpyac', 'package.json'), 'utf8')).version as string}, generated by test/unit/conformance/httpyac.test.ts. Each line: what differs, and why it is intended.`,
      '',
      'Always, and not listed per case: httpyac (got) lower-cases header names and reorders them (Host last); Wire Lens keeps names, case and order as written (principle 1: nothing hidden). Header values are compared by lower-cased name. Also always:',
      '',
      ...Object.entries(ADDED_BY_HTTPYAC).map(([n, why]) => `- ${n}: ${why}`),
      '',
    ];
    const unexplained: string[] = [];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-yac-'));
    const runs = await Promise.all(
      cases.map(async (c, k) => {
        const ys = await captureServer(c.server);
        const ws = await captureServer(c.server);
        const yd = path.join(root, `y${k}`);
        const wd = path.join(root, `w${k}`);
        fs.mkdirSync(yd);
        fs.mkdirSync(wd);
        return { c, ys, ws, yf: writeCase(c, yd, ys.port), wf: writeCase(c, wd, ws.port), yd, wd };
      }),
    );
    try {
      // Wire Lens, a few at a time.
      const queue = [...runs];
      const worker = async (): Promise<void> => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const w = await cli([r.wf, ...(r.c.args ?? [])], r.wd, r.c.env);
          assert.equal(w.code, 0, `${r.c.id}: Wire Lens failed: ${w.stderr}`);
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      // httpyac takes seconds to start: one process sends every plain case (each file to its own server), the
      // cases with an environment, a --name or process variables run alone.
      // A `# @note` or `# @prompt` case also runs alone (httpyac asks on the terminal there, and stops the batch),
      // and so does one that writes a Cookie (httpyac's jar keeps it for every later file: cookies ignore ports).
      const asks = (c: ConformanceCase): boolean => c.http.some((l) => /^\s*(#|\/\/)\s*@(note|prompt)\b|^cookie:/i.test(l));
      const plain = runs.filter((r) => !r.c.args?.length && !r.c.env && !asks(r.c));
      const outputs = new Map<string, string>();
      if (plain.length) {
        const y = await runHttpyacFiles(
          plain.map((r) => path.relative(root, r.yf)),
          root,
          ['--all'],
          {},
        );
        for (const r of plain) outputs.set(r.c.id, y.out);
      }
      for (const r of runs.filter((x) => !plain.includes(x))) outputs.set(r.c.id, (await runHttpyac(r.yf, r.yd, r.c)).out);
      for (const r of runs) {
        const { c, ys, ws } = r;
        // `first`: httpyac's EventSource connects again each time the stream ends; its first request is compared.
        const first = c.httpyacCompare === 'first';
        const yr = first ? ys.requests.slice(0, 1) : ys.requests;
        const diffs = differences(
          yr,
          ws.requests.map((q) => ({ ...q, head: q.head.split(String(ws.port)).join(String(ys.port)) })),
          ys.port,
        );
        if (first && ys.requests.length > 1)
          diffs.unshift({
            what: `httpyac sent ${ys.requests.length > 2 ? 'several' : 'two'} requests (the first is compared), Wire Lens 1`,
            why: null,
          });
        const rows = diffs
          .filter((d) => d.why === null || !Object.values(ADDED_BY_HTTPYAC).includes(d.why))
          .map((d) => {
            const why = d.why ?? c.httpyac ?? null;
            if (why === null)
              unexplained.push(`${c.id}: ${d.what}${ys.requests.length === 0 ? `\n  httpyac said: ${(outputs.get(c.id) ?? '').slice(0, 600)}` : ''}`);
            return `  - ${d.what} — ${why ?? '**UNEXPLAINED**'}`;
          });
        report.push(`- **${c.id}** (${c.tool})${rows.length === 0 ? ': same bytes (but for the rules above)' : ''}`, ...rows);
      }
    } finally {
      for (const r of runs) {
        await r.ys.close();
        await r.ws.close();
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
    // What is not sent here: the cases Wire Lens refuses where httpyac sends something (another protocol, a form
    // Wire Lens holds back), and the cases httpyac cannot finish on its own. Each says why.
    const refused = all.filter((c) => c.expect.refused !== undefined && c.httpyac);
    if (refused.length) {
      report.push('', '## Refused by Wire Lens, sent by httpyac (not compared byte for byte)', '');
      for (const c of refused) report.push(`- **${c.id}** (${c.tool}): ${c.httpyac}`);
    }
    const skipped = all.filter((c) => c.httpyacCompare === 'skip');
    if (skipped.length) {
      report.push('', '## Not run with httpyac', '');
      for (const c of skipped) {
        if (!c.httpyac) unexplained.push(`${c.id}: httpyacCompare skip without a reason`);
        report.push(`- **${c.id}** (${c.tool}): ${c.httpyac ?? '**UNEXPLAINED**'}`);
      }
    }
    const text = `${report.join('\n')}\n`;
    fs.mkdirSync(path.join(ROOT, 'out'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'out', 'httpyac-differences.md'), text);
    if (process.env.WIRELENS_HTTPYAC_REPORT) fs.writeFileSync(process.env.WIRELENS_HTTPYAC_REPORT, text);
    assert.deepEqual(unexplained, [], `differences without a reason:\n${unexplained.join('\n')}`);
  });
});
