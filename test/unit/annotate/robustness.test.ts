// Hostile and random input: annotation never throws, never reports an internal check error, and stays linear on
// long values (a catastrophic regex would hang here and hit mocha's timeout).
import * as assert from 'node:assert/strict';
import { annotateExchange, annotateRequest, headerFields } from '../../../src/annotate';
import { parseSfDictionary, parseSfItem, parseSfList } from '../../../src/annotate/parse/structured';
import type { HeaderPair } from '../../../src/shared/exchange';
import { build } from './builder';
import { rng } from '../support/random';

const PIECES = [
  '"',
  ',',
  ';',
  '=',
  ' ',
  '\t',
  'a',
  'Z',
  '0',
  '9',
  '-',
  '.',
  '*',
  ':',
  '(',
  ')',
  '?',
  '@',
  '%',
  '\\',
  '/',
  'é',
  '\x01',
  'max-age',
  'W/',
  'bytes',
  'GMT',
  '<',
  '>',
];

function randomValue(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 40);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('annotate: robustness', () => {
  const names = headerFields().map((f) => f.name);

  it('survives 300 random exchanges with random values for known fields', () => {
    const next = rng(42);
    for (let i = 0; i < 300; i++) {
      const headers: HeaderPair[] = Array.from({ length: 1 + Math.floor(next() * 12) }, (): HeaderPair => [
        names[Math.floor(next() * names.length)],
        randomValue(next),
      ]);
      const req: HeaderPair[] = Array.from({ length: Math.floor(next() * 6) }, (): HeaderPair => [
        names[Math.floor(next() * names.length)],
        randomValue(next),
      ]);
      const status = Math.floor(next() * 700);
      const ex = build({
        status,
        headers,
        req,
        body: next() < 0.5 ? randomValue(next) : '',
        tls: next() < 0.5 ? {} : undefined,
        method: next() < 0.2 ? 'HEAD' : 'GET',
      });
      const notes = annotateExchange(ex);
      assert.deepEqual(
        notes.filter((n) => n.id === 'internal-check-error').map((n) => n.summary),
        [],
        JSON.stringify(headers),
      );
      annotateRequest({ method: 'POST', url: randomValue(next), headers: req, body: randomValue(next) });
    }
  });

  it('stays fast on very long and repetitive values in every field', () => {
    const longs = [
      ' '.repeat(50_000),
      '"'.repeat(50_000),
      'a='.repeat(25_000),
      ', '.repeat(25_000),
      '(a '.repeat(15_000),
      '1'.repeat(50_000),
      `h3=":443"${' ;'.repeat(20_000)}x`,
    ];
    for (const v of longs) {
      const ex = build({ headers: names.slice(0, 120).map((n): HeaderPair => [n, v]), req: names.slice(120).map((n): HeaderPair => [n, v]) });
      assert.doesNotThrow(() => annotateExchange(ex));
      assert.doesNotThrow(() => {
        parseSfList(v);
        parseSfDictionary(v);
        parseSfItem(v);
      });
    }
  });

  it('annotates without throwing an exchange with an unparsable URL, an empty method and no connection', () => {
    const ex = build({});
    ex.request.url = 'not a url';
    ex.request.method = '';
    ex.connection = null;
    assert.doesNotThrow(() => annotateExchange(ex));
  });
});
