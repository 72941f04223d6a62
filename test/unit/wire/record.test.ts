// buildRecord: the final record of a send gets its redirects, the error that ended the chain and every hop's
// notes in one place, in a fixed order (request notes, engine notes, chain notes, knowledge-base notes).
import * as assert from 'node:assert/strict';
import type { Exchange, ExchangeError, Note } from '../../../src/shared/exchange';
import { buildRecord } from '../../../src/wire/record';
import { makeExchange } from '../view/exchangeFixture';

const note = (id: string): Note => ({ id, subject: 'status', level: 'info', category: 'wire', summary: id, detail: '', reference: '' });
const ids = (ex: Exchange): string[] => ex.notes.map((n) => n.id ?? '');
const hop = (...engineNotes: string[]): Exchange => ({ ...makeExchange(), notes: engineNotes.map(note) });
const limit: ExchangeError = { code: 'WL_TOO_MANY_REDIRECTS', message: 'More than 1 redirects', phase: 'redirect' };

describe('wire/record: buildRecord', () => {
  it('returns the last hop with the earlier hops as its redirects, each hop without redirects of its own', () => {
    const [a, b, c] = [hop(), hop(), hop()];
    const ex = buildRecord({ legs: [a, b, c].map((exchange) => ({ exchange, notes: [] })), error: null, requestNotes: [] });
    assert.equal(ex, c);
    assert.deepEqual(ex.redirects, [a, b]);
    assert.deepEqual(a.redirects, []);
    assert.deepEqual(b.redirects, []);
  });

  it('puts the request notes on the first hop only, before the engine notes, and chain notes after them', () => {
    const [a, b] = [hop('engine-a'), hop('engine-b')];
    buildRecord({
      legs: [
        { exchange: a, notes: [note('chain-a')] },
        { exchange: b, notes: [] },
      ],
      error: null,
      requestNotes: [note('request')],
    });
    assert.deepEqual(ids(a), ['request', 'engine-a', 'chain-a']);
    assert.deepEqual(ids(b), ['engine-b']);
  });

  it('ends the chain with its error when the last hop succeeded, and keeps the hop error when it failed', () => {
    const ok = buildRecord({ legs: [{ exchange: hop(), notes: [] }], error: limit, requestNotes: [] });
    assert.deepEqual(ok.error, limit);
    const own: ExchangeError = { code: 'ECONNRESET', message: 'reset', phase: 'body' };
    const failed = hop();
    failed.error = own;
    assert.deepEqual(buildRecord({ legs: [{ exchange: failed, notes: [] }], error: limit, requestNotes: [] }).error, own);
  });

  it('annotates every hop once, last, with the finished record (its error and redirects set)', () => {
    const [a, b] = [hop('engine-a'), hop('engine-b')];
    const seen: string[] = [];
    buildRecord({
      legs: [
        { exchange: a, notes: [] },
        { exchange: b, notes: [] },
      ],
      error: limit,
      requestNotes: [note('request')],
      annotate: (h) => {
        seen.push(`${h === b ? 'final' : 'hop'}:${h.redirects.length}:${h.error?.code ?? '-'}:${ids(h).join(',')}`);
        return [note(`kb-${h === b ? 'b' : 'a'}`)];
      },
    });
    assert.deepEqual(seen, ['hop:0:-:request,engine-a', 'final:1:WL_TOO_MANY_REDIRECTS:engine-b']);
    assert.deepEqual(ids(a), ['request', 'engine-a', 'kb-a']);
    assert.deepEqual(ids(b), ['engine-b', 'kb-b']);
  });
});
