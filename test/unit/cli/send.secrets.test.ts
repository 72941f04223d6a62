// `wirelens send` masks secrets in text and --json (raw bytes included) unless --show-secrets, and reads env
// files only up to the project folder (.git, package.json or an env file), saying which with --verbose.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Exchange } from '../../../src/shared/exchange';
import { projectRoot } from '../../../src/language';
import { rawServer, type TestServer } from '../wire/servers';
import { runCli, ensureCliBuilt, type CliRun } from '../support/cli';

const cli = (args: string[]): Promise<CliRun> => runCli(['send', ...args]);

describe('cli: secrets and env-file bounds', function () {
  this.timeout(60000);
  let dir: string;
  let srv: TestServer;
  before(async () => {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-secrets-'));
    // An echo server: the response repeats the request head, as /echo endpoints do.
    srv = await rawServer((sock, r) => {
      const body = JSON.stringify({ head: r.head });
      sock.end(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo-Auth: ${/authorization: (.*)/i.exec(r.head)?.[1] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  });
  after(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const project = (): string => {
    const p = fs.mkdtempSync(path.join(dir, 'p-'));
    fs.writeFileSync(path.join(p, 'package.json'), '{}');
    fs.writeFileSync(
      path.join(p, 'http-client.private.env.json'),
      JSON.stringify({ dev: { apiKey: 'k-private-123456', password: 'pw-private-654321' } }),
    );
    fs.writeFileSync(
      path.join(p, 'r.http'),
      `GET ${srv.url.replace('http://', 'http://alice:{{password}}@')}/echo?k={{%apiKey}}\nX-Api-Key: {{apiKey}}\n`,
    );
    return p;
  };

  it('masks secrets in the text output, in headers, URL, Basic credential and echoed body', async () => {
    const p = project();
    const r = await cli([path.join(p, 'r.http'), '--env', 'dev']);
    assert.equal(r.code, 0, r.stderr);
    for (const s of ['k-private-123456', 'pw-private-654321', Buffer.from('alice:pw-private-654321').toString('base64')])
      assert.ok(!r.stdout.includes(s), `${s} printed:\n${r.stdout}`);
    assert.match(r.stdout, /••••••/);
  });

  it('masks them in --json, raw bytes included; --show-secrets prints them', async () => {
    const p = project();
    const r = await cli([path.join(p, 'r.http'), '--env', 'dev', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const ex = JSON.parse(r.stdout) as Exchange;
    const everything = [
      r.stdout,
      Buffer.from(ex.request.rawBase64, 'base64').toString(),
      Buffer.from(ex.response?.rawBase64 ?? '', 'base64').toString(),
      Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(),
    ].join('\n');
    for (const s of ['k-private-123456', 'pw-private-654321', Buffer.from('alice:pw-private-654321').toString('base64')])
      assert.ok(!everything.includes(s), s);
    const shown = await cli([path.join(p, 'r.http'), '--env', 'dev', '--json', '--show-secrets']);
    assert.ok(shown.stdout.includes('k-private-123456'));
  });

  it('never reads an env file above the project folder; --verbose says what was read', async () => {
    // outer/.env is above the project (which has its own package.json): it must not feed the request.
    const outer = fs.mkdtempSync(path.join(dir, 'outer-'));
    fs.writeFileSync(path.join(outer, '.env'), 'LEAK=from-above\n');
    const proj = path.join(outer, 'proj');
    const deep = path.join(proj, 'a', 'b', 'c');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(proj, 'package.json'), '{}');
    fs.writeFileSync(path.join(deep, 'r.http'), `GET ${srv.url}/x?v={{$dotenv LEAK}}\n`);
    assert.equal(projectRoot(deep), proj);
    const r = await cli([path.join(deep, 'r.http'), '--verbose']);
    assert.ok(!r.stdout.includes('from-above'), r.stdout);
    assert.match(r.stderr, new RegExp(`looked for from .*c up to ${proj.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(r.stderr, /no env file read/);
    // The project's own .env is read, and named.
    fs.writeFileSync(path.join(proj, '.env'), 'LEAK=from-project\n');
    const own = await cli([path.join(deep, 'r.http'), '--verbose']);
    assert.match(own.stdout, /from-project/);
    assert.match(own.stderr, new RegExp(`read ${path.join(proj, '.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it("without any project marker, only the file's own folder is searched", () => {
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-lone-'));
    try {
      const sub = path.join(lone, 'x');
      fs.mkdirSync(sub);
      // os.tmpdir() and / hold no marker here; the lone folder is its own bound.
      const root = projectRoot(sub);
      assert.ok(root === sub || fs.readdirSync(root).some((n) => n === '.git' || n === 'package.json' || n.includes('env')), root);
    } finally {
      fs.rmSync(lone, { recursive: true, force: true });
    }
  });
});
