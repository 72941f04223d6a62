// The indexed field lines every check reads: grouping by name (any case) and by distinct (name as written, value)
// pair, which the per-line checks judge once each.
import * as assert from 'node:assert/strict';
import { Fields } from '../../../src/annotate/checks/context';
import { annotateExchange } from '../../../src/annotate';
import { build } from './builder';

describe('annotate/Fields: field lines grouped by name and by distinct pair', () => {
  it('groups names case-insensitively and keeps each distinct written pair once, in order', () => {
    const f = new Fields([
      [':status', '200'],
      ['Content-Type', 'text/plain'],
      ['a', ''],
      ['content-type', 'text/plain'],
      ['a', ''],
      ['Content-Type', 'text/html'],
      ['a', 'x'],
      ['Content-Type', 'text/plain'],
      ['A', ''],
    ]);
    assert.equal(f.lines.length, 8, 'the pseudo-header is not a field line');
    assert.deepEqual(
      f.all('CONTENT-TYPE').map((l) => l.index),
      [1, 3, 5, 7],
    );
    assert.deepEqual(
      f.all('a').map((l) => l.index),
      [2, 4, 6, 8],
    );
    assert.deepEqual(
      f.distinct.map((l) => [l.name, l.value]),
      [
        ['Content-Type', 'text/plain'],
        ['a', ''],
        ['content-type', 'text/plain'],
        ['Content-Type', 'text/html'],
        ['a', 'x'],
        ['A', ''],
      ],
    );
    assert.deepEqual([...f.groupOf], [0, 1, 2, 1, 3, 4, 0, 5]);
    assert.deepEqual(f.names(), ['content-type', 'a']);
    assert.equal(f.field(f.lines[0])?.name, 'Content-Type');
    assert.equal(f.distinctField(2)?.name, 'Content-Type');
    assert.equal(f.distinctField(1), undefined, 'a is not a known field');
    assert.deepEqual(
      [...f.byField()].map((g) => [g.name, g.lines.length, g.field?.name ?? null]),
      [
        ['content-type', 4, 'Content-Type'],
        ['a', 4, null],
      ],
    );
  });

  it('a name and value that only look alike in a key are not taken for one pair', () => {
    const f = new Fields([
      ['x', 'a\nb'],
      ['x', 'a'],
      ['x', 'a\nb'],
    ]);
    assert.deepEqual([...f.groupOf], [0, 1, 0]);
  });

  it('heads with names that hash alike keep their own layouts', () => {
    // The layout look-up hashes the count and a few characters of each name: these two collide.
    const a = new Fields([['abcd', '1']]);
    const b = new Fields([['axcd', '2']]);
    const again = new Fields([['abcd', '3']]);
    assert.deepEqual(a.names(), ['abcd']);
    assert.deepEqual(b.names(), ['axcd']);
    assert.deepEqual(again.names(), ['abcd']);
    assert.equal(again.first('abcd')?.value, '3', 'the values are the head’s own');
    assert.equal(b.has('abcd'), false);
  });

  it('the checks see every line: a repeated singleton in another case, an unknown field after a known one', () => {
    const ex = build({
      date: false,
      headers: [
        ['Content-Type', 'text/plain'],
        ['X-Custom-One', '1'],
        ['content-type', 'text/html'],
        ['X-Custom-One', '1'],
      ],
    });
    const notes = annotateExchange(ex);
    const repeated = notes.filter((n) => n.id === 'header-repeated-singleton').map((n) => n.subject);
    assert.deepEqual(repeated, ['header:2']);
    const unknown = notes.filter((n) => n.id === 'header-unknown').map((n) => n.subject);
    assert.deepEqual(unknown, ['header:1', 'header:3']);
  });
});
