// Bounded by design: a hostile head of 60,000 header lines gives a handful of grouped notes, and the panel and the
// CLI's text are sent / print a capped number of rows with the rest counted; the record keeps everything.
import * as assert from 'node:assert/strict';
import { annotateExchange } from '../../../src/annotate';
import type { HeaderPair } from '../../../src/shared/exchange';
import { formatExchange } from '../../../src/cli/format';
import { buildViewModel, MAX_PANEL_HEADERS, MAX_PANEL_NOTES } from '../../../src/view/viewModel';
import { makeExchange } from './exchangeFixture';

const many = (n: number): HeaderPair[] => Array.from({ length: n }, () => ['a', ''] as HeaderPair);

describe('view: bounds on hostile heads', () => {
  it('one check firing on 60,000 lines gives one grouped note, not 120,006 notes', () => {
    const ex = makeExchange({ headers: many(60_000) });
    const notes = annotateExchange(ex);
    assert.ok(notes.length < 20, `${notes.length} notes`);
    const empty = notes.find((n) => n.id === 'header-value-empty');
    assert.ok(empty);
    assert.equal(empty.occurrences, 60_000);
    assert.equal(empty.subject, 'header:0');
    assert.equal(empty.subjects?.length, 50);
    assert.deepEqual(empty.subjects?.slice(0, 3), ['header:0', 'header:1', 'header:2']);
    assert.match(empty.summary, /and 59999 more lines like it/);
  });

  it('a few findings stay one note per line', () => {
    const ex = makeExchange({ headers: [['Content-Type', 'text/plain'], ...many(3)] });
    const empty = annotateExchange(ex).filter((n) => n.id === 'header-value-empty');
    assert.deepEqual(
      empty.map((n) => n.subject),
      ['header:1', 'header:2', 'header:3'],
    );
    assert.ok(empty.every((n) => n.occurrences === undefined));
  });

  it('distinct lines are still judged one by one (the memo is per name and value)', () => {
    const ex = makeExchange({
      headers: [
        ['X-A', 'v'],
        ['X-A', ''],
        ['X-A', 'v'],
        ['X-A', ''],
      ],
    });
    assert.deepEqual(
      annotateExchange(ex)
        .filter((n) => n.id === 'header-value-empty')
        .map((n) => n.subject),
      ['header:1', 'header:3'],
    );
  });

  it('the panel gets at most MAX_PANEL_HEADERS header rows and MAX_PANEL_NOTES notes, with the rest counted', () => {
    const ex = makeExchange({ headers: many(60_000) });
    ex.notes = Array.from(
      { length: 3000 },
      (_, i) => ({ subject: `header:${i}`, level: i % 2 ? 'info' : 'bad', category: 'x', summary: `n${i}`, detail: '', reference: '' }) as const,
    );
    const vm = buildViewModel(1, ex);
    assert.equal(vm.hop.exchange.response?.headers.length, MAX_PANEL_HEADERS);
    assert.equal(vm.hop.headers.length, MAX_PANEL_HEADERS);
    assert.equal(vm.hop.omitted?.headers, 60_000 - MAX_PANEL_HEADERS);
    assert.equal(vm.hop.exchange.notes.length, MAX_PANEL_NOTES);
    assert.equal(vm.hop.omitted?.notes, 3000 - MAX_PANEL_NOTES);
    assert.ok(
      vm.hop.exchange.notes.every((n) => n.level === 'bad'),
      'the most severe are kept',
    );
    assert.ok(JSON.stringify(vm).length < 2_000_000, `view model of ${JSON.stringify(vm).length} chars`);
    // The record itself is untouched.
    assert.equal(ex.response?.headers.length, 60_000);
    assert.equal(buildViewModel(2, makeExchange()).hop.omitted, undefined);
  });

  it('the CLI text prints a capped head and says how many lines it left out', () => {
    const text = formatExchange(makeExchange({ headers: many(5000) }), { color: false, bodyOut: null, width: 80 });
    assert.match(text, /4000 more header lines not shown \(wirelens send --json has them all\)/);
    assert.ok(text.split('\n').length < 1200);
  });
});
