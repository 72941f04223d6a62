// Pure formatting helpers of the response panel: sizes, progress words, hex dump, base64 slicing, waterfall,
// raw segments, error explanations, secret masking.
import * as assert from 'node:assert/strict';
import { base64Bytes, base64ToBytes, latin1, looksTextual, sliceBase64, sliceText } from '../../../src/view/bytes';
import { explainError, explainTlsFailure } from '../../../src/view/errors';
import { CANCELLED, WL } from '../../../src/wire/errors';
import { hexDump } from '../../../src/view/hexdump';
import { MASK, maskSecrets, maskSecretsLatin1 } from '../../../src/view/mask';
import { describeProgress, formatElapsed } from '../../../src/view/progress';
import { rawSegments, receivedStatusLine, showLineEnds, escapeControls, wireBodyBytes } from '../../../src/view/raw';
import { chainTotalMs, formatBytes, formatMs, hostPort, statusClass } from '../../../src/view/units';
import { barGeometry, waterfall } from '../../../src/view/waterfall';

describe('view: units', () => {
  it('formats sizes in decimal units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1000), '1.0 kB');
    assert.equal(formatBytes(12_400_000), '12.4 MB');
    assert.equal(formatBytes(100 * 1024 * 1024), '105 MB');
    assert.equal(formatBytes(-1), '—');
  });
  it('formats durations', () => {
    assert.equal(formatMs(null), '—');
    assert.equal(formatMs(0.25), '0.25 ms');
    assert.equal(formatMs(4.26), '4.3 ms');
    assert.equal(formatMs(123.4), '123 ms');
    assert.equal(formatMs(1530), '1.53 s');
  });
  it('classes statuses and brackets IPv6', () => {
    assert.equal(statusClass(204), '2xx');
    assert.equal(statusClass(599), '5xx');
    assert.equal(statusClass(99), 'other');
    assert.equal(hostPort('::1', 8080), '[::1]:8080');
    assert.equal(hostPort('127.0.0.1', 80), '127.0.0.1:80');
    assert.equal(hostPort(null, 1), '—');
  });
  it('totals a redirect chain over every hop, not the final hop alone', () => {
    const t = (total: number | null) => ({ timings: { total } });
    assert.equal(chainTotalMs({ ...t(1), redirects: [t(400), t(250)] }), 651);
    assert.equal(chainTotalMs({ ...t(12), redirects: [] }), 12);
    assert.equal(chainTotalMs({ ...t(null), redirects: [t(5)] }), 5, 'a final hop that failed before timing still counts the hops before it');
    assert.equal(chainTotalMs({ ...t(null), redirects: [] }), null);
  });
});

describe('view: progress', () => {
  it('says what is happening in plain words', () => {
    assert.equal(describeProgress({ phase: 'waiting', bytes: 0, total: null, elapsedMs: 10 }), 'waiting for first byte');
    assert.equal(describeProgress({ phase: 'downloading', bytes: 12_400_000, total: null, elapsedMs: 10 }), 'downloading 12.4 MB');
    assert.equal(describeProgress({ phase: 'downloading', bytes: 500, total: 1000, elapsedMs: 10 }), 'downloading 500 B of 1.0 kB (50%)');
    assert.equal(formatElapsed(1234), '1.2 s');
  });
});

describe('view: hex dump', () => {
  it('prints offset, two groups of eight and ASCII', () => {
    const d = hexDump(new Uint8Array([...new TextEncoder().encode('Hello, world!\n'), 0x00, 0xc3]));
    assert.equal(d.lines.length, 1);
    assert.equal(d.lines[0], '00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 c3  |Hello, world!...|');
    const two = hexDump(new Uint8Array(17));
    assert.equal(two.lines.length, 2);
    assert.match(two.lines[1], /^00000010  00 +\|\.\|$/);
    assert.equal(two.lines[1].indexOf('|'), two.lines[0].indexOf('|'), 'the ASCII column lines up');
  });
  it('is bounded', () => {
    const d = hexDump(new Uint8Array(1_000_000), 4096);
    assert.equal(d.lines.length, 256);
    assert.equal(d.shown, 4096);
    assert.equal(d.total, 1_000_000);
  });
});

describe('view: bytes', () => {
  it('cuts base64 at any byte count exactly as decoding and re-encoding would', () => {
    const buf = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff));
    const b64 = buf.toString('base64');
    for (let n = 0; n <= 201; n++) {
      const cut = sliceBase64(b64, n);
      assert.equal(cut, buf.subarray(0, n).toString('base64'), `n=${n}`);
      assert.equal(base64Bytes(cut), Math.min(n, 200));
    }
  });
  it('decodes base64 and latin1 without Buffer', () => {
    const bytes = base64ToBytes(Buffer.from([0, 13, 10, 255]).toString('base64'));
    assert.deepEqual([...bytes], [0, 13, 10, 255]);
    assert.equal(latin1(bytes), '\x00\r\n\xff');
  });
  it('never splits a surrogate pair', () => {
    assert.equal(sliceText('ab😀cd', 3), 'ab');
    assert.equal(sliceText('ab😀cd', 4), 'ab😀');
    assert.equal(sliceText('abc', 10), 'abc');
  });
  it('tells text from binary', () => {
    assert.equal(looksTextual(new TextEncoder().encode('plain text\r\n')), true);
    assert.equal(looksTextual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00])), false);
  });
});

describe('view: waterfall', () => {
  it('places each phase after the previous ones and skips phases that did not apply', () => {
    const w = waterfall({ dns: null, connect: 2, tls: 8, send: 1, firstByte: 20, download: 9, total: 41 });
    assert.deepEqual(
      w.bars.map((b) => [b.phase, b.start, b.duration]),
      [
        ['connect', 0, 2],
        ['tls', 2, 8],
        ['send', 10, 1],
        ['wait', 11, 20],
        ['download', 31, 9],
      ],
    );
    assert.equal(w.total, 41);
    const g = barGeometry(w.bars[3], w.total);
    assert.ok(Math.abs(g.left - (11 / 41) * 100) < 1e-9);
    assert.ok(g.left + g.width <= 100.0001);
  });
  it('shows the wait that never got an answer', () => {
    const w = waterfall({ dns: null, connect: 4, tls: null, send: 0.5, firstByte: null, download: null, total: 1500 });
    assert.deepEqual(
      w.bars.map((b) => [b.label, b.start, b.duration]),
      [
        ['TCP connect', 0, 4],
        ['Request sent', 4, 0.5],
        ['Waiting (no response)', 4.5, 1495.5],
      ],
    );
  });
  it('copes with no timings at all', () => {
    const w = waterfall({ dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null });
    assert.equal(w.bars.length, 0);
    assert.equal(w.total, 0);
  });
});

describe('view: raw exchange', () => {
  const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
  const body = '5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n';
  const bytes = new TextEncoder().encode(head + body);
  const chunks = [
    { offset: head.length, size: 5 },
    { offset: head.length + 10, size: 6 },
    { offset: head.length + 21, size: 0 },
  ];
  it('marks chunk-size lines and trailers', () => {
    const segs = rawSegments(bytes, head.length, chunks);
    assert.deepEqual(
      segs.map((s) => s.kind),
      ['head', 'chunk-size', 'data', 'chunk-size', 'data', 'chunk-size', 'trailer'],
    );
    assert.equal(segs.map((s) => s.text).join(''), head + body);
    assert.equal(segs[1].text, '5\r\n');
    assert.equal(segs[6].text, 'X-Sum: 1\r\n\r\n');
  });
  it('stops at the limit and says how much is left', () => {
    const segs = rawSegments(bytes, head.length, chunks, head.length + 4);
    assert.equal(segs[segs.length - 1].kind, 'cut');
    assert.match(segs[segs.length - 1].text, /more bytes not shown/);
  });
  it('shows CR and LF on demand and escapes other control bytes', () => {
    assert.equal(showLineEnds('a\r\nb'), 'a␍␊\nb');
    assert.equal(escapeControls('a\x00b\x1b'), 'a\\x00b\\x1b');
  });
});

describe('view: status line and wire body as received', () => {
  const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
  it('takes the final status line verbatim, after interim responses, spacing and case kept', () => {
    const head = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1  200   all good\r\nX-Line: HTTP/1.1 500 no\r\n\r\n';
    const bytes = enc(`${head}body HTTP/1.1 404 x`);
    assert.equal(receivedStatusLine(bytes, head.length), 'HTTP/1.1  200   all good');
  });
  it('accepts bare LF line ends, escapes control bytes, and says null when no status line arrived', () => {
    assert.equal(receivedStatusLine(enc('HTTP/1.0 200 O\x01K\n\n'), 16), 'HTTP/1.0 200 O\\x01K');
    assert.equal(receivedStatusLine(enc('garbage\r\n\r\n'), 11), null);
    assert.equal(receivedStatusLine(enc('HTTP/1.1 200 OK\r\nCont'), undefined), 'HTTP/1.1 200 OK', 'a head cut short');
  });
  it('gives the body bytes after the head, framing and coding kept', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const bytes = enc(`${head}3\r\nabc\r\n0\r\n\r\n`);
    assert.equal(Buffer.from(wireBodyBytes(bytes, head.length)).toString('latin1'), '3\r\nabc\r\n0\r\n\r\n');
    assert.equal(wireBodyBytes(bytes, undefined).length, 0, 'no head, no body');
  });
});

describe('view: errors', () => {
  it('explains socket errors with the phase and likely causes', () => {
    const e = explainError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1', phase: 'connect' });
    assert.match(e.title, /refused/);
    assert.match(e.phase, /TCP connection/);
    assert.ok(e.causes.length >= 2);
  });
  it('explains TLS verification failures in plain words', () => {
    assert.match(explainTlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT') ?? '', /self-signed/);
    assert.match(explainTlsFailure('CERT_HAS_EXPIRED') ?? '', /expired/);
    assert.equal(explainTlsFailure('nope'), null);
    const e = explainError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'x', phase: 'tls' });
    assert.match(e.title, /host name/);
  });
  it('covers parse errors and unknown codes', () => {
    assert.match(explainError({ code: 'HPE_INVALID_CONSTANT', message: 'x', phase: 'headers' }).title, /not valid HTTP/);
    assert.equal(explainError({ code: 'EWHATEVER', message: 'strange', phase: 'body' }).title, 'strange');
  });
  it('gives every engine error code its own plain title and likely causes', () => {
    const codes = [
      ...Object.values(WL),
      'WL_CLIENT_CERT',
      'WL_BODY_OUT',
      CANCELLED,
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'EADDRNOTAVAIL',
      'EAFNOSUPPORT',
      'HPE_HEADER_OVERFLOW',
      'HPE_INVALID_CHUNK_SIZE',
    ];
    for (const code of codes) {
      const e = explainError({ code, message: `engine message for ${code}`, phase: 'body' });
      assert.ok(e.causes.length > 0, `${code}: likely causes`);
      assert.notEqual(e.title, `engine message for ${code}`, `${code}: a title in plain words, not the raw message`);
      assert.match(e.phase, /while reading the response body/);
    }
  });
});

describe('view: masking', () => {
  it('masks every secret, longest first', () => {
    assert.equal(maskSecrets('token=abc123&x=abc', ['abc', 'abc123']), `token=${MASK}&x=${MASK}`);
    assert.equal(maskSecrets('nothing here', ['secret', '']), 'nothing here');
    assert.equal(maskSecrets('a', undefined), 'a');
  });
  it('masks by UTF-8 bytes in a byte string', () => {
    const raw = latin1(new TextEncoder().encode('Authorization: Bearer pässwörd\r\n'));
    const masked = maskSecretsLatin1(raw, ['pässwörd']);
    assert.equal(Buffer.from(masked, 'latin1').toString('utf8'), `Authorization: Bearer ${MASK}\r\n`);
  });
});
