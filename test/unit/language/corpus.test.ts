// Real public .http files (test/fixtures/http/corpus, sources in SOURCES.md) parse with no errors and the
// expected requests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHttp, resolveRequest } from '../../../src/language';
import { FIXTURES } from './helpers';

interface Expected {
  requests: { method: string; url: string; name?: string; httpVersion?: string; hasBody: boolean }[];
}

describe('language: corpus of public .http files', () => {
  const expectations = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8')) as Record<string, Expected>;
  const files = fs.readdirSync(path.join(FIXTURES, 'corpus')).sort();

  it('holds at least 30 files, each with expectations and a source', () => {
    const sources = fs.readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8');
    assert.ok(files.length >= 30, `only ${files.length} files`);
    // From at least 30 different projects (the repository column of the table).
    const repos = new Set(
      sources
        .split('\n')
        .filter((l) => /^\| \d\d-/.test(l))
        .map((l) => l.split('|')[2].trim().toLowerCase()),
    );
    assert.ok(repos.size >= 30, `only ${repos.size} different repositories`);
    for (const f of files) {
      assert.ok(expectations[f], `no expectations for ${f}`);
      assert.ok(sources.includes(`| ${f} |`), `${f} is not listed in SOURCES.md`);
    }
  });

  for (const f of files) {
    it(`parses ${f}`, () => {
      const text = fs.readFileSync(path.join(FIXTURES, 'corpus', f), 'utf8');
      const doc = parseHttp(text);
      const errors = doc.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `errors in ${f}`);
      // Scripts, handlers and saved-response references are never part of a body.
      for (const r of doc.requests) assert.doesNotMatch(r.body ?? '', /^(?:<>\s|[<>] ?\{%|>>)/m, `${f}:${r.requestLine + 1}`);
      const got = doc.requests.map((r) => {
        const o: Expected['requests'][number] = { method: r.method, url: r.target, hasBody: r.body !== null };
        if (r.name) o.name = r.name;
        if (r.httpVersion) o.httpVersion = r.httpVersion;
        return o;
      });
      const want = expectations[f].requests.map((r) => ({ ...r }));
      assert.deepEqual(
        got.map((g) => JSON.stringify(g, ['method', 'url', 'name', 'httpVersion', 'hasBody'])),
        want.map((w) => JSON.stringify(w, ['method', 'url', 'name', 'httpVersion', 'hasBody'])),
      );
    });
  }

  it('resolves every corpus request, or explains why not (never throws, never leaves {{ on the wire)', async () => {
    for (const f of files) {
      const file = path.join(FIXTURES, 'corpus', f);
      const doc = parseHttp(fs.readFileSync(file, 'utf8'));
      // Give every plain variable a value, as an environment would.
      const vars: Record<string, string> = {};
      for (const r of doc.references) if (/^[\w-]+$/.test(r.expression)) vars[r.expression] = 'http://127.0.0.1:9';
      for (const block of doc.requests) {
        const { request, errors } = await resolveRequest(doc, block, { filePath: file, settingsEnvironments: { $shared: vars } });
        if (request) {
          assert.doesNotMatch(request.url, /\{\{/, `${f}:${block.requestLine + 1}`);
          for (const [, v] of request.headers) assert.doesNotMatch(v, /\{\{/);
        } else {
          assert.ok(errors.length > 0);
          for (const e of errors)
            assert.match(
              e.message,
              /has not been sent yet|Unknown system variable|Body file not found|needs a Host header/,
              `${f}:${e.line + 1}: ${e.message}`,
            );
        }
      }
    }
  });

  it('keeps CRLF bodies byte for byte (09-proglog.http is CRLF)', () => {
    const doc = parseHttp(fs.readFileSync(path.join(FIXTURES, 'corpus/09-proglog.http'), 'utf8'));
    assert.equal(doc.requests[0].body, '{\r\n    "record": {\r\n        "value": "TGV0J3MgR28gIzEK"\r\n    }\r\n}');
  });
});
