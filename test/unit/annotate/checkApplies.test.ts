// The checks' `applies` predicates let annotating skip a check on exchanges of a shape where it cannot find
// anything (a 304-only check on a 200, a TLS check on plain HTTP). A wrong predicate would silently lose notes, so
// every predicate is tried on every exchange of the golden corpus and every draft: where it says no, the check
// must find nothing.
import * as assert from 'node:assert/strict';
import { CheckContext, allChecks } from '../../../src/annotate/checks';
import { shapeOf } from '../../../src/annotate/checks/shape';
import { goldenDrafts, goldenExchanges } from './goldenCorpus';
import { draftExchange } from '../../../src/annotate';

describe('annotate: check applicability (applies)', () => {
  const gated = allChecks().filter((c) => c.applies !== undefined);

  it('many checks declare when they apply (the others run on every exchange of their scope)', () => {
    assert.ok(gated.length >= 80, `only ${gated.length} checks declare applies`);
  });

  it('a check finds nothing where its predicate says it does not apply', () => {
    const contexts: { name: string; ctx: CheckContext; response: boolean }[] = [];
    for (const { name, exchange } of goldenExchanges())
      contexts.push({ name, ctx: new CheckContext(exchange), response: exchange.response !== null });
    for (const { name, draft } of goldenDrafts()) {
      const ex = draftExchange(draft);
      contexts.push({ name: `draft ${name}`, ctx: new CheckContext(ex, true, draft.body ?? null), response: false });
    }
    let skipped = 0;
    for (const { name, ctx, response } of contexts) {
      if (typeof ctx.req.method !== 'string') continue;
      const shape = shapeOf(ctx, response);
      for (const c of gated) {
        if (c.scope === 'response' && !response) continue;
        if (c.applies?.(shape) !== false) continue;
        skipped++;
        let found: unknown;
        try {
          found = c.run(ctx);
        } catch (e) {
          found = `throws ${String(e)}`;
        }
        assert.deepEqual(found, [], `${c.id} on ${name}`);
      }
    }
    assert.ok(skipped > 100_000, `only ${skipped} skips tried`);
  });
});
