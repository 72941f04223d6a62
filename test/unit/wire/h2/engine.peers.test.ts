// HTTP/2 against servers nobody here wrote: nghttpd (nghttp2) and h2o, over TLS (ALPN h2) and h2c (prior
// knowledge), through the engine and through `wirelens send --http2 --frames`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSelfSigned, type GeneratedCert } from '../../../../src/demo/certs';
import { send } from '../../../../src/wire';
import { request } from '../servers';
import { startH2o, startNghttpd, type Peer } from './peers';
import { runCli, type CliRun } from '../../support/cli';

const cli = (args: string[]): Promise<CliRun> => runCli(['send', ...args]);

describe('wire/h2: real peers (nghttpd, h2o)', function () {
  this.timeout(60000);
  let cert: GeneratedCert;
  let dir: string;
  const peers: Record<string, Peer> = {};
  before(async () => {
    cert = await makeSelfSigned();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-h2-peers-'));
    peers.nghttpd = await startNghttpd(cert);
    peers.nghttpdH2c = await startNghttpd(null);
    peers.h2o = await startH2o(cert);
    peers.h2oH2c = await startH2o(null);
  });
  after(async () => {
    for (const p of Object.values(peers)) await p.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['nghttpd', 'nghttpdH2c', 'h2o', 'h2oH2c']) {
    it(`${name}: GET over HTTP/2 with the frames, HPACK facts and body`, async () => {
      const p = peers[name];
      const ex = await send(request(`${p.url}/posts/`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
      assert.equal(ex.error, null, `${JSON.stringify(ex.error)}\n${p.log()}`);
      assert.equal(ex.response?.httpVersion, '2');
      assert.equal(ex.response?.status, 200);
      assert.match(ex.response?.body.text ?? '', /<h1>Posts<\/h1>/);
      assert.equal(ex.response?.headers[0][0], ':status', 'pseudo-headers first');
      assert.ok(ex.response?.headers.every(([n]) => n === n.toLowerCase()));
      const frames = ex.frames ?? [];
      const h = frames.find((f) => f.direction === 'received' && f.type === 'HEADERS');
      assert.ok(h?.fields?.find((f) => f.name === ':status')?.table === 'static');
      assert.ok((h?.blockLength ?? 0) > 0);
      assert.ok(
        frames.some((f) => f.direction === 'received' && f.type === 'SETTINGS' && f.flagNames.includes('ACK')),
        'our SETTINGS were acknowledged',
      );
      assert.equal(frames[frames.length - 1].type, 'GOAWAY', 'a polite goodbye');
    });

    it(`${name}: a 3 MiB file arrives whole under flow control`, async () => {
      const p = peers[name];
      const ex = await send(request(`${p.url}/big.bin`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
      assert.equal(ex.error, null, `${JSON.stringify(ex.error)}\n${p.log()}`);
      assert.equal(ex.response?.body.size, 3 * 1024 * 1024 + 17);
      assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').every((b) => b === 0x5a));
    });
  }

  it("h2o: the lecture's 302 → /posts → 200 over HTTP/2", async () => {
    const ex = await send(request(`${peers.h2o.url}/lecture`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.redirects[0]?.response?.status, 302);
    assert.equal(ex.response?.status, 200);
    assert.match(ex.response?.body.text ?? '', /Posts/);
  });

  it('nghttpd: a request body (POST) goes out in DATA frames', async () => {
    const ex = await send(
      request(`${peers.nghttpd.url}/posts/`, { httpVersion: 'HTTP/2', method: 'POST', body: [{ kind: 'bytes', data: Buffer.alloc(200_000, 1) }] }),
      { ca: [cert.cert] },
    );
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.ok((ex.frames ?? []).filter((f) => f.direction === 'sent' && f.type === 'DATA').length >= 4);
    assert.equal(ex.request.bodySize, 200_000);
  });

  for (const name of ['nghttpd', 'h2o']) {
    it(`wirelens send --http2 --frames against ${name}`, async () => {
      const file = path.join(dir, `${name}.http`);
      fs.writeFileSync(file, `GET ${peers[name].url}/posts/\nAccept: text/html\n`);
      const r = await cli([file, '--http2', '--frames', '-k']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /\* Using HTTP\/2 \(ALPN h2\)/);
      assert.match(r.stdout, /\] send SETTINGS frame <length=\d+, flags=0x00, stream_id=0>/);
      assert.match(r.stdout, /\] send HEADERS frame <length=\d+, flags=0x05, stream_id=1>/);
      assert.match(r.stdout, /:method: GET {4}; indexed \(static 2\)/);
      assert.match(r.stdout, /\] recv SETTINGS frame/);
      assert.match(r.stdout, /\] recv HEADERS frame/);
      assert.match(r.stdout, /:status: 200/);
      assert.match(r.stdout, /\] recv DATA frame <length=\d+, flags=0x01, stream_id=1>/);
      assert.match(r.stdout, /<h1>Posts<\/h1>/);
      const j = await cli([file, '--http2', '--json', '-k']);
      const ex = JSON.parse(j.stdout) as { response: { httpVersion: string }; frames: { type: string }[] };
      assert.equal(ex.response.httpVersion, '2');
      assert.ok(ex.frames.some((f) => f.type === 'HEADERS'));
      if (name === 'h2o') {
        // nghttpd speaks only HTTP/2; h2o both.
        const h1 = await cli([file, '--http1.1', '-k']);
        assert.match(h1.stdout, /< HTTP\/1\.1 200/);
      }
    });
  }
});
