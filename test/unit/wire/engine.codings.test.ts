// Hostile and unusual codings: a long Content-Encoding list (capped like curl's, linear work), transfer codings
// before chunked, and decoders that keep everything decodable when the stream fails or carries garbage.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { send } from '../../../src/wire';
import { rawServer, request, type TestServer } from './servers';

/** 90,000 bytes that compress well but not absurdly (a gzip of about a kilobyte and a half). */
function sample(n = 90_000): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = 0x20 + ((i * 7 + (i >> 5)) % 90);
  return b;
}

describe('wire/engine: codings (hardening)', function () {
  this.timeout(30000);
  let srv: TestServer;
  afterEach(async () => {
    await srv?.close();
  });

  it('85,000 stacked Content-Encoding entries end at once with WL_TOO_MANY_CODINGS, the body kept as received', async () => {
    const list = Array.from({ length: 85_000 }, () => 'br').join(',');
    srv = await rawServer((sock) => {
      sock.end(`HTTP/1.1 200 OK\r\nContent-Encoding: ${list}\r\nContent-Length: 2\r\n\r\nzz`);
    });
    // The timeout is there to show it still works: the engine's event loop is never blocked by the list.
    const ex = await send(request(`${srv.url}/`), { timeoutMs: 5000 });
    assert.equal(ex.error?.code, 'WL_TOO_MANY_CODINGS');
    assert.equal(ex.error?.phase, 'decode');
    assert.match(ex.error?.message ?? '', /85000 content codings.*at most 5/);
    assert.equal(ex.response?.status, 200);
    assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(), 'zz');
    assert.deepEqual(ex.response?.body.decodedFrom, []);
  });

  it('--timeout fires while a server holds a response with a huge coding list open', async () => {
    const list = Array.from({ length: 85_000 }, () => 'br').join(',');
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Encoding: ${list}\r\nContent-Length: 2\r\n\r\nz`);
    });
    const ex = await send(request(`${srv.url}/`), { timeoutMs: 300 });
    assert.equal(ex.error?.code, 'ETIMEDOUT');
    assert.equal(ex.response?.headers.length, 2);
  });

  it('five stacked codings are decoded, six are refused', async () => {
    const plain = Buffer.from('five layers deep');
    let five = plain;
    for (let i = 0; i < 5; i++) five = zlib.gzipSync(five);
    srv = await rawServer((sock, req) => {
      const six = req.head.startsWith('GET /six');
      const body = six ? zlib.gzipSync(five) : five;
      sock.end(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip, gzip, gzip, gzip, gzip${six ? ', gzip' : ''}\r\nContent-Length: ${body.length}\r\n\r\n`,
          ),
          body,
        ]),
      );
    });
    const ok = await send(request(`${srv.url}/five`));
    assert.equal(ok.error, null);
    assert.equal(ok.response?.body.text, 'five layers deep');
    const refused = await send(request(`${srv.url}/six`));
    assert.equal(refused.error?.code, 'WL_TOO_MANY_CODINGS');
  });

  it('Transfer-Encoding: gzip, chunked is de-chunked and then un-gzipped, with a note', async () => {
    const text = 'plain text under a transfer coding\n'.repeat(200);
    const gz = zlib.gzipSync(Buffer.from(text));
    srv = await rawServer((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\n\r\n');
      for (let i = 0; i < gz.length; i += 100) {
        const part = gz.subarray(i, i + 100);
        sock.write(`${part.length.toString(16)}\r\n`);
        sock.write(Buffer.concat([part, Buffer.from('\r\n')]));
      }
      sock.end('0\r\n\r\n');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, text);
    assert.equal(ex.response?.body.wireSize, gz.length);
    assert.deepEqual(ex.response?.body.decodedFrom, ['gzip']);
    const note = ex.notes.find((n) => n.id === 'wire-transfer-coding');
    assert.ok(note, JSON.stringify(ex.notes));
    assert.match(note.summary, /gzip/);
  });

  it('Transfer-Encoding and Content-Encoding stacked: both undone, transfer coding first', async () => {
    const text = 'both layers';
    const wire = zlib.deflateSync(zlib.gzipSync(Buffer.from(text)));
    srv = await rawServer((sock) => {
      sock.end(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: deflate, chunked\r\n\r\n${wire.length.toString(16)}\r\n`,
          ),
          wire,
          Buffer.from('\r\n0\r\n\r\n'),
        ]),
      );
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, text);
    assert.deepEqual(ex.response?.body.decodedFrom, ['deflate', 'gzip']);
  });

  it('an unknown transfer coding before chunked is left as received and noted', async () => {
    srv = await rawServer((sock) => {
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: zstd, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(), 'abc');
    assert.equal(ex.response?.body.text, null, 'coded bytes are not shown as text');
    assert.ok(ex.notes.some((n) => n.id === 'wire-unknown-coding' && /zstd/.test(n.summary)));
  });

  it('300 of 342 gzip bytes then a close: everything decodable is kept', async () => {
    const plain = Buffer.from(JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ id: i, ok: true }))));
    const gz = zlib.gzipSync(plain, { level: 9 });
    const cut = Math.floor((gz.length * 300) / 342);
    const decodable = zlib.gunzipSync(gz.subarray(0, cut), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.ok(decodable.length > 1000, 'the sample leaves something decodable');
    srv = await rawServer((sock) => {
      sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`);
      sock.end(gz.subarray(0, cut));
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'HPE_INVALID_EOF_STATE');
    assert.equal(ex.response?.body.wireSize, cut);
    assert.equal(ex.response?.body.size, decodable.length);
    assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').equals(decodable));
  });

  it('gzip with trailing garbage keeps all 90,000 bytes and notes the garbage', async () => {
    const plain = sample();
    const gz = Buffer.concat([zlib.gzipSync(plain), Buffer.from('GARBAGE!')]);
    srv = await rawServer((sock) => {
      sock.end(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`),
          gz,
        ]),
      );
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.size, 90_000);
    assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').equals(plain));
    const note = ex.notes.find((n) => n.id === 'wire-coding-trailing-garbage');
    assert.ok(note, JSON.stringify(ex.notes));
    assert.match(note.summary, /8 bytes/);
  });

  for (const [name, wire] of [
    ['br', zlib.brotliCompressSync(sample())],
    ['deflate', zlib.deflateSync(sample())],
  ] as const) {
    it(`${name} with trailing garbage keeps everything and notes it`, async () => {
      const body = Buffer.concat([wire, Buffer.from('junk')]);
      srv = await rawServer((sock) => {
        sock.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: ${name}\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      });
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.response?.body.size, 90_000);
      assert.ok(ex.notes.some((n) => n.id === 'wire-coding-trailing-garbage'));
    });
  }

  it('concatenated gzip members decode as one body; zero padding is not garbage', async () => {
    const body = Buffer.concat([zlib.gzipSync(Buffer.from('first ')), zlib.gzipSync(Buffer.from('second')), Buffer.alloc(16)]);
    srv = await rawServer((sock) => {
      sock.end(
        Buffer.concat([
          Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`),
          body,
        ]),
      );
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, 'first second');
    assert.ok(!ex.notes.some((n) => n.id === 'wire-coding-trailing-garbage'));
  });

  it('a gzip CRC mismatch is WL_DECODE_FAILED with the decoded bytes kept', async () => {
    const plain = sample(20_000);
    const gz = zlib.gzipSync(plain);
    gz[gz.length - 8] ^= 0xff;
    srv = await rawServer((sock) => {
      sock.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`), gz]));
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'WL_DECODE_FAILED');
    assert.match(ex.error?.message ?? '', /CRC/);
    assert.equal(ex.response?.body.size, 20_000);
  });
});
