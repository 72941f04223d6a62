// `wirelens send` and connections: keep-alive within a run, --no-keepalive, --proxy / HTTP_PROXY / --noproxy,
// and --save writing the Save Exchange format.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Exchange } from '../../../src/shared/exchange';
import { socksServer, type SocksServer } from '../wire/proxies';
import { runCli, ensureCliBuilt, type CliRun } from '../support/cli';

// No proxy from the test machine's environment unless a test sets one.
const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
  runCli(['send', ...args], { env: { HTTP_PROXY: undefined, http_proxy: undefined, ALL_PROXY: undefined, ...env } });

describe('cli: wirelens send — connections, proxies, --save', function () {
  this.timeout(60000);
  let dir: string;
  let server: http.Server;
  let base = '';
  let connections = 0;
  let socks: SocksServer | undefined;
  const sockets = new Set<net.Socket>();

  before(async () => {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cli-conn-'));
    server = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ path: req.url }));
    });
    server.on('connection', (s: net.Socket) => {
      connections++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    connections = 0;
  });
  afterEach(async () => {
    await socks?.close();
    socks = undefined;
  });

  const threeRequests = (): string => {
    const f = path.join(dir, 'three.http');
    fs.writeFileSync(f, `GET ${base}/1\n\n###\nGET ${base}/2\n\n###\n# @new-connection\nGET ${base}/3\n\n###\nGET ${base}/4\n`);
    return f;
  };

  it('--all reuses one connection for requests to the same origin; # @new-connection opens another', async () => {
    const r = await cli([threeRequests(), '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Exchange[];
    assert.deepEqual(
      list.map((e) => e.connection?.reused),
      [false, true, false, true],
    );
    assert.equal(list[1].connection?.openedBy, list[0].id);
    assert.equal(list[3].connection?.openedBy, list[2].id);
    assert.equal(connections, 2);
    const text = await cli([threeRequests(), '--all']);
    assert.match(text.stdout, /Re-using the connection to 127\.0\.0\.1 port \d+ .*\(2\. request on it\)/);
    assert.match(text.stdout, /new connection: a new connection was asked for/);
  });

  it('--no-keepalive opens a connection per request', async () => {
    const r = await cli([threeRequests(), '--all', '--json', '--no-keepalive']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(connections, 4);
  });

  it('--proxy and HTTP_PROXY send through the proxy and say so; --noproxy exempts a host', async () => {
    socks = await socksServer();
    const f = path.join(dir, 'one.http');
    fs.writeFileSync(f, `GET ${base}/via\n`);
    const r = await cli([f, '--proxy', `socks5h://127.0.0.1:${socks.port}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `\\* Via proxy socks5h://127\\.0\\.0\\.1:${socks.port} \\(127\\.0\\.0\\.1 port ${socks.port}\\) to 127\\.0\\.0\\.1:\\d+: SOCKS5 tunnel; from --proxy`,
      ),
    );
    assert.equal(socks.requests.length, 1);
    const env = await cli([f, '--json'], { ALL_PROXY: `socks5://127.0.0.1:${socks.port}` });
    assert.equal((JSON.parse(env.stdout) as Exchange).connection?.proxy?.source, 'ALL_PROXY');
    const exempt = await cli([f, '--json', '--noproxy', '127.0.0.1'], { ALL_PROXY: `socks5://127.0.0.1:${socks.port}` });
    assert.equal((JSON.parse(exempt.stdout) as Exchange).connection?.proxy, undefined);
    assert.equal(socks.requests.length, 2);
    const bad = await cli([f, '--proxy', 'gopher://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /WL_PROXY_CONFIG/);
  });

  it('--save FILE writes the Save Exchange format, secrets masked, so two runs can be diffed', async () => {
    const f = path.join(dir, 'save.http');
    fs.writeFileSync(f, `GET ${base}/saved\nAuthorization: Bearer {{token}}\n`);
    fs.writeFileSync(path.join(dir, 'http-client.private.env.json'), JSON.stringify({ dev: { token: 'tok-very-secret' } }));
    const out = path.join(dir, 'out.http');
    const r = await cli([f, '--env', 'dev', '--save', out]);
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^# Saved by Wire Lens/);
    assert.match(text, new RegExp(`^GET ${base}/saved HTTP/1.1$`, 'm'));
    assert.match(text, /^# HTTP\/1\.1 200 OK$/m);
    assert.match(text, /^# \{"path":"\/saved"\}$/m);
    assert.ok(!text.includes('tok-very-secret'), text);
    const all = path.join(dir, 'all.http');
    assert.equal((await cli([threeRequests(), '--all', '--save', all])).code, 0);
    assert.equal((fs.readFileSync(all, 'utf8').match(/^# Saved by Wire Lens/gm) ?? []).length, 4);
  });
});
