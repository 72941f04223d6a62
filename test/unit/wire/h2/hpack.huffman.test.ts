// The Huffman code of RFC 7541 Appendix B and our coder/decoder of it.
import * as assert from 'node:assert/strict';
import { HpackError, HUFFMAN_CODE_TABLE, HUFFMAN_EOS, huffmanDecode, huffmanEncode, huffmanLength } from '../../../../src/wire/h2/hpack';
import { hex } from './hpackHelpers';

function encode(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(huffmanLength(bytes));
  const end = huffmanEncode(bytes, out, 0);
  assert.equal(end, out.length, 'huffmanLength is the length huffmanEncode writes');
  return out;
}

function decode(bytes: Uint8Array, max = 1 << 20): string {
  return huffmanDecode(bytes, 0, bytes.length, max, 0);
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HpackError, String(err));
    assert.equal(err.code, 'H2_COMPRESSION_ERROR');
    return err.reason;
  }
  assert.fail('no error');
}

// A deterministic byte generator, so failures reproduce.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

describe('HPACK: Huffman code (RFC 7541 Appendix B)', () => {
  it('has 257 symbols; the code is canonical and complete', () => {
    assert.equal(HUFFMAN_CODE_TABLE.length, 2 * 257);
    let kraft = 0;
    const symbols = [...Array(257).keys()];
    for (const s of symbols) {
      const code = HUFFMAN_CODE_TABLE[2 * s];
      const len = HUFFMAN_CODE_TABLE[2 * s + 1];
      assert.ok(len >= 5 && len <= 30, `length of ${s}`);
      assert.ok(code < 2 ** len, `code of ${s} fits its length`);
      kraft += 2 ** -len;
    }
    assert.equal(kraft, 1, 'Kraft sum: every bit string is covered, no code is a prefix of another');
    // Canonical: ordered by (length, symbol), each code is the previous plus one, shifted to its length.
    symbols.sort((a, b) => HUFFMAN_CODE_TABLE[2 * a + 1] - HUFFMAN_CODE_TABLE[2 * b + 1] || a - b);
    let code = 0;
    let len = HUFFMAN_CODE_TABLE[2 * symbols[0] + 1];
    for (const s of symbols) {
      code *= 2 ** (HUFFMAN_CODE_TABLE[2 * s + 1] - len);
      len = HUFFMAN_CODE_TABLE[2 * s + 1];
      assert.equal(HUFFMAN_CODE_TABLE[2 * s], code, `symbol ${s}`);
      code++;
    }
  });

  it('matches the RFC at spot entries', () => {
    const spot: Array<[number, number, number]> = [
      [0, 0x1ff8, 13],
      [10, 0x3ffffffc, 30],
      [32, 0x14, 6],
      [48, 0x0, 5],
      [97, 0x3, 5],
      [127, 0xffffffc, 28],
      [200, 0x3ffffe2, 26],
      [255, 0x3ffffee, 26],
      [HUFFMAN_EOS, 0x3fffffff, 30],
    ];
    for (const [s, code, len] of spot) assert.deepEqual([HUFFMAN_CODE_TABLE[2 * s], HUFFMAN_CODE_TABLE[2 * s + 1]], [code, len], `symbol ${s}`);
  });

  it('codes the RFC strings to the RFC bytes', () => {
    const cases: Array<[string, string]> = [
      ['www.example.com', 'f1e3 c2e5 f23a 6ba0 ab90 f4ff'],
      ['no-cache', 'a8eb 1064 9cbf'],
      ['custom-key', '25a8 49e9 5ba9 7d7f'],
      ['custom-value', '25a8 49e9 5bb8 e8b4 bf'],
      ['302', '6402'],
      ['307', '640e ff'],
      ['private', 'aec3 771a 4b'],
      ['Mon, 21 Oct 2013 20:13:21 GMT', 'd07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff'],
      ['https://www.example.com', '9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3'],
      ['gzip', '9bd9 ab'],
      [
        'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1',
        `94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587
         3160 65c0 03ed 4ee5 b106 3d50 07`,
      ],
    ];
    for (const [text, wire] of cases) {
      assert.equal(encode(Buffer.from(text, 'latin1')).toString('hex'), hex(wire).toString('hex'), text);
      assert.equal(decode(hex(wire)), text);
    }
  });

  it('round-trips every octet alone, all octets together, and random strings', () => {
    for (let b = 0; b < 256; b++) assert.equal(decode(encode(Buffer.from([b]))), String.fromCharCode(b), `octet ${b}`);
    const all = Buffer.from([...Array(256).keys()]);
    assert.deepEqual(Buffer.from(decode(encode(all)), 'latin1'), all);
    const next = prng(7);
    for (let n = 0; n < 300; n++) {
      const len = next() % 64;
      const bytes = Buffer.from(Array.from({ length: len }, () => (n % 2 ? next() : 0x20 + (next() % 95))));
      assert.deepEqual(Buffer.from(decode(encode(bytes)), 'latin1'), bytes);
    }
  });

  it('decodes the empty string', () => {
    assert.equal(decode(Buffer.alloc(0)), '');
    assert.equal(huffmanLength(Buffer.alloc(0)), 0);
  });

  it('accepts padding of 1 to 7 one bits', () => {
    // '0' is 00000 (5 bits), then 3 bits of padding; '00' is 10 bits, then 6; 'a' 00011 then 111.
    assert.equal(decode(hex('07')), '0');
    assert.equal(decode(hex('003f')), '00');
    assert.equal(decode(hex('1f')), 'a');
    // ' ' is 010100 (6 bits), two bits of padding.
    assert.equal(decode(hex('53')), ' ');
    // '&' is 8 bits: no padding at all.
    assert.equal(decode(hex('f8')), '&');
  });

  it('refuses padding that is not all ones', () => {
    assert.equal(
      reason(() => decode(hex('00'))),
      'huffman-padding',
    ); // '0' then 000
    assert.equal(
      reason(() => decode(hex('1e'))),
      'huffman-padding',
    ); // 'a' then 110
    // 11111110: a prefix of '!' (10 bits) that never completes and is not all ones.
    assert.equal(
      reason(() => decode(hex('fe'))),
      'huffman-padding',
    );
  });

  it('refuses padding longer than 7 bits', () => {
    assert.equal(
      reason(() => decode(hex('ff'))),
      'huffman-padding',
    ); // 8 one bits
    assert.equal(
      reason(() => decode(hex('1f ff'))),
      'huffman-padding',
    ); // 'a', 3 + 8 one bits
    assert.equal(
      reason(() => decode(hex('ff ff ff'))),
      'huffman-padding',
    ); // 24 one bits, short of EOS
  });

  it('refuses EOS inside a string', () => {
    assert.equal(
      reason(() => decode(hex('ff ff ff ff'))),
      'huffman-eos',
    ); // EOS (30 ones) + 2
    // 'a' (00011), EOS (30 ones), 5 bits of padding: 40 bits.
    const bits = `00011${'1'.repeat(30)}11111`;
    const bytes = Buffer.from(bits.match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? []);
    assert.equal(
      reason(() => decode(bytes)),
      'huffman-eos',
    );
  });

  it('stops at the length limit while decoding', () => {
    const text = Buffer.from('aaaaaaaaaa');
    assert.equal(decode(encode(text), 10), 'aaaaaaaaaa');
    assert.equal(
      reason(() => decode(encode(text), 9)),
      'string-too-long',
    );
  });
});
