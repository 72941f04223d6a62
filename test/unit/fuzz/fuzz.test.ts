// The short fuzz run of `npm test`: each target with a fixed seed and count (`npm run fuzz` runs them long).
import * as assert from 'node:assert/strict';
import { runTarget, TARGETS } from '../../fuzz/targets';

describe('fuzz (fixed seed, short)', function () {
  this.timeout(120_000);
  for (const t of TARGETS) {
    it(`${t.name}: 500 executions, seed 1515, no crash, no hang`, () => {
      const s = runTarget(t.name, t.property(), 1515, 500);
      assert.equal(s.failure, null, s.failure ?? '');
      assert.equal(s.executions >= 500, true, `${s.executions} executions`);
      assert.equal(s.hangs, 0, `slowest ${s.slowestMs} ms`);
    });
  }
});
