import * as assert from 'node:assert/strict';
import { exchangeId } from '../../../src/wire/exchangeId';

describe('wire/exchangeId', () => {
  it('gives UUID v4-shaped ids, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = exchangeId();
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 10_000);
  });
});
