// The demo origin is what npm start, the examples and many tests talk to: check each route on loopback.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  trailers: NodeJS.Dict<string>;
  body: Buffer;
}

function get(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { method: init.method ?? 'GET', headers: init.headers, ca: init.ca, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          trailers: res.trailers,
          body: Buffer.concat(parts),
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('demo: the demo origin', () => {
  let demo: DemoServer;
  before(async () => {
    demo = await startDemoServer();
  });
  after(async () => {
    await demo.close();
  });

  it('lists its routes at /', async () => {
    const r = await get(`${demo.url}/`);
    assert.equal(r.status, 200);
    assert.ok(JSON.parse(r.body.toString()).routes['/echo']);
  });

  it('echoes method, headers in order and body', async () => {
    const r = await get(`${demo.url}/echo?x=1`, { method: 'PUT', headers: { 'X-First': 'a', 'x-second': 'b' }, body: 'payload' });
    const echo = JSON.parse(r.body.toString());
    assert.equal(echo.method, 'PUT');
    assert.equal(echo.path, '/echo?x=1');
    assert.equal(echo.body, 'payload');
    const names = echo.headers.map((h: [string, string]) => h[0]);
    assert.ok(names.indexOf('X-First') < names.indexOf('x-second'));
  });

  it('answers any status code, with Location / Allow / WWW-Authenticate where they belong', async () => {
    assert.equal((await get(`${demo.url}/status/418`)).status, 418);
    assert.equal((await get(`${demo.url}/status/301`)).headers.location, '/echo');
    assert.equal((await get(`${demo.url}/status/405`)).headers.allow, 'GET, HEAD');
    assert.match((await get(`${demo.url}/status/401`)).headers['www-authenticate'] ?? '', /Basic/);
    const noContent = await get(`${demo.url}/status/204`);
    assert.equal(noContent.body.length, 0);
  });

  it('redirects n times', async () => {
    const r = await get(`${demo.url}/redirect/3`);
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/redirect/2');
    assert.equal((await get(`${demo.url}/redirect-to?url=/json&status=307`)).status, 307);
  });

  it('sends chunked bodies with a trailer', async () => {
    const r = await get(`${demo.url}/chunked?chunks=3&size=4`);
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.body.toString(), 'aaaabbbbcccc');
    assert.equal(r.trailers['x-checksum'], 'chunks=3');
  });

  it('compresses with gzip, deflate and br', async () => {
    const g = await get(`${demo.url}/gzip`);
    assert.equal(JSON.parse(zlib.gunzipSync(g.body).toString()).coding, 'gzip');
    const d = await get(`${demo.url}/deflate`);
    assert.equal(JSON.parse(zlib.inflateSync(d.body).toString()).coding, 'deflate');
    const b = await get(`${demo.url}/br`);
    assert.equal(b.headers['content-encoding'], 'br');
    assert.equal(JSON.parse(zlib.brotliDecompressSync(b.body).toString()).coding, 'br');
  });

  it('delays, drips and streams large bodies', async () => {
    assert.deepEqual(JSON.parse((await get(`${demo.url}/delay/20`)).body.toString()), { delayed: 20 });
    assert.equal((await get(`${demo.url}/drip?bytes=3&delay=5`)).body.toString(), '***');
    const big = await get(`${demo.url}/bytes/1000000`);
    assert.equal(big.body.length, 1_000_000);
    assert.equal(big.headers['content-length'], '1000000');
  });

  it('sets and reads cookies', async () => {
    const set = await get(`${demo.url}/cookies/set?a=1&b=2`);
    assert.equal(set.headers['set-cookie']?.length, 2);
    const read = await get(`${demo.url}/cookies`, { headers: { Cookie: 'a=1' } });
    assert.equal(JSON.parse(read.body.toString()).cookies, 'a=1');
  });

  it('serves sample bodies of each kind, including a real PNG', async () => {
    assert.match((await get(`${demo.url}/html`)).headers['content-type'] ?? '', /text\/html/);
    assert.match((await get(`${demo.url}/xml`)).body.toString(), /^<\?xml/);
    const png = await get(`${demo.url}/image.png`);
    assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal((await get(`${demo.url}/nope`)).status, 404);
  });

  it('serves TLS with a self-signed certificate that clients must trust explicitly', async () => {
    assert.ok(demo.tlsUrl && demo.certificate);
    await assert.rejects(get(`${demo.tlsUrl}/json`), /self-signed|self signed/i);
    const r = await get(`${demo.tlsUrl}/echo`, { ca: demo.certificate });
    assert.equal(JSON.parse(r.body.toString()).secure, true);
  });

  it('listens on IPv6 loopback too, and refuses non-loopback addresses', async () => {
    const v6 = await startDemoServer({ host: '::1', tlsPort: null });
    try {
      assert.match(v6.url, /^http:\/\/\[::1\]:\d+$/);
      assert.equal((await get(`${v6.url}/status/200`)).status, 200);
    } finally {
      await v6.close();
    }
    await assert.rejects(startDemoServer({ host: '0.0.0.0' }), /loopback only/);
  });
});
