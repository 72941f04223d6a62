// `wirelens send`'s output, byte for byte, for representative runs: every line of stdout and stderr and the exit
// code (and the --save file) must stay exactly what the CLI printed before its per-request work was optimised.
// The exchanges come from the real engine against loopback servers; only what differs from run to run is pinned
// before the knowledge base annotates each hop (timings, local port, start time, ids, the test certificate's dates
// and fingerprint), and the servers' ports and the temporary folder are replaced by <port…> and <dir> in the text.
//
// The golden file test/fixtures/cli/send-golden.txt was generated from `main` at 0d7dc26 with:
//   npx tsc -p tsconfig.test.json && WIRELENS_WRITE_GOLDEN=1 npx mocha --config .mocharc.unit.json out/test/unit/cli/send.golden.test.js
// Regenerate it only when the CLI's output is meant to change, and say so in the commit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { annotateExchange } from '../../../src/annotate';
import { runSend } from '../../../src/cli/send';
import { makeSelfSigned } from '../../../src/demo/certs';
import * as pipeline from '../../../src/pipeline';
import type { Exchange } from '../../../src/shared/exchange';
import { sendAnnotated } from '../../../src/wire';
import { closedPort } from '../wire/servers';
import { Capture } from '../support/cli';

const FILE = path.resolve(__dirname, '../../../../test/fixtures/cli/send-golden.txt');

/** Pins what differs between two runs of the same exchange (idempotent: applied per hop, then to the record). */
function pin(ex: Exchange): void {
  if (ex.startedAt !== undefined) ex.startedAt = '2026-01-01T00:00:00.000Z';
  if (ex.id !== undefined) ex.id = 'exchange';
  const t = ex.timings;
  const fixed = (v: number | null, x: number): number | null => (v === null ? null : x);
  t.dns = fixed(t.dns, 0.5);
  t.connect = fixed(t.connect, 1.25);
  t.tls = fixed(t.tls, 3.5);
  t.send = fixed(t.send, 0.125);
  t.firstByte = fixed(t.firstByte, 2.75);
  t.download = fixed(t.download, 0.375);
  if (t.total !== null) t.total = (t.dns ?? 0) + (t.connect ?? 0) + (t.tls ?? 0) + (t.send ?? 0) + (t.firstByte ?? 0) + (t.download ?? 0) + 0.25;
  const c = ex.connection;
  if (c) {
    if (c.localPort !== null) c.localPort = 40000;
    if (c.openedBy !== undefined) c.openedBy = 'exchange';
    for (const cert of [...(c.tls?.certificate ? [c.tls.certificate] : []), ...(c.tls?.chain ?? [])]) {
      cert.validFrom = 'Jan  1 00:00:00 2026 GMT';
      cert.validTo = 'Jan  1 00:00:00 2036 GMT';
      cert.serialNumber = '01';
      cert.fingerprint256 = 'AA:BB';
    }
  }
  for (const hop of [...ex.redirects, ...(ex.attempts ?? []), ...(ex.tunnel ? [ex.tunnel] : [])]) pin(hop);
}

/** The pipeline as the CLI runs it, with each hop pinned before the knowledge base reads it. */
const pinnedExecute: typeof pipeline.execute = async (req, opts = {}) => {
  const ex = await sendAnnotated(req, opts, (hop) => {
    pin(hop);
    return annotateExchange(hop);
  });
  pin(ex);
  return ex;
};

/** The demo origin: every answer fixed (no Date header), keep-alive, so that runs differ only in what pin() fixes. */
function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.sendDate = false;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '/';
    const json = (status: number, value: unknown): void => {
      const body = JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (url.startsWith('/json')) return json(200, { id: 7, url, list: [1, 2, { deep: true }], name: 'Wire Lens' });
    if (url === '/echo')
      return json(200, { method: req.method, authorization: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() });
    if (url === '/redirect') {
      res.writeHead(302, { Location: '/json?from=redirect', 'Content-Length': 0 });
      return res.end();
    }
    if (url === '/gzip') {
      const body = zlib.gzipSync(Buffer.from('compressed text\n'.repeat(20)));
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': body.length });
      return res.end(body);
    }
    if (url === '/binary') {
      const body = Buffer.from([0, 1, 2, 3, 255, 254, 0x1b, 0x5b]);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
      return res.end(body);
    }
    if (url === '/big') {
      const body = 'line of a large body\r\n'.repeat(1000);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
      return res.end(body);
    }
    if (url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=60, public' });
      res.write('first chunk, \x1b[31mred\x1b[0m\n');
      return res.end('second chunk\n');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
    res.end('not found');
  });
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const MAIN = `@base = {{host}}
@user = alice

### json
GET {{base}}/json?user={{user}}
Accept: application/json

### echo
POST {{base}}/echo
Authorization: Bearer {{token}}
Content-Type: application/json

{"user": "{{user}}", "id": {{json.response.body.$.id}}}

?? status == 200
?? body $.method == POST
?? header content-type includes xml

### redirect
GET {{base}}/redirect

### Not found, with a title of several words
GET {{base}}/missing
X-Token: {{token}}

### gzip
GET {{base}}/gzip

### binary
GET {{base}}/binary

### big
GET {{base}}/big

### chunked
GET {{base}}/chunked

### disabled
# @disabled
GET {{base}}/json

### unknown
GET {{base}}/{{nope}}

### refused
GET http://127.0.0.1:{{closed}}/x

### script
POST {{base}}/echo
Authorization: Basic alice {{token}}

> {%
  client.test("status is 200", function () { client.assert(response.status === 200, "status"); });
  client.test("fails", function () { client.assert(false, "never"); });
  client.log("saw " + response.body.authorization);
  client.global.set("seen", "yes");
%}

### after
GET {{base}}/json?seen={{seen}}
`;

const TLS = `### tls
GET https://localhost:{{tlsPort}}/json
`;

interface Run {
  title: string;
  args: string[];
  color?: boolean;
  /** A file the run writes (--save), shown after the run's output. */
  saved?: string;
}

describe('cli: wirelens send output (golden, byte for byte)', function () {
  this.timeout(60000);
  let dir: string;
  let plain: http.Server;
  let secure: https.Server;
  let replacements: [string, string][] = [];
  const real = pipeline.execute;

  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wl-golden-')));
    plain = http.createServer(handler);
    const cert = await makeSelfSigned();
    secure = https.createServer({ key: cert.key, cert: cert.cert }, handler);
    const port = await listen(plain);
    const tlsPort = await listen(secure);
    const closed = await closedPort();
    fs.writeFileSync(path.join(dir, 'main.http'), MAIN);
    fs.writeFileSync(path.join(dir, 'tls.http'), TLS);
    fs.writeFileSync(
      path.join(dir, 'http-client.env.json'),
      JSON.stringify({ $shared: { closed: String(closed), tlsPort: String(tlsPort) }, dev: { host: `http://127.0.0.1:${port}` }, other: {} }),
    );
    fs.writeFileSync(path.join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { token: 's3cr3t-token-42' } }));
    // Longest first, so that a port is never replaced inside another number.
    replacements = [
      [dir, '<dir>'],
      [String(tlsPort), '<tlsPort>'],
      [String(port), '<port>'],
      [String(closed), '<closedPort>'],
    ];
    (pipeline as { execute: typeof pipeline.execute }).execute = pinnedExecute;
  });

  after(async () => {
    (pipeline as { execute: typeof pipeline.execute }).execute = real;
    plain.closeAllConnections();
    secure.closeAllConnections();
    await new Promise((r) => plain.close(r));
    await new Promise((r) => secure.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const main = (): string => path.join(dir, 'main.http');
  const runs = (): Run[] => [
    { title: 'all, plain text', args: [main(), '--all', '--env', 'dev', '--no-color'] },
    { title: 'all, colours', args: [main(), '--all', '--env', 'dev', '--color'] },
    { title: 'all, secrets shown', args: [main(), '--all', '--env', 'dev', '--no-color', '--show-secrets'] },
    { title: 'all, JSON', args: [main(), '--all', '--env', 'dev', '--json'] },
    { title: 'one by name (and the request it reads)', args: [main(), '--name', 'echo', '--env', 'dev', '--no-color'] },
    { title: 'one by line, verbose', args: [main(), '--line', '23', '--env', 'dev', '--no-color', '--verbose'] },
    { title: 'first request, no redirects followed', args: [main(), '--line', '20', '--env', 'dev', '--no-color', '--no-follow'] },
    { title: 'all, saved', args: [main(), '--all', '--env', 'dev', '--no-color', '--save', path.join(dir, 'saved.http')], saved: 'saved.http' },
    {
      title: 'all, no cookies, no scripts, no keep-alive',
      args: [main(), '--all', '--env', 'dev', '--no-color', '--no-scripts', '--no-cookies', '--no-keep-alive'],
    },
    { title: 'TLS, insecure', args: [path.join(dir, 'tls.http'), '--insecure', '--no-color'] },
    { title: 'TLS, insecure, colours, all', args: [path.join(dir, 'tls.http'), '--insecure', '--color', '--all'] },
    { title: 'unknown environment', args: [main(), '--all', '--env', 'nope'] },
    { title: 'no such request', args: [main(), '--name', 'nope'] },
  ];

  const replaceAll = (text: string): string => {
    let out = text;
    for (const [from, to] of replacements) out = out.split(from).join(to);
    return out;
  };
  /** --json's bytes hold the ports too (Host in the raw head): replaced inside each base64 value, the rest left as is. */
  const replaceInBase64 = (json: string): string =>
    json.replace(/("(?:rawBase64|base64)": ")([A-Za-z0-9+/=]*)"/g, (_m, key: string, b64: string) => {
      const text = Buffer.from(b64, 'base64').toString('latin1');
      return `${key}${Buffer.from(replaceAll(text), 'latin1').toString('base64')}"`;
    });

  async function transcript(): Promise<string> {
    const out: string[] = [];
    for (const r of runs()) {
      const stdout = new Capture(false);
      const stderr = new Capture(false);
      const code = await runSend(r.args, { stdout, stderr });
      let text = `=== ${r.title}: wirelens send ${r.args.join(' ')}\n--- exit ${code}\n--- stdout\n${r.args.includes('--json') ? replaceInBase64(stdout.text) : stdout.text}--- stderr\n${stderr.text}`;
      if (r.saved) text += `--- ${r.saved}\n${fs.readFileSync(path.join(dir, r.saved), 'utf8')}\n`;
      out.push(replaceAll(text));
    }
    return out.join('');
  }

  if (process.env.WIRELENS_WRITE_GOLDEN === '1') {
    it('writes the golden file', async () => {
      fs.mkdirSync(path.dirname(FILE), { recursive: true });
      fs.writeFileSync(FILE, await transcript());
    });
    return;
  }

  it('prints exactly what it printed before, for every run', async () => {
    const expected = fs.readFileSync(FILE, 'utf8').split('\n');
    const actual = (await transcript()).split('\n');
    // The first differing line, with its neighbours, rather than two pages of text.
    const at = actual.findIndex((l, i) => l !== expected[i]);
    if (at >= 0 || actual.length !== expected.length) {
      const k = at >= 0 ? at : Math.min(actual.length, expected.length);
      assert.deepEqual(actual.slice(Math.max(0, k - 3), k + 4), expected.slice(Math.max(0, k - 3), k + 4), `first difference at line ${k + 1}`);
    }
  });
});
