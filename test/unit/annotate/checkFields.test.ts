// The checks' `fields` declarations let annotating skip a check when none of its fields is in the message. A wrong
// declaration would silently lose notes, so every declaration is tried against every fixture with the fields taken
// out: the check must find nothing then.
import * as assert from 'node:assert/strict';
import { CheckContext, allChecks } from '../../../src/annotate/checks';
import type { Exchange, HeaderPair } from '../../../src/shared/exchange';
import { build } from './builder';
import { CASES } from './checkCases';

function without(ex: Exchange, side: 'request' | 'response', names: readonly string[]): Exchange {
  const keep = (pairs: HeaderPair[]): HeaderPair[] => pairs.filter(([n]) => !names.includes(n.toLowerCase()));
  if (side === 'request') return { ...ex, request: { ...ex.request, headers: keep(ex.request.headers) } };
  return ex.response ? { ...ex, response: { ...ex.response, headers: keep(ex.response.headers) } } : ex;
}

describe('annotate: check field declarations', () => {
  const declared = allChecks().filter((c) => c.fields !== undefined);
  const fixtures = Object.values(CASES)
    .flat()
    .map((spec) => ({ spec, ex: build(spec) }));

  it('most checks declare the fields they read (annotating a small exchange skips the rest)', () => {
    assert.ok(declared.length >= 120, `only ${declared.length} checks declare fields`);
    for (const c of declared) {
      assert.ok(c.fields && c.fields.length > 0, c.id);
      for (const f of c.fields ?? []) assert.equal(f, f.toLowerCase(), `${c.id}: ${f} must be lowercase`);
    }
  });

  for (const c of declared) {
    it(`${c.id} finds nothing without ${(c.fields ?? []).join(' / ')}`, () => {
      for (const { spec, ex: whole } of fixtures) {
        const ex = without(whole, c.scope, c.fields ?? []);
        const draftCtx = c.scope === 'request' ? [new CheckContext(ex, true, spec.reqBody ?? null)] : [];
        for (const ctx of [new CheckContext(ex), ...draftCtx]) assert.deepEqual(c.run(ctx), [], `${c.id} on ${JSON.stringify(spec).slice(0, 200)}`);
      }
    });
  }

  it('its trigger fixture carries one of the declared fields', () => {
    for (const c of declared) {
      const ex = build(CASES[c.id][0]);
      const pairs = c.scope === 'request' ? ex.request.headers : (ex.response?.headers ?? []);
      assert.ok(
        pairs.some(([n]) => c.fields?.includes(n.toLowerCase())),
        c.id,
      );
    }
  });
});
