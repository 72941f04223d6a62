// `wirelens send --all` keeps one cookie jar for the run; --no-cookies turns it off. Real loopback server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, ensureCliBuilt, type CliRun } from '../support/cli';

const cli = (args: string[]): Promise<CliRun> => runCli(['send', ...args]);

describe('cli: wirelens send and cookies', function () {
  this.timeout(60000);
  let dir: string;
  let server: http.Server;
  let base: string;
  const cookies: (string | undefined)[] = [];

  before(async () => {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-cookies-'));
    server = http.createServer((req, res) => {
      cookies.push(req.headers.cookie);
      if (req.url === '/login') res.setHeader('Set-Cookie', 'session=abc; Path=/');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fs.writeFileSync(path.join(dir, 'login.http'), `GET ${base}/login\n\n###\nGET ${base}/me\n\n###\n# @no-cookie-jar\nGET ${base}/anon\n`);
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    cookies.length = 0;
  });

  it('--all shares one jar: the second request carries the cookie the first one got; @no-cookie-jar opts out', async () => {
    const r = await cli([path.join(dir, 'login.http'), '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cookies, [undefined, 'session=abc', undefined]);
    const exchanges = JSON.parse(r.stdout) as { request: { headers: [string, string][] } }[];
    assert.deepEqual(
      exchanges[1].request.headers.find(([n]) => n === 'Cookie'),
      ['Cookie', 'session=abc'],
    );
  });

  it('--no-cookies: no request carries a cookie', async () => {
    const r = await cli([path.join(dir, 'login.http'), '--all', '--no-cookies']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(cookies, [undefined, undefined, undefined]);
  });

  it('--help lists --no-cookies', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--no-cookies/);
  });
});
