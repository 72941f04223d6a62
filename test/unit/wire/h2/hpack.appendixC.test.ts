// RFC 7541 Appendix C, every example: the decoded lists, the dynamic table after each block, the representation
// of each field as the RFC explains it, and the exact bytes our encoder writes where its choices match the RFC's
// (with `indexing: 'always'` and no never-indexed names, its choices are the RFC's throughout).
import * as assert from 'node:assert/strict';
import {
  decodeInteger,
  encodeInteger,
  HpackDecoder,
  HpackEncoder,
  HpackInputField,
  HpackRepresentation,
  huffmanLength,
} from '../../../../src/wire/h2/hpack';
import { hex, list, pairs } from './hpackHelpers';

interface Step {
  title: string;
  headers: Array<[string, string]>;
  wire: string;
  /** Representation and index of each field as the RFC's walk-through gives them. */
  reps: Array<[HpackRepresentation, number | null]>;
  table: Array<[string, string]>;
  tableSize: number;
}

const REQ1 = list(`
:method: GET
:scheme: http
:path: /
:authority: www.example.com`);
const REQ2 = [...REQ1, ['cache-control', 'no-cache'] as [string, string]];
const REQ3 = list(`
:method: GET
:scheme: https
:path: /index.html
:authority: www.example.com
custom-key: custom-value`);
const REQ_TABLES: Array<Array<[string, string]>> = [
  [[':authority', 'www.example.com']],
  [
    ['cache-control', 'no-cache'],
    [':authority', 'www.example.com'],
  ],
  [
    ['custom-key', 'custom-value'],
    ['cache-control', 'no-cache'],
    [':authority', 'www.example.com'],
  ],
];
const REQ_REPS: Array<Array<[HpackRepresentation, number | null]>> = [
  [
    ['indexed', 2],
    ['indexed', 6],
    ['indexed', 4],
    ['literal-incremental', 1],
  ],
  [
    ['indexed', 2],
    ['indexed', 6],
    ['indexed', 4],
    ['indexed', 62],
    ['literal-incremental', 24],
  ],
  [
    ['indexed', 2],
    ['indexed', 7],
    ['indexed', 5],
    ['indexed', 63],
    ['literal-incremental', null],
  ],
];

const requests = (wires: string[]): Step[] =>
  [REQ1, REQ2, REQ3].map((headers, i) => ({
    title: `request ${i + 1}`,
    headers,
    wire: wires[i],
    reps: REQ_REPS[i],
    table: REQ_TABLES[i],
    tableSize: [57, 110, 164][i],
  }));

const C3 = requests([
  '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
  '8286 84be 5808 6e6f 2d63 6163 6865',
  '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
]);
const C4 = requests([
  '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
  '8286 84be 5886 a8eb 1064 9cbf',
  '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
]);

const RES1 = list(`
:status: 302
cache-control: private
date: Mon, 21 Oct 2013 20:13:21 GMT
location: https://www.example.com`);
const RES2 = list(`
:status: 307
cache-control: private
date: Mon, 21 Oct 2013 20:13:21 GMT
location: https://www.example.com`);
const RES3 = list(`
:status: 200
cache-control: private
date: Mon, 21 Oct 2013 20:13:22 GMT
location: https://www.example.com
content-encoding: gzip
set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1`);
const RES_TABLES: Array<Array<[string, string]>> = [
  [
    ['location', 'https://www.example.com'],
    ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
    ['cache-control', 'private'],
    [':status', '302'],
  ],
  [
    [':status', '307'],
    ['location', 'https://www.example.com'],
    ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
    ['cache-control', 'private'],
  ],
  [
    ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
    ['content-encoding', 'gzip'],
    ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
  ],
];
const RES_REPS: Array<Array<[HpackRepresentation, number | null]>> = [
  [
    ['literal-incremental', 8],
    ['literal-incremental', 24],
    ['literal-incremental', 33],
    ['literal-incremental', 46],
  ],
  [
    ['literal-incremental', 8],
    ['indexed', 65],
    ['indexed', 64],
    ['indexed', 63],
  ],
  [
    ['indexed', 8],
    ['indexed', 65],
    ['literal-incremental', 33],
    ['indexed', 64],
    ['literal-incremental', 26],
    ['literal-incremental', 55],
  ],
];
const responses = (wires: string[]): Step[] =>
  [RES1, RES2, RES3].map((headers, i) => ({
    title: `response ${i + 1}`,
    headers,
    wire: wires[i],
    reps: RES_REPS[i],
    table: RES_TABLES[i],
    tableSize: [222, 222, 215][i],
  }));

const C5 = responses([
  `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
   2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
  '4803 3330 37c1 c0bf',
  `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
   54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
   5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`,
]);
const C6 = responses([
  `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
   2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
  '4883 640e ffc1 c0bf',
  `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
   77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
   9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
]);

const toInput = (h: Array<[string, string]>): HpackInputField[] => h.map(([name, value]) => ({ name, value }));

function sequence(name: string, steps: Step[], tableSize: number, huffman: boolean): void {
  describe(name, () => {
    it('decodes each block to the RFC list, representations and table', () => {
      const dec = new HpackDecoder({ maxTableSize: tableSize });
      for (const step of steps) {
        const fields = dec.decode(hex(step.wire));
        assert.deepEqual(pairs(fields), step.headers, step.title);
        assert.deepEqual(
          fields.map((f) => [f.representation, f.index]),
          step.reps,
          `${step.title}: representations`,
        );
        for (const f of fields) {
          if (f.representation !== 'indexed') {
            assert.equal(f.huffmanValue, huffman, `${step.title}: ${f.name} Huffman`);
          }
          assert.equal(f.size, Buffer.byteLength(f.name) + Buffer.byteLength(f.value) + 32);
        }
        assert.equal(
          fields.reduce((n, f) => n + f.encodedLength, 0),
          hex(step.wire).length,
          `${step.title}: encoded lengths add up to the block`,
        );
        assert.deepEqual(dec.tableEntries, step.table, `${step.title}: dynamic table`);
        assert.equal(dec.tableSize, step.tableSize, `${step.title}: table size`);
      }
    });

    it('encodes each list to the RFC bytes with the RFC choices', () => {
      // The RFC's encoder starts at the agreed size without signalling it; ours announces a non-default size
      // once at the start of the first block (strict decoders want it), the rest is byte for byte the RFC's.
      const enc = new HpackEncoder({
        maxTableSize: tableSize,
        huffman: huffman ? 'always' : 'never',
        indexing: 'always',
        neverIndex: [],
      });
      steps.forEach((step, i) => {
        const { block, fields } = enc.encode(toInput(step.headers));
        let expected = hex(step.wire);
        if (i === 0 && tableSize !== 4096) {
          assert.equal(fields[0].representation, 'size-update');
          assert.equal(fields[0].newTableSize, tableSize);
          const update = Buffer.alloc(8);
          const end = encodeInteger(update, 0, tableSize, 5, 0x20);
          expected = Buffer.concat([update.subarray(0, end), expected]);
        }
        assert.equal(block.toString('hex'), expected.toString('hex'), step.title);
        assert.deepEqual(enc.tableEntries, step.table, `${step.title}: encoder table`);
        assert.equal(enc.tableSize, step.tableSize);
      });
    });

    it('encodes each list with the default choices and decodes it back', () => {
      const enc = new HpackEncoder({ maxTableSize: tableSize });
      const dec = new HpackDecoder({ maxTableSize: tableSize });
      for (const step of steps) {
        const { block, fields } = enc.encode(toInput(step.headers));
        assert.deepEqual(pairs(dec.decode(block)), step.headers, step.title);
        assert.deepEqual(dec.tableEntries, enc.tableEntries, `${step.title}: both tables agree`);
        const sum = fields.reduce((n, f) => n + f.encodedLength, 0);
        assert.equal(sum, block.length);
      }
    });
  });
}

describe('HPACK: RFC 7541 Appendix C', () => {
  describe('C.1 integers', () => {
    const cases: Array<[number, number, string]> = [
      [10, 5, '0a'],
      [1337, 5, '1f9a0a'],
      [42, 8, '2a'],
    ];
    for (const [value, prefix, wire] of cases) {
      it(`${value} with a ${prefix}-bit prefix is ${wire}`, () => {
        const out = Buffer.alloc(8);
        const end = encodeInteger(out, 0, value, prefix, 0);
        assert.equal(out.subarray(0, end).toString('hex'), wire);
        const r = decodeInteger(hex(wire), 0, hex(wire).length, prefix, 2 ** 32, { value: 0, next: 0 });
        assert.deepEqual(r, { value, next: hex(wire).length });
      });
    }
  });

  describe('C.2 header field representations', () => {
    it('C.2.1 literal with indexing', () => {
      const wire = '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572';
      const dec = new HpackDecoder();
      const fields = dec.decode(hex(wire));
      assert.deepEqual(pairs(fields), [['custom-key', 'custom-header']]);
      assert.equal(fields[0].representation, 'literal-incremental');
      assert.equal(fields[0].index, null);
      assert.deepEqual(dec.tableEntries, [['custom-key', 'custom-header']]);
      assert.equal(dec.tableSize, 55);
      const enc = new HpackEncoder({ huffman: 'never' });
      assert.equal(enc.encode([{ name: 'custom-key', value: 'custom-header' }]).block.toString('hex'), hex(wire).toString('hex'));
    });

    it('C.2.2 literal without indexing', () => {
      const wire = '040c 2f73 616d 706c 652f 7061 7468';
      const dec = new HpackDecoder();
      const fields = dec.decode(hex(wire));
      assert.deepEqual(pairs(fields), [[':path', '/sample/path']]);
      assert.equal(fields[0].representation, 'literal-without-indexing');
      assert.equal(fields[0].index, 4);
      assert.equal(fields[0].table, 'static');
      assert.deepEqual(dec.tableEntries, []);
      assert.equal(dec.tableSize, 0);
      // Our encoder indexes a plain path (it may repeat) but not one with a query (it rarely does).
      const enc = new HpackEncoder({ huffman: 'never' });
      const q = enc.encode([{ name: ':path', value: '/sample/path?x=1' }]);
      assert.equal(q.fields[0].representation, 'literal-without-indexing');
      assert.equal(q.block.toString('hex'), `0410${Buffer.from('/sample/path?x=1').toString('hex')}`);
    });

    it('C.2.3 literal never indexed', () => {
      const wire = '1008 7061 7373 776f 7264 0673 6563 7265 74';
      const dec = new HpackDecoder();
      const fields = dec.decode(hex(wire));
      assert.deepEqual(pairs(fields), [['password', 'secret']]);
      assert.equal(fields[0].representation, 'literal-never-indexed');
      assert.deepEqual(dec.tableEntries, []);
      const enc = new HpackEncoder({ huffman: 'never' });
      const r = enc.encode([{ name: 'password', value: 'secret', sensitive: true }]);
      assert.equal(r.block.toString('hex'), hex(wire).toString('hex'));
      assert.equal(r.fields[0].representation, 'literal-never-indexed');
      assert.deepEqual(enc.tableEntries, []);
    });

    it('C.2.4 indexed', () => {
      const dec = new HpackDecoder();
      const fields = dec.decode(hex('82'));
      assert.deepEqual(pairs(fields), [[':method', 'GET']]);
      assert.equal(fields[0].representation, 'indexed');
      assert.equal(fields[0].table, 'static');
      assert.deepEqual(dec.tableEntries, []);
      assert.equal(new HpackEncoder().encode([{ name: ':method', value: 'GET' }]).block.toString('hex'), '82');
    });
  });

  sequence('C.3 requests without Huffman', C3, 4096, false);
  sequence('C.4 requests with Huffman', C4, 4096, true);
  sequence('C.5 responses without Huffman (table 256)', C5, 256, false);
  sequence('C.6 responses with Huffman (table 256)', C6, 256, true);

  it('C.3 and C.4: the default encoder writes the RFC bytes (its choices match there)', () => {
    for (const [steps, huffman] of [
      [C3, 'never'],
      [C4, 'auto'],
    ] as const) {
      const enc = new HpackEncoder({ huffman });
      for (const step of steps) {
        assert.equal(enc.encode(toInput(step.headers)).block.toString('hex'), hex(step.wire).toString('hex'), step.title);
      }
    }
  });

  it("C.6: Huffman 'auto' takes Huffman where it is shorter (the RFC also takes it for '307', at equal length)", () => {
    const enc = new HpackEncoder({ maxTableSize: 256, indexing: 'always', neverIndex: [] });
    const chosen: Array<[string, boolean]> = [];
    for (const step of C6) {
      for (const f of enc.encode(toInput(step.headers)).fields) {
        if (f.representation === 'literal-incremental') {
          const plain = Buffer.from(f.value);
          assert.equal(f.huffmanValue, huffmanLength(plain) < plain.length, f.value);
          chosen.push([f.value, f.huffmanValue]);
        }
      }
    }
    assert.deepEqual(
      chosen.filter(([, h]) => !h).map(([v]) => v),
      ['307'],
    );
  });
});
