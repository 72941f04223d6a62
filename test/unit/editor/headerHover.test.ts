// The header hover's content, computed from a parsed .http document (no editor needed).
import * as assert from 'node:assert/strict';
import { parseHttp } from '../../../src/language';
import { headerHoverAt } from '../../../src/editor/headerHover';

const TEXT = [
  'GET http://api.example.test/items',
  'Accept: application/json',
  'If-Modified-Since: yesterday',
  'Server: mine',
  'X-Custom: 1',
  '',
  '###',
  'POST https://{{host}}/x',
  'Authorization: Bearer',
  '',
].join('\n');
const LINES = TEXT.split('\n');
const doc = parseHttp(TEXT);

function hoverAt(line: number, character: number): ReturnType<typeof headerHoverAt> {
  return headerHoverAt(doc, line, character, LINES[line]);
}

describe('editor: header hover content', () => {
  it('explains a header name with meaning, syntax and reference', () => {
    const h = hoverAt(1, 2);
    assert.ok(h);
    assert.match(h.markdown, /\*\*Accept\*\*/);
    assert.match(h.markdown, /Syntax/);
    assert.match(h.markdown, /RFC 9110, Section 12\.5\.1/);
    assert.deepEqual([h.start, h.end], [0, 6]);
    assert.deepEqual(h.notes, []);
  });

  it('shows the request checks tied to the line when hovering the value', () => {
    const h = hoverAt(2, 25);
    assert.ok(h);
    assert.ok(h.notes.some((n) => n.id === 'request-date-syntax'));
    assert.match(h.markdown, /not an HTTP date/);
    assert.equal(h.start, LINES[2].indexOf('yesterday'));
  });

  it('flags response-only and unknown fields', () => {
    assert.ok(hoverAt(3, 1)?.notes.some((n) => n.id === 'request-response-header'));
    const custom = hoverAt(4, 1);
    assert.ok(custom);
    assert.match(custom.markdown, /Not in the Wire Lens knowledge base/);
  });

  it('checks each block on its own', () => {
    const h = hoverAt(8, 3);
    assert.ok(h?.notes.some((n) => n.id === 'request-bearer-empty'));
  });

  it('returns null off header lines', () => {
    assert.equal(hoverAt(0, 1), null);
    assert.equal(hoverAt(5, 0), null);
  });
});

describe('annotate: request problems as diagnostics', () => {
  it('reports bad and warning request notes on their lines, not info ones', async () => {
    const { requestProblems } = await import('../../../src/annotate/requestProblems');
    const problems = requestProblems(doc);
    const date = problems.find((p) => p.code === 'request-date-syntax');
    assert.ok(date);
    assert.equal(date.line, 2);
    assert.equal(date.severity, 'warning');
    assert.ok(problems.some((p) => p.code === 'request-bearer-empty' && p.line === 8));
    assert.ok(problems.some((p) => p.code === 'request-response-header' && p.line === 3 && p.severity === 'information'));
    assert.ok(!problems.some((p) => p.code === 'request-header-unknown'), 'info notes stay out of the problems list');
  });

  it('puts body problems on the first body line', async () => {
    const { requestProblems } = await import('../../../src/annotate/requestProblems');
    const text = 'GET http://example.test/\nContent-Type: text/plain\n\nhello\n';
    const p = requestProblems(parseHttp(text)).find((x) => x.code === 'request-body-on-get');
    assert.equal(p?.line, 3);
  });
});
