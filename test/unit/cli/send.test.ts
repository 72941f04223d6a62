// `wirelens send` as a user runs it: `node dist/cli.js send FILE …` against loopback servers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { makeSelfSigned } from '../../../src/demo/certs';
import { closedPort, rawServer, silentServer, tlsServer, type Received, type TestServer } from '../wire/servers';
import type { Exchange } from '../../../src/shared/exchange';
import type { Socket } from 'node:net';
import { runCli, ensureCliBuilt, type CliRun } from '../support/cli';

// Colour decided by the CLI itself (the colour tests set FORCE_COLOR / NO_COLOR).
const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
  runCli(['send', ...args], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, ...env } });

const json = (sock: Socket, r: Received): void => {
  const [method, target] = r.head.split(' ');
  const body = JSON.stringify({ method, target, got: r.body.toString(), name: 'Wire Lens', list: [1, 2] });
  sock.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
};

describe('cli: wirelens send', function () {
  this.timeout(60000);
  let dir: string;
  let srv: TestServer;
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  before(() => {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await srv?.close();
  });

  it('--help prints the options and exits 0; usage errors exit 2', async () => {
    const h = await cli(['--help']);
    assert.equal(h.code, 0);
    for (const flag of ['--line', '--name', '--all', '--env', '--json', '--timeout', '--max-body', '--insecure', '--no-follow', '--body-out'])
      assert.ok(h.stdout.includes(flag), flag);
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['x.http', '--bogus'])).code, 2);
    // `wirelens --help` lists every option of send too.
    const top = (await runCli(['--help'])).stdout;
    const sendFlags = [...new Set(h.stdout.match(/(?<![\w-])--?[a-z][a-z0-9.-]*[a-z0-9]/g) ?? [])].filter((f) => f !== '-h' && f !== '--help');
    assert.ok(sendFlags.length >= 14, sendFlags.join(' '));
    for (const flag of sendFlags)
      assert.ok(new RegExp(`(?<![\\w-])${flag.replace(/\./g, '\\.')}(?![\\w.-])`).test(top), `wirelens --help lacks ${flag}`);
    assert.equal((await cli(['x.http', '--max-body', 'lots'])).code, 2);
    assert.equal((await cli(['x.http', '--all', '--line', '3'])).code, 2);
    const missing = await cli([path.join(dir, 'nope.http')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
  });

  it('sends the first request and prints heads, pretty JSON and timings, without colours when piped', async () => {
    srv = await rawServer(json);
    const f = file('first.http', `GET ${srv.url}/one\nX-Trace: a\n\n###\nGET ${srv.url}/two\n`);
    const r = await cli([f]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^> GET \/one HTTP\/1\.1$/m);
    assert.match(r.stdout, /^> X-Trace: a$/m);
    assert.match(r.stdout, /^< HTTP\/1\.1 200 OK$/m);
    assert.match(r.stdout, /^< Content-Type: application\/json$/m);
    assert.match(r.stdout, /^ {2}"name": "Wire Lens",$/m, 'pretty JSON');
    assert.match(r.stdout, /Timing[\s\S]*TCP connect[\s\S]*Total/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no ANSI codes when not a TTY');
    assert.equal(srv.requests.length, 1);
  });

  it('colours with --color or FORCE_COLOR, and NO_COLOR wins over FORCE_COLOR', async () => {
    srv = await rawServer(json);
    const f = file('color.http', `GET ${srv.url}/\n`);
    assert.match((await cli([f, '--color'])).stdout, /\x1b\[/);
    assert.match((await cli([f], { FORCE_COLOR: '1' })).stdout, /\x1b\[/);
    assert.doesNotMatch((await cli([f], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout, /\x1b\[/);
  });

  it('--line and --name select the request; unknown ones exit 2', async () => {
    srv = await rawServer(json);
    const f = file('select.http', `GET ${srv.url}/a\n\n###\n# @name second\nGET ${srv.url}/b\n\n###\nGET ${srv.url}/c\n`);
    const byLine = await cli([f, '--line', '8', '--json']);
    assert.equal(byLine.code, 0, byLine.stderr);
    assert.equal((JSON.parse(byLine.stdout) as Exchange).request.url, `${srv.url}/c`);
    const byName = await cli([f, '--name', 'second', '--json']);
    assert.equal((JSON.parse(byName.stdout) as Exchange).request.url, `${srv.url}/b`);
    assert.equal((await cli([f, '--name', 'nope'])).code, 2);
    assert.equal((await cli([f, '--line', '999'])).code, 2);
  });

  it('--all sends every request in order, chaining named responses, and --json prints an array', async () => {
    srv = await rawServer(json);
    const f = file(
      'all.http',
      [
        '# @name login',
        `GET ${srv.url}/login`,
        '',
        '###',
        `POST ${srv.url}/use`,
        'Content-Type: text/plain',
        '',
        '{{login.response.body.$.name}}',
        '',
        '###',
        `GET ${srv.url}/status/404`,
        '',
      ].join('\n'),
    );
    const r = await cli([f, '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Exchange[];
    assert.equal(list.length, 3);
    assert.deepEqual(
      list.map((e) => new URL(e.request.url).pathname),
      ['/login', '/use', '/status/404'],
    );
    assert.equal(srv.requests[1].body.toString(), 'Wire Lens');
    const text = await cli([f, '--all']);
    assert.equal(text.code, 0);
    assert.equal((text.stdout.match(/^### /gm) ?? []).length, 3);
  });

  it('--all sends a named request that an earlier one reads first (as Send All does)', async () => {
    srv = await rawServer(json);
    const f = file(
      'forward.http',
      [
        `POST ${srv.url}/use`,
        'Content-Type: text/plain',
        '',
        '{{login.response.body.$.name}}',
        '',
        '###',
        '# @name login',
        `GET ${srv.url}/login`,
        '',
      ].join('\n'),
    );
    const r = await cli([f, '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Exchange[];
    assert.deepEqual(
      list.map((e) => new URL(e.request.url).pathname),
      ['/login', '/use'],
    );
    assert.equal(srv.requests[1].body.toString(), 'Wire Lens');
  });

  it('--env picks the environment from http-client.env.json', async () => {
    srv = await rawServer(json);
    const sub = path.join(dir, 'envs');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, 'http-client.env.json'), JSON.stringify({ dev: { base: `${srv.url}/dev` }, prod: { base: `${srv.url}/prod` } }));
    fs.writeFileSync(path.join(sub, 'env.http'), 'GET {{base}}/x\n');
    const r = await cli([path.join(sub, 'env.http'), '--env', 'prod', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Exchange).request.url, `${srv.url}/prod/x`);
    const unknown = await cli([path.join(sub, 'env.http'), '--env', 'staging']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown environment 'staging' \(environments: dev, prod\)/);
    assert.equal(srv.requests.length, 1, 'nothing sent for an unknown environment');
  });

  it('exit 0 for any HTTP status, 1 when the exchange failed', async () => {
    srv = await rawServer((sock) => sock.end('HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n'));
    const f = file('status.http', `GET ${srv.url}/\n`);
    const r = await cli([f]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /< HTTP\/1\.1 500 Oops/);
    const port = await closedPort();
    const refused = await cli([file('refused.http', `GET http://127.0.0.1:${port}/\n`)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /ECONNREFUSED \(connect\)/);
    // The likely causes, as the panel shows them.
    assert.match(refused.stdout, /^ {2}The server refused the connection\. \(while opening the TCP connection\)$/m);
    assert.match(refused.stdout, /^ {2}Likely causes:\n {4}- Nothing is listening on that port/m);
    assert.match(refused.stdout, /wirelens explain error ECONNREFUSED/);
    const j = await cli([path.join(dir, 'refused.http'), '--json']);
    assert.equal(j.code, 1);
    assert.equal((JSON.parse(j.stdout) as Exchange).error?.code, 'ECONNREFUSED');
  });

  it('--timeout, --max-body and --no-follow reach the engine', async () => {
    const silent = await silentServer();
    try {
      const t = await cli([file('slow.http', `GET ${silent.url}/\n`), '--timeout', '200', '--json']);
      assert.equal(t.code, 1);
      assert.equal((JSON.parse(t.stdout) as Exchange).error?.code, 'ETIMEDOUT');
    } finally {
      await silent.close();
    }
    srv = await rawServer((sock, r) => {
      if (r.head.startsWith('GET /big')) sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n${'z'.repeat(5000)}`);
      else sock.end('HTTP/1.1 302 Found\r\nLocation: /big\r\nContent-Length: 0\r\n\r\n');
    });
    const big = file('big.http', `GET ${srv.url}/big\n`);
    const m = await cli([big, '--max-body', '1KB', '--json']);
    assert.equal(m.code, 1);
    const ex = JSON.parse(m.stdout) as Exchange;
    assert.equal(ex.error?.code, 'WL_BODY_TOO_LARGE');
    assert.equal(ex.response?.body.truncated, true);
    const redirect = file('redirect.http', `GET ${srv.url}/start\n`);
    const followed = JSON.parse((await cli([redirect, '--json'])).stdout) as Exchange;
    assert.equal(followed.response?.status, 200);
    assert.equal(followed.redirects.length, 1);
    const nf = await cli([redirect, '--no-follow']);
    assert.equal(nf.code, 0);
    assert.match(nf.stdout, /< HTTP\/1\.1 302 Found/);
    assert.doesNotMatch(nf.stdout, /GET \/big/);
  });

  it('--insecure accepts a self-signed certificate that is rejected by default', async () => {
    const cert = await makeSelfSigned();
    srv = await tlsServer(json, { key: cert.key, cert: cert.cert });
    const f = file('tls.http', `GET https://localhost:${srv.port}/\n`);
    const strict = await cli([f]);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /DEPTH_ZERO_SELF_SIGNED_CERT/);
    const loose = await cli([f, '--insecure']);
    assert.equal(loose.code, 0, loose.stdout);
    assert.match(loose.stdout, /\* TLS TLSv1\.[23]/);
    assert.match(loose.stdout, /Certificate NOT verified: DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it('--body-out writes the decoded body to a file instead of the terminal', async () => {
    const payload = Buffer.from('x'.repeat(300000) + 'END');
    const gz = zlib.gzipSync(payload);
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`);
      sock.end(gz);
    });
    const out = path.join(dir, 'body.out');
    const r = await cli([file('out.http', `GET ${srv.url}/\n`), '--body-out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.readFileSync(out).equals(payload));
    assert.match(r.stdout, /Body: 300 kB written to/);
    assert.doesNotMatch(r.stdout, /xxxxxxxxxx/);
  });

  it('--body-out streams a large plain body (Content-Length and chunked) byte for byte', async () => {
    const payload = Buffer.alloc(6 * 1024 * 1024 + 3);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 12)) & 0xff;
    srv = await rawServer((sock, r) => {
      if (r.head.startsWith('GET /chunked')) {
        sock.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
        for (let off = 0; off < payload.length; off += 100_000) {
          const part = payload.subarray(off, off + 100_000);
          sock.write(`${part.length.toString(16)}\r\n`);
          sock.write(part);
          sock.write('\r\n');
        }
        sock.end('0\r\n\r\n');
      } else {
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${payload.length}\r\n\r\n`);
        sock.end(payload);
      }
    });
    for (const route of ['/length', '/chunked']) {
      const out = path.join(dir, `plain${route.slice(1)}.out`);
      const r = await cli([file(`plain${route.slice(1)}.http`, `GET ${srv.url}${route}\n`), '--body-out', out, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.readFileSync(out).equals(payload), route);
      const ex = JSON.parse(r.stdout) as Exchange;
      assert.equal(ex.response?.body.size, payload.length);
      assert.equal(ex.response?.body.truncated, true, 'only a preview is kept');
      assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').equals(payload.subarray(0, 64 * 1024)));
    }
  });

  it('a large text body is cut in the terminal with a hint', async () => {
    srv = await rawServer((sock) => sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n${'y'.repeat(100000)}`));
    const r = await cli([file('cut.http', `GET ${srv.url}/\n`)]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /body cut: 100 kB in all/);
    assert.ok(r.stdout.length < 40000);
  });

  it('control characters from the server cannot drive the terminal', async () => {
    srv = await rawServer((sock) =>
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Evil: \x1b]0;pwned\x07\r\nContent-Length: 7\r\n\r\n\x1b[2Jhi!'),
    );
    const r = await cli([file('evil.http', `GET ${srv.url}/\n`)]);
    assert.ok(!r.stdout.includes('\x1b'), JSON.stringify(r.stdout));
  });
});
