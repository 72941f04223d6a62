// Every check, both ways: its triggering fixture produces a note with its id and its clean fixture does not.
import * as assert from 'node:assert/strict';
import { allChecks, annotateExchange, annotateRequest, checkInfo } from '../../../src/annotate';
import { build } from './builder';
import { CASES } from './checkCases';

const SUBJECT = /^(status|body|connection|timing|request|request-body|(header|request-header|trailer):\d+)$/;

describe('annotate: checks', () => {
  it('registers at least 120 checks, each with an id, level, category, summary, detail and reference', () => {
    const checks = allChecks();
    assert.ok(checks.length >= 120, `only ${checks.length} checks`);
    for (const c of checks) {
      assert.match(c.id, /^[a-z0-9-]+$/);
      assert.ok(['good', 'info', 'warning', 'bad'].includes(c.level), c.id);
      assert.ok(c.category && c.summary && c.detail && c.reference, `${c.id} is missing text`);
      assert.ok(!c.summary.includes('\n'), `${c.id} summary must be one line`);
    }
  });

  it('has a trigger/clean fixture pair for every registered check (a new check without tests fails here)', () => {
    const missing = allChecks()
      .map((c) => c.id)
      .filter((id) => !(id in CASES));
    assert.deepEqual(missing, []);
    const stale = Object.keys(CASES).filter((id) => !checkInfo(id));
    assert.deepEqual(stale, [], 'fixtures for checks that do not exist');
  });

  for (const [id, [trigger, clean]] of Object.entries(CASES)) {
    describe(id, () => {
      it('triggers', () => {
        const notes = annotateExchange(build(trigger)).filter((n) => n.id === id);
        assert.ok(notes.length > 0, `${id} did not fire`);
        const info = checkInfo(id);
        for (const n of notes) {
          assert.match(n.subject, SUBJECT);
          assert.equal(n.level, info?.level);
          assert.ok(n.summary.length > 0 && n.detail.length > 0);
        }
      });
      it('stays quiet on the clean fixture', () => {
        const notes = annotateExchange(build(clean)).filter((n) => n.id === id);
        assert.deepEqual(
          notes.map((n) => n.summary),
          [],
        );
      });
    });
  }

  it('never emits an internal check error on any fixture', () => {
    for (const [trigger, clean] of Object.values(CASES)) {
      for (const spec of [trigger, clean]) {
        assert.deepEqual(
          annotateExchange(build(spec)).filter((n) => n.id === 'internal-check-error'),
          [],
        );
      }
    }
  });

  it('annotates an exchange with no response (request checks only)', () => {
    const notes = annotateExchange(build({ noResponse: true, noConnection: true, req: [['Bad Name', 'x']] }));
    assert.ok(notes.some((n) => n.id === 'request-header-name-invalid'));
    assert.ok(notes.every((n) => checkInfo(n.id ?? '')?.scope === 'request'));
  });

  it('annotateRequest runs request checks on a draft and skips templated values', () => {
    const notes = annotateRequest({
      method: 'GET',
      url: '{{base}}/x',
      headers: [
        ['If-Modified-Since', '{{since}}'],
        ['Server', 'x'],
        ['Content-Length', '5'],
      ],
      body: null,
    });
    assert.ok(notes.some((n) => n.id === 'request-response-header' && n.subject === 'request-header:1'));
    assert.ok(!notes.some((n) => n.id === 'request-date-syntax'));
    assert.ok(!notes.some((n) => n.id === 'request-content-length-mismatch'), 'drafts have no wire body size');
    assert.ok(!notes.some((n) => n.id === 'request-user-agent-missing'), 'Wire Lens adds User-Agent when sending');
  });

  it("does not call the bytes read before a body-limit failure the body's total size", () => {
    const ex = build({ body: 'abc', truncated: true, size: 67_496_091 });
    ex.error = { code: 'WL_BODY_TOO_LARGE', message: 'Body larger than the limit', phase: 'body' };
    const note = annotateExchange(ex).find((n) => n.id === 'body-truncated');
    assert.ok(note);
    assert.doesNotMatch(note.summary, /in total/);
    assert.match(note.summary, /stopped after 67496091 bytes/);
    const whole = annotateExchange(build({ body: 'abc', truncated: true, size: 100_000 })).find((n) => n.id === 'body-truncated');
    assert.match(whole?.summary ?? '', /100000 bytes in total/);
  });

  it('sorts notes bad first', () => {
    const notes = annotateExchange(build({ status: 302, headers: [['X-A', '']] }));
    const order = notes.map((n) => ['bad', 'warning', 'info', 'good'].indexOf(n.level));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
  });
});

describe('annotate: draft-specific behaviour', () => {
  it('accepts REST Client style "Basic user:password" in an .http file but not on the wire', () => {
    const draft = annotateRequest({ method: 'GET', url: 'https://example.test/', headers: [['Authorization', 'Basic user:secret']] });
    assert.ok(!draft.some((n) => n.id === 'request-basic-malformed'));
    const sent = annotateExchange(build({ req: [['Authorization', 'Basic user:secret']] }));
    assert.ok(sent.some((n) => n.id === 'request-basic-malformed'));
  });
});

describe('annotate: clocks', () => {
  it('judges the server Date against when the response arrived, not when the request started', async () => {
    const { dateAt } = await import('./builder');
    // A slow server: the head arrived 90 s after the start, and its Date says so.
    const slow = build({ date: false, headers: [['Date', dateAt(90)]], timings: { total: 90_500, download: 500, firstByte: 90_000 } });
    assert.ok(!annotateExchange(slow).some((n) => n.id === 'date-clock-skew'));
    const skewed = build({ date: false, headers: [['Date', dateAt(300)]], timings: { total: 90_500, download: 500, firstByte: 90_000 } });
    assert.ok(annotateExchange(skewed).some((n) => n.id === 'date-clock-skew'));
  });
});
