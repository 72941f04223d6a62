// The encoder's choices (recorded per field), its size updates, and round trips through our decoder.
import * as assert from 'node:assert/strict';
import { HpackDecoder, HpackEncoder, HpackField, HpackInputField, hpackBlockStats, huffmanLength } from '../../../../src/wire/h2/hpack';
import { pairs } from './hpackHelpers';

const reps = (fields: HpackField[]): string[] => fields.map((f) => f.representation);

function roundTrip(enc: HpackEncoder, dec: HpackDecoder, input: HpackInputField[]): HpackField[] {
  const { block, fields } = enc.encode(input);
  const decoded = dec.decode(block);
  assert.deepEqual(
    pairs(decoded),
    input.map((f) => [f.name, f.value]),
  );
  assert.deepEqual(reps(decoded), reps(fields), 'decoder sees the representations the encoder recorded');
  assert.deepEqual(
    decoded.map((f) => [f.index, f.table, f.huffmanName, f.huffmanValue, f.encodedLength, f.size, f.newTableSize]),
    fields.map((f) => [f.index, f.table, f.huffmanName, f.huffmanValue, f.encodedLength, f.size, f.newTableSize]),
    'and the same indices, Huffman flags and lengths',
  );
  assert.deepEqual(dec.tableEntries, enc.tableEntries);
  assert.equal(dec.tableSize, enc.tableSize);
  return fields;
}

describe('HPACK: encoder', () => {
  it('indexes a field found in the static table, and one it added itself the second time', () => {
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    const first = roundTrip(enc, dec, [
      { name: ':method', value: 'GET' },
      { name: ':authority', value: 'example.com' },
      { name: 'accept', value: 'application/json' },
    ]);
    assert.deepEqual(
      first.map((f) => [f.representation, f.index, f.table]),
      [
        ['indexed', 2, 'static'],
        ['literal-incremental', 1, 'static'],
        ['literal-incremental', 19, 'static'],
      ],
    );
    const second = roundTrip(enc, dec, [
      { name: ':method', value: 'GET' },
      { name: ':authority', value: 'example.com' },
      { name: 'accept', value: 'application/json' },
    ]);
    assert.deepEqual(
      second.map((f) => [f.representation, f.index, f.table, f.encodedLength]),
      [
        ['indexed', 2, 'static', 1],
        ['indexed', 63, 'dynamic', 1],
        ['indexed', 62, 'dynamic', 1],
      ],
    );
  });

  it('takes a name from the dynamic table when the static one lacks it', () => {
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    roundTrip(enc, dec, [{ name: 'x-trace', value: 'one' }]);
    const [f] = roundTrip(enc, dec, [{ name: 'x-trace', value: 'two' }]);
    assert.deepEqual([f.representation, f.index, f.table], ['literal-incremental', 62, 'dynamic']);
  });

  it('never indexes credentials and cookies, short ones too, nor fields marked sensitive', () => {
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    const input: HpackInputField[] = [
      { name: 'authorization', value: 'Bearer abc.def' },
      { name: 'proxy-authorization', value: 'Basic Zm9vOmJhcg==' },
      { name: 'cookie', value: 'a=1' },
      { name: 'set-cookie', value: 'sid=xyz; Secure' },
      { name: 'x-api-key', value: 'k-123', sensitive: true },
    ];
    for (let round = 0; round < 2; round++) {
      const fields = roundTrip(enc, dec, input);
      assert.deepEqual(reps(fields), Array(5).fill('literal-never-indexed'), `round ${round}`);
      assert.deepEqual(
        fields.map((f) => f.index),
        [23, 49, 32, 55, null],
      );
    }
    assert.deepEqual(enc.tableEntries, []);
    // The name can still come from the dynamic table.
    roundTrip(enc, dec, [{ name: 'x-api-key', value: 'public' }]);
    const [f] = roundTrip(enc, dec, [{ name: 'x-api-key', value: 'k-123', sensitive: true }]);
    assert.deepEqual([f.representation, f.index, f.table], ['literal-never-indexed', 62, 'dynamic']);
    // Even an exact match in the table is not used for a sensitive field.
    const [g] = roundTrip(enc, dec, [{ name: 'x-api-key', value: 'public', sensitive: true }]);
    assert.equal(g.representation, 'literal-never-indexed');
  });

  it('sends without indexing what would only churn the table', () => {
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    const fields = roundTrip(enc, dec, [
      { name: ':path', value: '/search?q=hpack' },
      { name: 'content-length', value: '1234' },
      { name: 'date', value: 'Tue, 01 Dec 2026 12:00:00 GMT' },
      { name: 'if-modified-since', value: 'Tue, 01 Dec 2026 12:00:00 GMT' },
      { name: 'x-big', value: 'z'.repeat(3000) },
      { name: ':path', value: '/plain' },
    ]);
    assert.deepEqual(reps(fields), [
      'literal-without-indexing',
      'literal-without-indexing',
      'literal-without-indexing',
      'literal-without-indexing',
      'literal-without-indexing',
      'literal-incremental',
    ]);
    assert.deepEqual(enc.tableEntries, [[':path', '/plain']]);
  });

  it("Huffman: 'auto' when shorter, 'always', 'never'", () => {
    const input = [
      { name: 'x-low', value: 'aaaaaaaa' }, // 5 bits each: shorter
      { name: 'x-odd', value: '{}<>{}<>' }, // 13-15 bits each: longer
    ];
    const auto = new HpackEncoder().encode(input).fields;
    assert.deepEqual(
      auto.map((f) => [f.huffmanName, f.huffmanValue]),
      [
        [true, true],
        [true, false],
      ],
    );
    for (const f of auto) {
      assert.equal(f.huffmanValue, huffmanLength(Buffer.from(f.value)) < f.value.length);
    }
    assert.ok(new HpackEncoder({ huffman: 'always' }).encode(input).fields.every((f) => f.huffmanName && f.huffmanValue));
    assert.ok(new HpackEncoder({ huffman: 'never' }).encode(input).fields.every((f) => !f.huffmanName && !f.huffmanValue));
    for (const huffman of ['auto', 'always', 'never'] as const) {
      roundTrip(new HpackEncoder({ huffman }), new HpackDecoder(), input);
    }
  });

  it('records the encoded length of each representation and the field size', () => {
    const { block, fields } = new HpackEncoder().encode([
      { name: ':method', value: 'POST' },
      { name: 'content-type', value: 'application/json' },
      { name: 'x-long-'.padEnd(200, 'n'), value: 'v'.repeat(300) },
    ]);
    assert.equal(
      fields.reduce((n, f) => n + f.encodedLength, 0),
      block.length,
    );
    assert.deepEqual(
      fields.map((f) => f.size),
      [7 + 4 + 32, 12 + 16 + 32, 200 + 300 + 32],
    );
    assert.equal(fields[0].encodedLength, 1);
  });

  describe('table size updates', () => {
    it('none while the size does not change', () => {
      const enc = new HpackEncoder();
      enc.setMaxTableSize(4096);
      assert.equal(enc.encode([{ name: ':method', value: 'GET' }]).block.toString('hex'), '82');
    });

    it('a smaller setting: the next block opens with the update and the table is evicted', () => {
      const enc = new HpackEncoder();
      const dec = new HpackDecoder();
      roundTrip(enc, dec, [
        { name: 'x-a', value: '1' },
        { name: 'x-b', value: '2' },
      ]);
      enc.setMaxTableSize(40);
      dec.setMaxTableSize(40);
      const fields = roundTrip(enc, dec, [{ name: 'x-b', value: '2' }]);
      assert.deepEqual(
        fields.map((f) => [f.representation, f.newTableSize, f.index]),
        [
          ['size-update', 40, null],
          ['indexed', undefined, 62],
        ],
      );
      assert.deepEqual(enc.tableEntries, [['x-b', '2']]);
    });

    it('down to 0 and back up within one settings round: both updates, smallest first', () => {
      const enc = new HpackEncoder();
      const dec = new HpackDecoder();
      roundTrip(enc, dec, [{ name: 'x-a', value: '1' }]);
      enc.setMaxTableSize(0);
      enc.setMaxTableSize(4096);
      const { block, fields } = enc.encode([{ name: 'x-a', value: '1' }]);
      assert.equal(block.subarray(0, 4).toString('hex'), '203fe11f');
      assert.deepEqual(
        fields.map((f) => [f.representation, f.newTableSize]),
        [
          ['size-update', 0],
          ['size-update', 4096],
          ['literal-incremental', undefined],
        ],
      );
      assert.deepEqual(pairs(dec.decode(block)), [['x-a', '1']]);
    });

    it('a larger setting is used up to the cap, then the table grows', () => {
      const enc = new HpackEncoder({ tableSizeCap: 8192 });
      const dec = new HpackDecoder({ maxTableSize: 65536 });
      enc.setMaxTableSize(65536);
      const fields = roundTrip(enc, dec, [{ name: 'x-big', value: 'y'.repeat(3000) }]);
      assert.deepEqual(
        fields.map((f) => [f.representation, f.newTableSize]),
        [
          ['size-update', 8192],
          ['literal-incremental', undefined],
        ],
      );
    });

    it('a table of size 0 indexes nothing', () => {
      const enc = new HpackEncoder({ maxTableSize: 0 });
      const dec = new HpackDecoder({ maxTableSize: 0 });
      const { block } = enc.encode([{ name: 'x-a', value: '1' }]);
      assert.equal(block[0], 0x20, 'opens with a size update to 0');
      const fields = dec.decode(block);
      assert.deepEqual(reps(fields), ['size-update', 'literal-without-indexing']);
      assert.deepEqual(dec.tableEntries, []);
    });
  });

  it('writes strings as UTF-8 by default; the decoder gives their octets one char each', () => {
    const enc = new HpackEncoder();
    const dec = new HpackDecoder();
    const { block } = enc.encode([{ name: 'x-name', value: 'café' }]);
    const [f] = dec.decode(block);
    assert.equal(f.value, Buffer.from('café', 'utf8').toString('latin1'));
    assert.equal(Buffer.from(f.value, 'latin1').toString('utf8'), 'café');
    assert.equal(f.size, 6 + 5 + 32);
    const latin = new HpackEncoder({ stringEncoding: 'latin1' }).encode([{ name: 'x-name', value: 'café' }]);
    assert.equal(new HpackDecoder().decode(latin.block)[0].value, 'café');
  });

  it('round-trips long random sequences with small, changing tables, both tables equal throughout', () => {
    let s = 99;
    const next = (n: number): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s >>> 8) % n;
    };
    const names = [':path', 'accept', 'x-a', 'x-b', 'x-c', 'cookie', 'user-agent', 'etag', 'x-long'];
    for (const size of [0, 64, 256, 4096]) {
      const enc = new HpackEncoder({ maxTableSize: size });
      const dec = new HpackDecoder({ maxTableSize: size });
      for (let block = 0; block < 200; block++) {
        if (next(10) === 0) {
          // Our setting changes and is acknowledged: the peer's encoder follows it.
          const n = [0, 32, 100, 256, 1000, 4096][next(6)];
          dec.setMaxTableSize(n);
          enc.setMaxTableSize(n);
        }
        const input: HpackInputField[] = Array.from({ length: 1 + next(8) }, () => {
          const name = names[next(names.length)];
          const value = name === 'x-long' ? 'L'.repeat(next(600)) : `v${next(5)}`;
          return { name, value, sensitive: next(20) === 0 };
        });
        roundTrip(enc, dec, input);
      }
    }
  });

  it('hpackBlockStats sums up a block', () => {
    const enc = new HpackEncoder();
    enc.encode([{ name: 'x-a', value: '1' }]);
    enc.setMaxTableSize(2048);
    const { block, fields } = enc.encode([
      { name: ':method', value: 'GET' },
      { name: 'x-a', value: '1' },
      { name: 'x-a', value: '2' },
      { name: 'cookie', value: 'k=v' },
      { name: 'content-length', value: '10' },
      { name: 'x-new', value: 'aaaa' },
    ]);
    assert.deepEqual(hpackBlockStats(fields), {
      fields: 6,
      encodedOctets: block.length,
      plainOctets: 10 + 4 + 4 + 9 + 16 + 9,
      listSize: 10 + 4 + 4 + 9 + 16 + 9 + 6 * 32,
      indexedStatic: 1,
      indexedDynamic: 1,
      literalNameIndexed: 3,
      literalIncremental: 2,
      literalWithoutIndexing: 1,
      literalNeverIndexed: 1,
      sizeUpdates: 1,
      huffmanStrings: fields.reduce((n, f) => n + Number(f.huffmanName) + Number(f.huffmanValue), 0),
    });
  });
});
