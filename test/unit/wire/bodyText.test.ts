// A large UTF-8 text body is held as its text alone (one copy, not bytes and text): the text is the one a byte
// body would give, and the bytes and base64 derived from it are exactly the bytes received, however the reads cut
// the sequences; a BOM, bytes that are not UTF-8 and a body cut by the limit all keep that promise.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { ExchangeError, HeaderPair } from '../../../src/shared/exchange';
import { bodyByteLength, bodyBytes, bodyBytesHead } from '../../../src/shared/body';
import { BodyCollector, TEXT_ONLY_AT } from '../../../src/wire/body';
import { send } from '../../../src/wire';
import { request } from './servers';

const limits = (maxBodyBytes = 64 * 1024 * 1024) => ({ maxBodyBytes, maxHeaderBytes: 65536, maxDecodeRatio: 250, decodeRatioFloor: 8 * 1024 * 1024 });

function collect(bytes: Buffer, contentType: string, readSize: number, opts: { length?: boolean; max?: number } = {}) {
  const errors: ExchangeError[] = [];
  const headers: HeaderPair[] = [['Content-Type', contentType]];
  const c = new BodyCollector(
    headers,
    null,
    limits(opts.max),
    { fail: (e) => errors.push(e), pause: () => undefined, resume: () => undefined },
    { length: opts.length ? bytes.length : null },
  );
  // Reads come as views of one reused buffer (as the HTTP/1.1 hop hands them on): the collector must copy.
  const shared = Buffer.alloc(readSize);
  for (let at = 0; at < bytes.length; at += readSize) {
    const n = bytes.copy(shared, 0, at, Math.min(bytes.length, at + readSize));
    c.write(shared.subarray(0, n), true);
    shared.fill(0x5a);
  }
  return { body: c.result(contentType), errors };
}

/** Text of about `n` bytes mixing ASCII, 2-, 3- and 4-byte sequences. */
function mixed(n: number): Buffer {
  const unit = 'plain ascii, café, 日本語, 😀 emoji; ';
  return Buffer.from(unit.repeat(Math.ceil(n / Buffer.byteLength(unit))), 'utf8');
}

describe('wire/body: a large UTF-8 body held as text', function () {
  this.timeout(60000);

  it('gives the same text as decoding the bytes, and derives exactly the bytes, at any read size', () => {
    const bytes = mixed(TEXT_ONLY_AT + 300_000);
    for (const readSize of [1, 7, 4093, 65536, 1 << 20]) {
      const { body, errors } = collect(readSize === 1 ? bytes.subarray(0, TEXT_ONLY_AT + 5000) : bytes, 'application/json; charset=utf-8', readSize);
      const expected = readSize === 1 ? bytes.subarray(0, TEXT_ONLY_AT + 5000) : bytes;
      assert.deepEqual(errors, []);
      assert.ok(body.text === expected.toString('utf8'), `text, read size ${readSize}`);
      assert.equal(body.size, expected.length);
      assert.equal(bodyByteLength(body), expected.length);
      assert.ok(Buffer.from(bodyBytes(body) as Uint8Array).equals(expected), `bytes, read size ${readSize}`);
      assert.ok(body.base64 === expected.toString('base64'), 'base64');
      assert.ok(Buffer.from(bodyBytesHead(body, 1001) as Uint8Array).equals(expected.subarray(0, 1001)));
    }
  });

  it('a body with a Content-Length reads only its start into bytes; JSON of the record is that of the bytes', () => {
    const bytes = mixed(3 * TEXT_ONLY_AT);
    const { body } = collect(bytes, 'text/plain', 65536, { length: true });
    assert.ok(body.text === bytes.toString('utf8'), 'text');
    const json = JSON.parse(JSON.stringify(body)) as { base64: string; text: string; charset: string };
    assert.ok(Buffer.from(json.base64, 'base64').toString('utf8') === json.text, 'JSON base64 and text agree');
    assert.equal(json.charset, 'utf-8');
  });

  it('drops a UTF-8 BOM from the text and keeps it in the bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), mixed(TEXT_ONLY_AT + 10)]);
    const { body } = collect(bytes, 'text/plain', 65536);
    assert.ok(body.text === bytes.subarray(3).toString('utf8'), 'text without the BOM');
    assert.ok(Buffer.from(bodyBytes(body) as Uint8Array).equals(bytes));
  });

  it('goes back to bytes when the body turns out not to be UTF-8 (before or after the switch)', () => {
    for (const badAt of [1000, TEXT_ONLY_AT + 70_000]) {
      const bytes = Buffer.from(mixed(TEXT_ONLY_AT + 200_000));
      bytes[badAt] = 0xff;
      const { body } = collect(bytes, 'text/plain; charset=utf-8', 65536);
      assert.ok(body.text === bytes.toString('utf8'), `text, bad byte at ${badAt}`);
      assert.ok(Buffer.from(bodyBytes(body) as Uint8Array).equals(bytes));
      assert.ok(body.base64 === bytes.toString('base64'), `base64, bad byte at ${badAt}`);
    }
  });

  it('keeps a sequence cut by the body limit in the bytes (U+FFFD in the text)', () => {
    const bytes = mixed(TEXT_ONLY_AT * 2);
    // Find a limit that cuts a 4-byte sequence.
    let max = TEXT_ONLY_AT + 100;
    while (bytes[max] < 0xf0) max++;
    max += 2;
    const { body, errors } = collect(bytes, 'text/plain', 65536, { max });
    assert.equal(errors[0]?.code, 'WL_BODY_TOO_LARGE');
    assert.equal(body.truncated, true);
    assert.ok(Buffer.from(bodyBytes(body) as Uint8Array).equals(bytes.subarray(0, max)));
    assert.ok(body.text === bytes.subarray(0, max).toString('utf8'), 'text with U+FFFD at the cut');
  });

  it('leaves other charsets, binary types and UTF-16 to the bytes', () => {
    const latin = Buffer.alloc(TEXT_ONLY_AT + 10, 0xe9);
    const l = collect(latin, 'text/plain; charset=iso-8859-1', 65536);
    assert.ok(l.body.text === 'é'.repeat(latin.length), 'latin-1 text');
    const bin = collect(mixed(TEXT_ONLY_AT + 10), 'application/octet-stream', 65536);
    assert.equal(bin.body.text, null);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hé'.repeat(TEXT_ONLY_AT / 2), 'utf16le')]);
    assert.ok(collect(utf16, 'text/plain', 65536).body.text === 'hé'.repeat(TEXT_ONLY_AT / 2), 'UTF-16 text');
  });

  it('through the engine: a 5 MB UTF-8 body in odd reads comes out the same as sent', async () => {
    const bytes = mixed(5 * 1024 * 1024);
    const server = net.createServer((sock) => {
      sock.on('error', () => undefined);
      sock.once('data', async () => {
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`);
        // Odd write sizes, so reads cut sequences anywhere.
        for (let at = 0; at < bytes.length; at += 99_991) {
          if (!sock.write(bytes.subarray(at, at + 99_991))) await new Promise((r) => sock.once('drain', r));
        }
        sock.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const ex = await send(request(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`));
      assert.equal(ex.error, null);
      assert.ok(ex.response?.body.text === bytes.toString('utf8'), 'text');
      assert.ok(ex.response?.body.base64 === bytes.toString('base64'), 'base64');
    } finally {
      server.close();
    }
  });
});
