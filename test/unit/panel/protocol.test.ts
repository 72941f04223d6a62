// Messages from the webview are untrusted: only well-formed, known messages pass.
import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/shared/protocol';

const report = {
  view: 'exchange',
  seq: 3,
  durationMs: 12.5,
  statusLine: 'HTTP/1.1 200 OK',
  sections: [{ id: 'body', title: 'Body', text: 'x', expanded: true, count: 2 }],
  scripts: 1,
  images: 0,
  bodyMode: 'pretty',
  restored: false,
};

describe('shared/protocol: parseWebviewMessage', () => {
  it('accepts the known messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'cancel', extra: 1 }), { type: 'cancel' });
    assert.deepEqual(parseWebviewMessage({ type: 'copyCurl', hop: -1 }), { type: 'copyCurl', hop: -1 });
    assert.deepEqual(parseWebviewMessage({ type: 'copyHeader', hop: 0, index: 3, trailer: false }), {
      type: 'copyHeader',
      hop: 0,
      index: 3,
      trailer: false,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', report }), { type: 'rendered', report });
  });
  it('rejects everything else', () => {
    for (const bad of [
      null,
      1,
      'ready',
      [],
      {},
      { type: 'eval' },
      { type: 'openBody' },
      { type: 'openBody', hop: 1.5 },
      { type: 'saveBody', hop: -2 },
      { type: 'copyHeader', hop: 0, index: -1, trailer: false },
      { type: 'copyHeader', hop: 0, index: 1 },
      { type: 'rendered' },
      { type: 'rendered', report: { ...report, view: 'other' } },
      { type: 'rendered', report: { ...report, durationMs: Number.NaN } },
      { type: 'rendered', report: { ...report, sections: 'x' } },
      { type: 'rendered', report: { ...report, sections: [{ id: 1 }] } },
      { type: 'rendered', report: { ...report, sections: Array.from({ length: 100 }, () => report.sections[0]) } },
    ]) {
      assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad)?.slice(0, 80));
    }
  });
  it('cuts long strings in reports', () => {
    const r = parseWebviewMessage({
      type: 'rendered',
      report: { ...report, sections: [{ id: 'b', title: 't', text: 'x'.repeat(100_000), expanded: false }] },
    });
    assert.ok(r && r.type === 'rendered');
    assert.equal(r.report.sections[0].text.length, 4000);
  });
});
