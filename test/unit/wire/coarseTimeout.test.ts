// The shared coarse clock behind long hop timeouts: fires once its time is up (a tick late at most), not when
// stopped, later when restarted.
import * as assert from 'node:assert/strict';
import { CoarseTimeout } from '../../../src/wire/coarseTimeout';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('wire/coarseTimeout', () => {
  it('fires once after its time, within a tick', async () => {
    let fired = 0;
    const t0 = performance.now();
    let at = 0;
    const t = new CoarseTimeout(() => {
      fired++;
      at = performance.now() - t0;
    });
    t.start(300);
    assert.equal(t.active, true);
    for (let i = 0; i < 100 && fired === 0; i++) await wait(20);
    assert.equal(fired, 1);
    assert.ok(at >= 300, `fired after ${at} ms`);
    assert.equal(t.active, false);
    await wait(600);
    assert.equal(fired, 1);
  });

  it('does not fire when stopped, and a restart moves its deadline', async () => {
    let stopped = 0;
    let moved = 0;
    const a = new CoarseTimeout(() => stopped++);
    const b = new CoarseTimeout(() => moved++);
    a.start(200);
    b.start(200);
    a.stop();
    await wait(150);
    b.start(600);
    await wait(400);
    assert.equal(moved, 0);
    for (let i = 0; i < 100 && moved === 0; i++) await wait(20);
    assert.equal(moved, 1);
    assert.equal(stopped, 0);
  });
});
