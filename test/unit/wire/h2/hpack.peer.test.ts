// Interoperability with an HPACK implementation nobody here wrote: hpack.js (npm, MIT). Our encoder's blocks
// decode in hpack.js (also while our table shrinks and grows), and hpack.js's blocks decode in ours, over the
// raw-data stories.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpackDecoder, HpackEncoder } from '../../../../src/wire/h2/hpack';
import { pairs } from './hpackHelpers';

// hpack.js ships no types; the little we use of it.
interface PeerHeader {
  name: string;
  value: string;
  neverIndex?: boolean;
}
interface PeerCompressor {
  write(headers: PeerHeader[]): void;
  read(): Buffer | null;
}
interface PeerDecompressor {
  write(block: Buffer): void;
  execute(): void;
  read(): PeerHeader | null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hpack = require('hpack.js') as {
  compressor: { create(o: { table: { maxSize: number } }): PeerCompressor };
  decompressor: { create(o: { table: { maxSize: number } }): PeerDecompressor };
};

const DIR = path.resolve(__dirname, '../../../../../test/fixtures/hpack/raw-data');

function lists(file: string): Array<Array<[string, string]>> {
  const json = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as {
    cases: Array<{ headers: Array<Record<string, string>> }>;
  };
  // hpack.js works on JS strings as UTF-8; keep to what both treat alike (the stories are ASCII but for a few).
  return json.cases.map((c) => c.headers.map((h) => Object.entries(h)[0]));
}

function peerRead(d: PeerDecompressor, block: Buffer): Array<[string, string]> {
  d.write(block);
  d.execute();
  const out: Array<[string, string]> = [];
  for (let h = d.read(); h !== null; h = d.read()) out.push([h.name, h.value]);
  return out;
}

describe('HPACK: interop with hpack.js', () => {
  const files = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('finds the raw-data stories', () => {
    assert.ok(files.length >= 5);
  });

  for (const file of files) {
    const stories = lists(file).filter((l) => l.every(([n, v]) => /^[\x20-\x7e]*$/.test(n + v)));

    it(`our encoder → hpack.js decoder: ${file}`, () => {
      const enc = new HpackEncoder();
      const peer = hpack.decompressor.create({ table: { maxSize: 4096 } });
      for (const [i, list] of stories.entries()) {
        const { block } = enc.encode(list.map(([name, value]) => ({ name, value })));
        assert.deepEqual(peerRead(peer, block), list, `list ${i}`);
      }
    });

    it(`hpack.js encoder → our decoder: ${file}`, () => {
      const peer = hpack.compressor.create({ table: { maxSize: 4096 } });
      const dec = new HpackDecoder();
      for (const [i, list] of stories.entries()) {
        peer.write(list.map(([name, value]) => ({ name, value })));
        const block = peer.read() ?? Buffer.alloc(0);
        assert.deepEqual(pairs(dec.decode(block)), list, `list ${i}`);
      }
    });

    it(`our encoder shrinking its table to 256 and growing it back → hpack.js decoder: ${file}`, () => {
      const enc = new HpackEncoder();
      const peer = hpack.decompressor.create({ table: { maxSize: 4096 } });
      for (const [i, list] of stories.entries()) {
        enc.setMaxTableSize(i % 3 === 1 ? 256 : 4096);
        const { block } = enc.encode(list.map(([name, value]) => ({ name, value })));
        assert.deepEqual(peerRead(peer, block), list, `list ${i}`);
      }
    });
  }
});
