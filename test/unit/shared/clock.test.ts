import * as assert from 'node:assert/strict';
import { isoNow } from '../../../src/shared/clock';

describe('shared/clock: isoNow', () => {
  it('is exactly what new Date().toISOString() gives, across seconds, days and years', () => {
    const samples = [
      0,
      1,
      9,
      10,
      99,
      100,
      999,
      1000,
      1001,
      59_999,
      86_399_999,
      86_400_000,
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
    ];
    for (let i = 0; i < 2000; i++) samples.push(Date.UTC(2026, 11, 1) + i * 37 + Math.floor(i / 7) * 1000);
    for (const ms of samples) assert.equal(isoNow(ms), new Date(ms).toISOString(), String(ms));
  });

  it('reads the clock when given no time', () => {
    const before = Date.now();
    const at = Date.parse(isoNow());
    assert.ok(at >= before && at <= Date.now());
  });
});
