// The knowledge base: counts, references, the IANA status registry, and lookups.
import * as assert from 'node:assert/strict';
import { headerField, headerFields, statusCode, statusCodes } from '../../../src/annotate/knowledge';
import { explainLine, formatHeaderExplanation, formatStatusExplanation, annotateExchange } from '../../../src/annotate';
import { build } from './builder';

const IANA = [
  100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404,
  405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504,
  505, 506, 507, 508, 510, 511,
];

describe('annotate: knowledge base', () => {
  it('lists header fields in the order localeCompare gives (the cheap comparator at load must agree)', () => {
    const names = headerFields().map((f) => f.name.toLowerCase());
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    for (const n of names) assert.match(n, /^[a-z0-9-]+$/, `${n}: a character whose code-unit order may differ from the collator's`);
  });

  it('has at least 150 header fields, unique, each with a one-line description and a reference', () => {
    const fields = headerFields();
    assert.ok(fields.length >= 150, `${fields.length}`);
    const names = new Set<string>();
    for (const f of fields) {
      assert.ok(!names.has(f.name.toLowerCase()), `duplicate ${f.name}`);
      names.add(f.name.toLowerCase());
      assert.ok(f.description && !f.description.includes('\n'), f.name);
      assert.ok(f.reference.length > 3, f.name);
      assert.ok(['request', 'response', 'both'].includes(f.context));
    }
  });

  it('knows the caching, cookie, security, CORS, fetch-metadata, client-hint, proxy and priority headers', () => {
    for (const n of [
      'Cache-Control',
      'Set-Cookie',
      'Strict-Transport-Security',
      'Content-Security-Policy',
      'Access-Control-Allow-Origin',
      'Sec-Fetch-Site',
      'Sec-CH-UA',
      'X-Forwarded-For',
      'Vary',
      'ETag',
      'Permissions-Policy',
      'Priority',
      'Cache-Status',
      'Proxy-Status',
      'Accept-CH',
      'Warning',
    ]) {
      assert.ok(headerField(n), n);
    }
    assert.equal(headerField('permissions-policy')?.structured, 'dictionary');
    assert.equal(headerField('WARNING')?.deprecated, true);
  });

  it('has every IANA-registered status code, plus unregistered ones marked as such', () => {
    for (const c of IANA) assert.equal(statusCode(c)?.registered, true, String(c));
    assert.equal(statusCodes().filter((s) => s.registered).length, IANA.length);
    for (const c of [
      419, 420, 440, 444, 449, 450, 460, 463, 494, 495, 496, 497, 499, 509, 520, 521, 522, 523, 524, 525, 526, 527, 529, 530, 598, 599,
    ]) {
      assert.equal(statusCode(c)?.registered, false, String(c));
    }
    for (const s of statusCodes()) assert.ok(s.reference && s.name && s.description, String(s.code));
    assert.equal(statusCode(418)?.name, '(Unused)');
  });

  it('formats explanations as text and Markdown', () => {
    const cc = headerField('cache-control');
    assert.ok(cc);
    const text = formatHeaderExplanation(cc);
    assert.match(text, /^Cache-Control/);
    assert.match(text, /RFC 9111, Section 5\.2/);
    assert.match(formatHeaderExplanation(cc, { markdown: true }), /\*\*Cache-Control\*\*/);
    const s = statusCode(404);
    assert.ok(s);
    assert.match(formatStatusExplanation(s), /404 Not Found/);
  });

  it('explains one response header line with its field and notes', () => {
    const ex = build({ status: 302, headers: [['Location', '/a b']] });
    ex.notes = annotateExchange(ex);
    const line = explainLine(ex, 'response', 1);
    assert.ok(line);
    assert.equal(line.field?.name, 'Location');
    assert.ok(line.notes.some((n) => n.id === 'location-invalid'));
    assert.equal(explainLine(ex, 'response', 99), null);
    assert.equal(explainLine(ex, 'request', 0)?.name, 'Host');
  });
});

describe('annotate: freshness', () => {
  it('computes explicit, heuristic and absent lifetimes with the current age', async () => {
    const { freshness } = await import('../../../src/annotate');
    const { dateAt } = await import('./builder');
    assert.deepEqual(
      freshness(
        build({
          headers: [
            ['Cache-Control', 'max-age=600'],
            ['Age', '100'],
          ],
        }),
      ),
      { lifetime: 600, source: 'max-age', age: 100, fresh: true },
    );
    assert.deepEqual(freshness(build({ headers: [['Expires', dateAt(60)]] })), { lifetime: 60, source: 'expires', age: 0, fresh: true });
    assert.deepEqual(freshness(build({ headers: [['Last-Modified', dateAt(-10000)]] })), {
      lifetime: 1000,
      source: 'heuristic',
      age: 0,
      fresh: true,
    });
    assert.deepEqual(freshness(build({})), { lifetime: null, source: null, age: 0, fresh: false });
    assert.equal(freshness(build({ noResponse: true })), null);
  });
});

describe('annotate: note formatting', () => {
  it('escapes Markdown in summaries that carry user text', async () => {
    const { formatNote } = await import('../../../src/annotate');
    const md = formatNote(
      {
        id: 'x',
        subject: 'status',
        level: 'bad',
        category: 'syntax',
        summary: 'Value [click](command:evil) *bold*',
        detail: 'd',
        reference: 'RFC 1',
      },
      { markdown: true },
    );
    assert.ok(!md.includes('[click](command:evil)'));
    assert.match(md, /\\\[click\\\]\\\(command:evil\\\)/);
  });
});
