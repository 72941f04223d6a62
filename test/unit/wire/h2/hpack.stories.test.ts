// The public hpack-test-case stories (test/fixtures/hpack, see SOURCES.md there): every encoder's wire blocks
// decode, in sequence with one decoder per story, to the story's headers; the raw-data stories encoded by us
// (three ways) decode back to themselves, with both sides' tables equal after every block.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpackDecoder, HpackEncoder } from '../../../../src/wire/h2/hpack';
import { pairs } from './hpackHelpers';

const DIR = path.resolve(__dirname, '../../../../../test/fixtures/hpack');

interface StoryCase {
  seqno?: number;
  header_table_size?: number | null;
  wire?: string;
  headers: Array<Record<string, string>>;
}

interface Story {
  file: string;
  cases: StoryCase[];
}

function loadStories(): Story[] {
  const stories: Story[] = [];
  for (const dir of fs.readdirSync(DIR).sort()) {
    const full = path.join(DIR, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const name of fs.readdirSync(full).sort()) {
      if (!name.endsWith('.json')) continue;
      const json = JSON.parse(fs.readFileSync(path.join(full, name), 'utf8')) as { cases: StoryCase[] };
      stories.push({ file: `${dir}/${name}`, cases: json.cases });
    }
  }
  return stories;
}

const headerList = (c: StoryCase): Array<[string, string]> =>
  c.headers.map((h) => {
    const [entry] = Object.entries(h);
    return entry;
  });

// The stories hold text as JSON strings (UTF-8 in the file); the decoder gives one char per octet (latin1).
const asOctets = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

describe('HPACK: hpack-test-case stories', () => {
  const stories = loadStories();

  it('has the stories listed in SOURCES.md', () => {
    assert.ok(stories.length >= 20, `only ${stories.length} stories in ${DIR}`);
    assert.ok(stories.filter((s) => s.file.startsWith('raw-data/')).length >= 5);
    assert.ok(
      stories.some((s) => s.cases.some((c, i) => i > 0 && typeof c.header_table_size === 'number')),
      'a story changes the table size',
    );
  });

  for (const story of stories.filter((s) => !s.file.startsWith('raw-data/'))) {
    it(`decodes ${story.file} (${story.cases.length} blocks)`, () => {
      const dec = new HpackDecoder();
      story.cases.forEach((c, i) => {
        if (typeof c.header_table_size === 'number') dec.setMaxTableSize(c.header_table_size);
        assert.ok(c.wire !== undefined, `case ${i} has no wire`);
        const block = Buffer.from(c.wire, 'hex');
        const fields = dec.decode(block);
        const expected = headerList(c).map(([n, v]) => [asOctets(n), asOctets(v)]);
        assert.deepEqual(pairs(fields), expected, `case ${i}`);
        assert.equal(
          fields.reduce((n, f) => n + f.encodedLength, 0),
          block.length,
          `case ${i}: representation lengths cover the block`,
        );
        assert.ok(dec.tableSize <= dec.tableMaxSize);
      });
    });
  }

  for (const story of stories.filter((s) => s.file.startsWith('raw-data/'))) {
    for (const options of [
      { huffman: 'auto' as const },
      { huffman: 'never' as const, maxTableSize: 256 },
      { huffman: 'always' as const, indexing: 'always' as const },
    ]) {
      it(`re-encodes ${story.file} (${story.cases.length} lists) with ${JSON.stringify(options)} and decodes it back`, () => {
        const enc = new HpackEncoder(options);
        const dec = new HpackDecoder();
        let plain = 0;
        let packed = 0;
        for (const [i, c] of story.cases.entries()) {
          const list = headerList(c);
          const { block, fields } = enc.encode(list.map(([name, value]) => ({ name, value })));
          const decoded = dec.decode(block);
          assert.deepEqual(
            pairs(decoded),
            list.map(([n, v]) => [asOctets(n), asOctets(v)]),
            `list ${i}`,
          );
          assert.deepEqual(
            decoded.map((f) => f.representation),
            fields.map((f) => f.representation),
            `list ${i}: the decoder sees the representations the encoder recorded`,
          );
          assert.deepEqual(
            dec.tableEntries,
            enc.tableEntries.map(([n, v]) => [asOctets(n), asOctets(v)]),
          );
          plain += fields.reduce((n, f) => n + (f.representation === 'size-update' ? 0 : f.size - 32), 0);
          packed += block.length;
        }
        // Compression is the point: the stories' lists repeat a lot.
        assert.ok(packed < plain, `encoded ${packed} octets for ${plain} of names and values`);
      });
    }
  }
});
