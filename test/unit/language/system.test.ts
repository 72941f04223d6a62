// System variables with a fixed clock and randomness.
import * as assert from 'node:assert/strict';
import { formatDate, systemVariable, type SystemEnv } from '../../../src/language/system';

const env: SystemEnv = {
  now: new Date(Date.UTC(2024, 1, 29, 13, 4, 5, 6)),
  random: () => 0.5,
  processEnv: { HOME_DIR: '/home/x' },
  dotenv: () => ({ KEY: 'v' }),
  lookup: (n) => (n === 'ptr' ? 'HOME_DIR' : undefined),
};

function value(expr: string): string {
  const r = systemVariable(expr, env);
  if (!('value' in r)) throw new Error(r.error);
  return r.value;
}

describe('language: system variables', () => {
  it('makes v4 UUIDs', () => {
    for (const e of ['$guid', '$uuid', '$random.uuid'])
      assert.match(value(e), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('draws random integers in range', () => {
    assert.equal(value('$randomInt 10 20'), '15');
    assert.equal(value('$random.integer(0, 100)'), '50');
    assert.equal(value('$random.float(0, 1)'), '0.5');
    assert.equal(value('$random.alphabetic(3)').length, 3);
    assert.match(value('$random.hexadecimal(8)'), /^[0-9a-f]{8}$/);
    assert.match(value('$random.email'), /@example\.com$/);
    assert.ok('error' in systemVariable('$randomInt 5 1', env));
  });

  it('gives timestamps with offsets', () => {
    const base = Math.floor(env.now.getTime() / 1000);
    assert.equal(value('$timestamp'), String(base));
    assert.equal(value('$timestamp -1 d'), String(base - 86400));
    assert.equal(value('$timestamp 2 h'), String(base + 7200));
    assert.equal(value('$isoTimestamp'), '2024-02-29T13:04:05.006Z');
    assert.ok('error' in systemVariable('$timestamp 1 fortnight', env));
  });

  it('formats $datetime in UTC: rfc1123, iso8601, custom formats, offsets', () => {
    assert.equal(value('$datetime rfc1123'), 'Thu, 29 Feb 2024 13:04:05 GMT');
    assert.equal(value('$datetime iso8601'), '2024-02-29T13:04:05.006Z');
    assert.equal(value('$datetime iso8601 1 y'), '2025-03-01T13:04:05.006Z');
    assert.equal(value('$datetime "DD.MM.YYYY"'), '29.02.2024');
    assert.equal(value("$datetime 'YYYY-MM-DD HH:mm:ss.SSS' 3 d"), '2024-03-03 13:04:05.006');
    assert.equal(value('$datetime "[Day] D, h A"'), 'Day 29, 1 PM');
    assert.ok('error' in systemVariable('$datetime', env));
  });

  it('formats $localDatetime in local time', () => {
    const iso = value('$localDatetime iso8601');
    assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    assert.equal(new Date(iso).getTime(), env.now.getTime());
    assert.equal(value('$localDatetime "YYYY"'), String(env.now.getFullYear()));
  });

  it('reads process and .env variables, with % indirection', () => {
    assert.equal(value('$processEnv HOME_DIR'), '/home/x');
    assert.equal(value('$processEnv %ptr'), '/home/x');
    assert.equal(value('$dotenv KEY'), 'v');
    assert.ok('error' in systemVariable('$processEnv NOT_SET_ANYWHERE', env));
    assert.ok('error' in systemVariable('$dotenv MISSING', env));
  });

  it('rejects unknown system variables', () => {
    assert.deepEqual(systemVariable('$nope', env), { error: 'Unknown system variable $nope.' });
  });

  it('formats dates with day.js-style tokens', () => {
    assert.equal(formatDate(new Date(Date.UTC(2001, 0, 2, 3, 4, 5)), 'YY-M-D H:m:s ddd MMM ZZ', true), '01-1-2 3:4:5 Tue Jan +0000');
  });
});
