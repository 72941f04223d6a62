// The panel's exchange store: newest kept within a count and a byte budget, pinned ones never evicted.
import * as assert from 'node:assert/strict';
import { ExchangeStore, exchangeWeight } from '../../../src/panel/exchangeStore';
import type { Exchange } from '../../../src/shared/exchange';
import { makeExchange } from '../view/exchangeFixture';

const rec = (e: Exchange = makeExchange()) => ({ exchange: e, secrets: [], insecure: false });

describe('panel/exchangeStore', () => {
  it('gives increasing ids and keeps at most the record limit, oldest evicted first', () => {
    const s = new ExchangeStore({ records: 3, bytes: Infinity });
    const ids = [1, 2, 3, 4, 5].map(() => s.add(rec()));
    assert.deepEqual(ids, [1, 2, 3, 4, 5]);
    assert.equal(s.size, 3);
    assert.equal(s.get(1), undefined);
    assert.equal(s.get(2), undefined);
    assert.ok(s.get(3) && s.get(5));
    assert.equal(s.latestId(), 5);
  });

  it('never evicts a pinned record (one an open panel shows) nor the one just added', () => {
    const s = new ExchangeStore({ records: 1, bytes: Infinity });
    const a = s.add(rec());
    const b = s.add(rec(), [a, null]);
    assert.ok(s.get(a), 'pinned');
    assert.ok(s.get(b), 'just added');
    s.add(rec(), [b]);
    assert.equal(s.get(a), undefined, 'no longer pinned: evicted');
  });

  it('evicts by bytes too, whatever the count', () => {
    const big = makeExchange({ body: Buffer.alloc(30_000, 0x61) });
    const w = exchangeWeight(big);
    assert.ok(w > 40_000, `weight ${w}`);
    const s = new ExchangeStore({ records: 100, bytes: w * 2 + 1 });
    const ids = [0, 1, 2].map(() => s.add(rec(big)));
    assert.equal(s.get(ids[0]), undefined);
    assert.ok(s.get(ids[1]) && s.get(ids[2]));
  });

  it('finds the final exchange or a redirect hop of a record', () => {
    const s = new ExchangeStore();
    const hop = makeExchange({ status: 302 });
    const final = { ...makeExchange(), redirects: [hop] };
    const id = s.add(rec(final));
    assert.equal(s.hop(id, -1), final);
    assert.equal(s.hop(id, 0), hop);
    assert.equal(s.hop(id, 1), undefined);
    assert.equal(s.hop(99, -1), undefined);
    assert.equal(new ExchangeStore().latestId(), 0);
  });
});
