// The response parser against the Markdown corpus: whole, byte by byte, and split in two at every position.
import * as assert from 'node:assert/strict';
import { loadCorpus, run } from './parserHarness';

describe('wire/parser corpus', () => {
  const cases = loadCorpus();
  it('holds at least 50 corpus cases (a lost fixture file fails here)', () => {
    assert.ok(cases.length >= 50, `only ${cases.length} cases`);
  });
  for (const c of cases) {
    describe(`${c.file}: ${c.name}`, () => {
      it('whole', () => {
        assert.deepEqual(run([c.input], c.options, c.eof), c.events);
      });
      it('byte by byte', () => {
        const bytes = [...c.input].map((b) => Buffer.from([b]));
        assert.deepEqual(run(bytes, c.options, c.eof), c.events);
      });
      it('split at every position', () => {
        for (let i = 1; i < c.input.length; i++) {
          const got = run([c.input.subarray(0, i), c.input.subarray(i)], c.options, c.eof);
          assert.deepEqual(got, c.events, `split at ${i}`);
        }
      });
    });
  }
});
