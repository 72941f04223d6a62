// Content-Encoding (gzip, x-gzip, deflate zlib and raw, br, stacked), corrupt streams, bombs and charsets.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import * as iconv from 'iconv-lite';
import { send } from '../../../src/wire';
import { decodeText } from '../../../src/wire/charset';
import { rawServer, request, type TestServer } from './servers';

const JSON_TEXT = JSON.stringify({ hello: 'wörld', items: Array.from({ length: 50 }, (_, i) => i) });

function respond(body: Buffer, headers: string): (sock: import('node:net').Socket) => void {
  return (sock) => {
    sock.write(`HTTP/1.1 200 OK\r\n${headers}Content-Length: ${body.length}\r\n\r\n`);
    sock.end(body);
  };
}

describe('wire/engine: decoding', function () {
  this.timeout(20000);
  let srv: TestServer;
  afterEach(async () => {
    await srv?.close();
  });

  const plain = Buffer.from(JSON_TEXT);
  const cases: [string, Buffer, string[]][] = [
    ['gzip', zlib.gzipSync(plain), ['gzip']],
    ['x-gzip', zlib.gzipSync(plain), ['x-gzip']],
    ['deflate', zlib.deflateSync(plain), ['deflate']],
    ['deflate', zlib.deflateRawSync(plain), ['deflate']],
    ['br', zlib.brotliCompressSync(plain), ['br']],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(plain)), ['br', 'gzip']],
    ['deflate,gzip', zlib.gzipSync(zlib.deflateRawSync(plain)), ['gzip', 'deflate']],
  ];
  for (const [coding, wire, undone] of cases) {
    it(`decodes Content-Encoding: ${coding} (${wire[0] === 0x78 ? 'zlib' : 'raw/other'})`, async () => {
      srv = await rawServer(respond(wire, `Content-Type: application/json\r\nContent-Encoding: ${coding}\r\n`));
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null);
      const b = ex.response?.body;
      assert.ok(b);
      assert.equal(b.text, JSON_TEXT);
      assert.equal(b.size, plain.length);
      assert.equal(b.wireSize, wire.length);
      assert.deepEqual(b.decodedFrom, undone);
      assert.equal(b.charset, 'utf-8');
    });
  }

  it('decodes a chunked gzip body delivered in small pieces', async () => {
    const gz = zlib.gzipSync(Buffer.from('x'.repeat(100000)));
    srv = await rawServer((sock) => {
      sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 0; i < gz.length; i += 7) {
        const part = gz.subarray(i, i + 7);
        sock.write(`${part.length.toString(16)}\r\n`);
        sock.write(part);
        sock.write('\r\n');
      }
      sock.end('0\r\n\r\n');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.body.size, 100000);
    assert.equal(ex.response?.body.text?.length, 100000);
  });

  for (const [label, wire] of [
    ['zlib', zlib.deflateSync(plain)],
    ['raw', zlib.deflateRawSync(plain)],
  ] as const) {
    it(`sniffs deflate (${label}) even when it arrives one byte at a time`, async () => {
      srv = await rawServer((sock) => {
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: deflate\r\nContent-Length: ${wire.length}\r\n\r\n`);
        let i = 0;
        const next = (): void => {
          if (sock.destroyed) return;
          if (i >= wire.length) {
            sock.end();
            return;
          }
          sock.write(wire.subarray(i, i + 1));
          i++;
          // Only the first bytes one by one (the sniff); then the rest at once.
          if (i < 4) setTimeout(next, 5);
          else {
            sock.end(wire.subarray(i));
          }
        };
        next();
      });
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null);
      assert.equal(ex.response?.body.text, JSON_TEXT);
    });
  }

  for (const [coding, framing] of [
    ['gzip', 'Content-Length: 0\r\n\r\n'],
    ['br', 'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['deflate', '\r\n'],
  ] as const) {
    it(`an empty body with Content-Encoding: ${coding} is an empty body, not a decode failure`, async () => {
      srv = await rawServer((sock) => {
        sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: ${coding}\r\n${framing}`);
      });
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.response?.body.size, 0);
      assert.equal(ex.response?.body.wireSize, 0);
      assert.equal(ex.response?.body.text, '');
    });
  }

  it('a corrupt stream is WL_DECODE_FAILED with the response kept', async () => {
    const gz = zlib.gzipSync(plain);
    gz.fill(0x41, 12, 30);
    srv = await rawServer(respond(gz, 'Content-Encoding: gzip\r\n'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'WL_DECODE_FAILED');
    assert.equal(ex.error?.phase, 'decode');
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.response?.body.wireSize, gz.length);
  });

  it('a truncated gzip stream is WL_DECODE_FAILED', async () => {
    const gz = zlib.gzipSync(plain);
    srv = await rawServer(respond(gz.subarray(0, gz.length - 10), 'Content-Encoding: gzip\r\n'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'WL_DECODE_FAILED');
  });

  it('a decompression bomb stops at the ratio limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(48 * 1024 * 1024), { level: 9 });
    srv = await rawServer(respond(bomb, 'Content-Encoding: gzip\r\n'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'WL_DECOMPRESSION_BOMB');
    assert.match(ex.error?.message ?? '', /250:1/);
    assert.ok((ex.response?.body.size ?? 0) <= bomb.length * 250 + 65536, `kept ${ex.response?.body.size}`);
    const tight = await send(request(`${srv.url}/`), { maxDecodeRatio: 100, decodeRatioFloor: 1024 * 1024 });
    assert.equal(tight.error?.code, 'WL_DECOMPRESSION_BOMB');
    assert.ok((tight.response?.body.size ?? 0) <= bomb.length * 100 + 65536, `kept ${tight.response?.body.size}`);
  });

  it('decoded output over the body limit is WL_BODY_TOO_LARGE', async () => {
    const gz = zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x61));
    srv = await rawServer(respond(gz, 'Content-Encoding: gzip\r\n'));
    const ex = await send(request(`${srv.url}/`), { maxBodyBytes: 1024 * 1024 });
    assert.equal(ex.error?.code, 'WL_BODY_TOO_LARGE');
    assert.equal(ex.response?.body.truncated, true);
    assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').length, 1024 * 1024);
  });

  it('an unknown coding is left as received, with a note', async () => {
    srv = await rawServer(respond(Buffer.from('zzz'), 'Content-Type: text/plain\r\nContent-Encoding: zstd\r\n'));
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.body.text, null);
    assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(), 'zzz');
    assert.ok(ex.notes.some((n) => n.id === 'wire-unknown-coding'));
  });

  const text = 'Grüße, café — “quotes” €';
  const charsets: [string, Buffer, string][] = [
    ['utf-8', Buffer.from(text, 'utf8'), text],
    ['ISO-8859-1', iconv.encode('Grüße, café', 'latin1'), 'Grüße, café'],
    ['windows-1252', iconv.encode(text, 'windows-1252'), text],
    ['utf-16le', iconv.encode(text, 'utf-16le'), text],
    ['UTF-16', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), text],
  ];
  for (const [cs, bytes, expected] of charsets) {
    it(`decodes charset=${cs} for the text view`, async () => {
      srv = await rawServer(respond(bytes, `Content-Type: text/plain; charset=${cs}\r\n`));
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error, null);
      assert.equal(ex.response?.body.text, expected);
      assert.equal(ex.response?.body.size, bytes.length);
    });
  }

  it('charset rules: JSON defaults to UTF-8, binary types have no text, BOM wins', () => {
    assert.equal(decodeText(Buffer.from('{"a":"é"}'), 'application/json').text, '{"a":"é"}');
    assert.equal(decodeText(Buffer.from('{}'), 'application/problem+json').text, '{}');
    assert.equal(decodeText(Buffer.from([1, 2, 3]), 'image/png').text, null);
    assert.equal(decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'text/plain; charset=iso-8859-1').text, 'A');
    assert.equal(decodeText(Buffer.from('x'), 'text/plain; charset="bogus-cs"').charset, 'utf-8');
  });
});
