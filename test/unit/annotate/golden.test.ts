// The notes of a broad set of exchanges and draft requests (goldenCorpus.ts) must stay exactly what the annotator
// produced before it was optimised: same ids, subjects, levels, summaries, details, references, grouping and order.
//
// The golden file test/fixtures/annotate/golden-notes.json was generated from `main` at f6e237a (before the
// annotator's plan/context rework of issue 13) with:
//   npx tsc -p tsconfig.test.json && WIRELENS_WRITE_GOLDEN=1 npx mocha --config .mocharc.unit.json out/test/unit/annotate/golden.test.js
// Regenerate it only when a check's output is meant to change, and say so in the commit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotateExchange, annotateRequest } from '../../../src/annotate';
import type { Note } from '../../../src/shared/exchange';
import { goldenDrafts, goldenExchanges } from './goldenCorpus';

const FILE = path.resolve(__dirname, '../../../../test/fixtures/annotate/golden-notes.json');

/** Notes stored once each (most repeat across exchanges); each case lists indices into `notes`. */
interface Golden {
  notes: Note[];
  exchanges: Record<string, number[]>;
  drafts: Record<string, number[]>;
}

function record(): Golden {
  const g: Golden = { notes: [], exchanges: {}, drafts: {} };
  const index = new Map<string, number>();
  const ref = (n: Note): number => {
    const key = JSON.stringify(n);
    let at = index.get(key);
    if (at === undefined) {
      at = g.notes.push(JSON.parse(key) as Note) - 1;
      index.set(key, at);
    }
    return at;
  };
  for (const { name, exchange } of goldenExchanges()) g.exchanges[name] = annotateExchange(exchange).map(ref);
  for (const { name, draft } of goldenDrafts()) g.drafts[name] = annotateRequest(draft).map(ref);
  return g;
}

describe('annotate: golden notes (identical to the unoptimised annotator)', () => {
  if (process.env.WIRELENS_WRITE_GOLDEN === '1') {
    it('writes the golden file', () => {
      fs.mkdirSync(path.dirname(FILE), { recursive: true });
      fs.writeFileSync(FILE, `${JSON.stringify(record())}\n`);
    });
    return;
  }
  const golden = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Golden;
  const notes = (ids: number[]): Note[] => ids.map((i) => golden.notes[i]);

  it('covers every case of the corpus, and only those', () => {
    const names = goldenExchanges().map((g) => g.name);
    assert.equal(new Set(names).size, names.length, 'duplicate exchange names');
    assert.deepEqual(Object.keys(golden.exchanges), names);
    assert.deepEqual(
      Object.keys(golden.drafts),
      goldenDrafts().map((g) => g.name),
    );
    assert.ok(names.length > 5000, `only ${names.length} exchanges`);
  });

  it('gives every exchange exactly its golden notes, as plain data, on a first and a repeated run', () => {
    for (const { name, exchange } of goldenExchanges()) {
      const want = notes(golden.exchanges[name]);
      const copy = structuredClone(exchange);
      const first = annotateExchange(exchange);
      // Plain data: a JSON round trip and a structured clone keep everything (no getters, no prototypes).
      assert.deepEqual(JSON.parse(JSON.stringify(first)), want, name);
      assert.deepEqual(structuredClone(first), want, name);
      // Again on a fresh copy of the same shape: what the annotator keeps per head shape changes nothing.
      assert.deepEqual(annotateExchange(copy), want, `${name} (again)`);
      // The record itself is not touched.
      assert.deepEqual(exchange, copy, `${name} changed its exchange`);
    }
  });

  it('gives every draft request exactly its golden notes', () => {
    for (const { name, draft } of goldenDrafts())
      assert.deepEqual(JSON.parse(JSON.stringify(annotateRequest(draft))), notes(golden.drafts[name]), name);
  });
});
