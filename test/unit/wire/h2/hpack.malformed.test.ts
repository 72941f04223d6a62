// Every class of malformed or hostile HPACK input ends in an HpackError (H2_COMPRESSION_ERROR) with the reason
// and the offset of the representation at fault; nothing throws anything else, loops or grows without bound.
import * as assert from 'node:assert/strict';
import { HpackDecoder, HpackDecoderOptions, HpackEncoder, HpackError } from '../../../../src/wire/h2/hpack';
import { hex, pairs } from './hpackHelpers';

function failure(block: Buffer | string, opts?: HpackDecoderOptions, dec = new HpackDecoder(opts)): HpackError {
  try {
    dec.decode(typeof block === 'string' ? hex(block) : block);
  } catch (err) {
    assert.ok(err instanceof HpackError, `not an HpackError: ${String(err)}`);
    assert.equal(err.code, 'H2_COMPRESSION_ERROR');
    return err;
  }
  assert.fail('decoded without error');
}

/** A block that adds one literal-incremental entry with a literal name and plain value. */
function addEntry(name: string, value: string): Buffer {
  const enc = new HpackEncoder({ huffman: 'never', indexing: 'always' });
  return enc.encode([{ name, value }]).block;
}

describe('HPACK: malformed input', () => {
  describe('integers', () => {
    it('truncated: the block ends inside an integer', () => {
      for (const block of ['ff', 'ff 80', '3f', '7f ff ff', '82 ff']) {
        const err = failure(block);
        assert.equal(err.reason, 'truncated', block);
      }
      assert.equal(failure('82 ff').offset, 1);
    });

    it('overflow: an integer beyond 2^32 - 1', () => {
      assert.equal(failure('ff ff ff ff ff 0f').reason, 'integer-overflow');
      assert.equal(failure('41 7f ff ff ff ff 0f').reason, 'integer-overflow'); // string length
      assert.equal(failure('3f ff ff ff ff 0f').reason, 'integer-overflow'); // size update
    });

    it('overflow: endless zero-valued continuation bytes are cut short', () => {
      const block = Buffer.concat([hex('ff'), Buffer.alloc(1000, 0x80), hex('00')]);
      assert.equal(failure(block).reason, 'integer-overflow');
    });
  });

  describe('indices', () => {
    it('index 0', () => {
      const err = failure('82 80');
      assert.equal(err.reason, 'index-zero');
      assert.equal(err.offset, 1);
    });

    it('index beyond the static table while the dynamic table is empty', () => {
      assert.equal(failure('be').reason, 'index-out-of-range');
      assert.equal(failure('ff 80 01').reason, 'index-out-of-range');
      // A literal whose name index is out of range.
      assert.equal(failure('7e 01 61').reason, 'index-out-of-range');
      assert.equal(failure('0f 2f 01 61').reason, 'index-out-of-range');
      // The last static entry is fine.
      assert.deepEqual(pairs(new HpackDecoder().decode(hex('bd'))), [['www-authenticate', '']]);
    });

    it('index one past the dynamic table', () => {
      const dec = new HpackDecoder();
      dec.decode(addEntry('x-a', '1'));
      assert.deepEqual(pairs(dec.decode(hex('be'))), [['x-a', '1']]);
      const err = failure('82 bf', undefined, dec);
      assert.equal(err.reason, 'index-out-of-range');
      assert.equal(err.offset, 1);
      assert.match(err.message, /62\.\.62/);
    });
  });

  describe('strings', () => {
    it('truncated: the block ends before or inside a name or value', () => {
      for (const block of ['40', '40 0a 63 75', '41', '41 05 61 62', '41 85 ff', '00 01 61']) {
        assert.equal(failure(block).reason, 'truncated', block);
      }
    });

    it('bad Huffman padding in a value', () => {
      const err = failure('82 41 81 00');
      assert.equal(err.reason, 'huffman-padding');
      assert.equal(err.offset, 2, 'offset of the string');
    });

    it('EOS in a Huffman name', () => {
      assert.equal(failure('40 84 ff ff ff ff 01 61').reason, 'huffman-eos');
    });

    it('a string beyond the length limit, plain or Huffman', () => {
      assert.equal(failure('41 05 61 62 63 64 65', { maxStringLength: 4 }).reason, 'string-too-long');
      // 'aaaaa' in Huffman: 25 bits, 4 bytes.
      const enc = new HpackEncoder({ huffman: 'always' });
      const block = enc.encode([{ name: ':authority', value: 'aaaaa' }]).block;
      assert.equal(failure(block, { maxStringLength: 4 }).reason, 'string-too-long');
      assert.deepEqual(pairs(new HpackDecoder({ maxStringLength: 5 }).decode(block)), [[':authority', 'aaaaa']]);
    });

    it('a string length far beyond the block is refused before anything is allocated', () => {
      assert.equal(failure('41 7f ff ff ff 0f 61').reason, 'truncated');
    });
  });

  describe('dynamic table size updates', () => {
    it('above the SETTINGS_HEADER_TABLE_SIZE the decoder was given', () => {
      // 4097 = 31 + 4066: 3f e2 1f
      const err = failure('3f e2 1f');
      assert.equal(err.reason, 'size-update-over-limit');
      assert.equal(new HpackDecoder().decode(hex('3f e1 1f'))[0].newTableSize, 4096, '4096 itself is fine');
      assert.equal(failure('3f 81 1f', { maxTableSize: 1024 }).reason, 'size-update-over-limit'); // 31+3969
      // Two updates in a row, the second too large.
      assert.equal(failure('20 3f e2 1f').reason, 'size-update-over-limit');
    });

    it('not at the start of the block', () => {
      const err = failure('82 20');
      assert.equal(err.reason, 'size-update-misplaced');
      assert.equal(err.offset, 1);
      assert.equal(failure('20 82 3f e1 1f').reason, 'size-update-misplaced');
    });

    it('missing after our setting was lowered', () => {
      const dec = new HpackDecoder();
      dec.decode(addEntry('x-a', '1'));
      dec.setMaxTableSize(0);
      assert.equal(failure('82', undefined, dec).reason, 'size-update-missing');
      const ok = new HpackDecoder();
      ok.decode(addEntry('x-a', '1'));
      ok.setMaxTableSize(0);
      const fields = ok.decode(hex('20 82'));
      assert.equal(fields[0].representation, 'size-update');
      assert.equal(fields[0].newTableSize, 0);
      assert.deepEqual(ok.tableEntries, []);
    });

    it('lowered and raised again before the next block: the update must reach the lowest value first', () => {
      const dec = new HpackDecoder();
      dec.decode(addEntry('x-a', '1'));
      dec.setMaxTableSize(0);
      dec.setMaxTableSize(4096);
      const err = failure('3f e1 1f 82', undefined, dec);
      assert.equal(err.reason, 'size-update-missing');
      assert.match(err.message, /at most 0/);
      const ok = new HpackDecoder();
      ok.decode(addEntry('x-a', '1'));
      ok.setMaxTableSize(0);
      ok.setMaxTableSize(4096);
      assert.deepEqual(pairs(ok.decode(hex('20 3f e1 1f 82'))), [[':method', 'GET']]);
      assert.deepEqual(ok.tableEntries, []);
      // Raising alone owes nothing.
      const up = new HpackDecoder({ maxTableSize: 100 });
      up.setMaxTableSize(200);
      assert.deepEqual(pairs(up.decode(hex('82'))), [[':method', 'GET']]);
    });

    it('at the start, one or two, shrink and evict', () => {
      const dec = new HpackDecoder();
      dec.decode(addEntry('x-a', '1'));
      dec.decode(addEntry('x-b', '2'));
      assert.equal(dec.tableSize, 72);
      // Shrink to 40 (keeps the newest entry, 36 octets), then set 4096 again: both entries listed.
      const fields = dec.decode(hex('3f 09 3f e1 1f be'));
      assert.deepEqual(
        fields.map((f) => [f.representation, f.newTableSize]),
        [
          ['size-update', 40],
          ['size-update', 4096],
          ['indexed', undefined],
        ],
      );
      assert.deepEqual(pairs(fields), [['x-b', '2']]);
      assert.deepEqual(dec.tableEntries, [['x-b', '2']]);
      assert.equal(dec.tableMaxSize, 4096);
    });

    it('a flood of size updates at the start of a block', () => {
      assert.equal(new HpackDecoder().decode(Buffer.alloc(16, 0x20)).length, 16);
      const err = failure(Buffer.alloc(100_000, 0x20));
      assert.equal(err.reason, 'size-update-flood');
      assert.equal(err.offset, 16);
    });

    it('raising our setting lets the peer grow its table', () => {
      const dec = new HpackDecoder({ maxTableSize: 100 });
      assert.equal(failure('3f e1 1f', { maxTableSize: 100 }).reason, 'size-update-over-limit');
      dec.setMaxTableSize(4096);
      dec.decode(hex('3f e1 1f'));
      assert.equal(dec.tableMaxSize, 4096);
    });
  });

  describe('header list size and bombs', () => {
    it('a header list beyond the limit fails, recoverably, and the table stays in step', () => {
      const enc = new HpackEncoder();
      const dec = new HpackDecoder({ maxHeaderListSize: 100 });
      const big = enc.encode([
        { name: 'x-one', value: 'aaaaaaaaaaaaaaaaaaaa' },
        { name: 'x-two', value: 'bbbbbbbbbbbbbbbbbbbb' },
        { name: 'x-three', value: 'cccccccccccccccccccc' },
      ]);
      const err = failure(big.block, undefined, dec);
      assert.equal(err.reason, 'header-list-too-large');
      assert.equal(err.recoverable, true);
      assert.equal(err.offset, big.fields[0].encodedLength, 'offset of the field that crossed the limit');
      // All three entries went into the table although the list was dropped: the next block can use them.
      assert.deepEqual(dec.tableEntries, enc.tableEntries);
      const next = enc.encode([{ name: 'x-three', value: 'cccccccccccccccccccc' }]);
      assert.equal(next.fields[0].representation, 'indexed');
      assert.deepEqual(pairs(dec.decode(next.block)), [['x-three', 'cccccccccccccccccccc']]);
    });

    it('a bomb of references to one large entry stops at the limit', () => {
      // One 4000-octet entry, then a million one-byte references to it: 4 GB of header list from 1 MB.
      const dec = new HpackDecoder();
      dec.decode(addEntry('x-bomb', 'x'.repeat(4000)));
      const block = Buffer.alloc(1_000_000, 0xbe);
      const before = process.memoryUsage().heapUsed;
      const err = failure(block, undefined, dec);
      const grown = process.memoryUsage().heapUsed - before;
      assert.equal(err.reason, 'header-list-too-large');
      // 64 KiB / 4038 per field: the 17th reference crosses the limit.
      assert.equal(err.offset, 16);
      assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${grown} bytes`);
    });

    it('a bomb of long literals is bounded by the string limit', () => {
      const dec = new HpackDecoder({ maxHeaderListSize: 1024, maxStringLength: 1024 });
      const value = 'v'.repeat(2000);
      const enc = new HpackEncoder({ huffman: 'never', indexing: 'always' });
      assert.equal(failure(enc.encode([{ name: 'x', value }]).block, undefined, dec).reason, 'string-too-long');
    });
  });

  it('after a fatal error the decoder refuses further blocks', () => {
    const dec = new HpackDecoder();
    failure('80', undefined, dec);
    const err = failure('82', undefined, dec);
    assert.equal(err.reason, 'decoder-failed');
  });

  it('a block of a million minimal fields stops at the list limit (32 octets each at least)', () => {
    // 0x00 0x00 0x00: a literal without indexing, empty name, empty value; one byte per field for indexed ones.
    const literals = Buffer.alloc(300_000, 0);
    const err = failure(literals, { maxHeaderListSize: 64 * 1024 });
    assert.equal(err.reason, 'header-list-too-large');
    assert.equal(err.offset, 3 * 2048, 'the 2049th empty field crosses 64 KiB');
    assert.equal(failure(Buffer.alloc(1_000_000, 0x82)).reason, 'header-list-too-large');
  });

  it('random garbage never throws anything but HpackError', () => {
    let s = 12345;
    const next = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s >>> 24;
    };
    for (let n = 0; n < 2000; n++) {
      const block = Buffer.from(Array.from({ length: 1 + (next() % 40) }, next));
      const dec = new HpackDecoder({ maxHeaderListSize: 4096 });
      try {
        dec.decode(block);
      } catch (err) {
        assert.ok(err instanceof HpackError, `block ${block.toString('hex')}: ${String(err)}`);
      }
    }
  });

  it('rejects invalid options', () => {
    assert.throws(() => new HpackDecoder({ maxTableSize: -1 }), RangeError);
    assert.throws(() => new HpackDecoder({ maxHeaderListSize: 1.5 }), RangeError);
    assert.throws(() => new HpackDecoder().setMaxTableSize(2 ** 33), RangeError);
  });
});
