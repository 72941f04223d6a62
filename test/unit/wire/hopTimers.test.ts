// HopTimers: the phase timer reports ETIMEDOUT with the phase and what was awaited, refreshing keeps one timer,
// the head deadline reports a slow head, and once stopped nothing fires or arms again.
import * as assert from 'node:assert/strict';
import type { ExchangeError } from '../../../src/shared/exchange';
import { HopTimers } from '../../../src/wire/hopTimers';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('wire/hopTimers', () => {
  it('reports the phase and what was awaited when the phase timer runs out, with the latest arm winning', async () => {
    const got: ExchangeError[] = [];
    const t = new HopTimers(0, { fail: (e) => got.push(e) });
    t.arm(20, 'send', 'progress sending the request');
    t.arm(20, 'wait', 'response'); // same duration: refreshed, the latest phase reported
    await wait(200);
    assert.deepEqual(got, [{ code: 'ETIMEDOUT', message: 'No response within 20 ms', phase: 'wait' }]);
  });

  it('reports a response head that is not complete within the head deadline', async () => {
    const got: ExchangeError[] = [];
    const t = new HopTimers(20, { fail: (e) => got.push(e) });
    t.armHead();
    await wait(200);
    assert.equal(got.length, 1);
    assert.equal(got[0].phase, 'headers');
    assert.match(got[0].message, /Response head not complete within 20 ms/);
  });

  it('fires nothing once disarmed, and arms nothing once stopped; 0 ms means no timeout', async () => {
    const got: ExchangeError[] = [];
    const t = new HopTimers(20, { fail: (e) => got.push(e) });
    t.arm(20, 'body', 'data from the server');
    t.armHead();
    t.disarm();
    t.arm(0, 'wait', 'response');
    t.stop();
    t.arm(20, 'body', 'data from the server');
    t.armHead();
    await wait(200);
    assert.deepEqual(got, []);
  });
});
