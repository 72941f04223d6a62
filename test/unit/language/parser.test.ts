// The parser: blocks, request lines, headers, bodies, metadata, variables, skipped syntax, diagnostics.
import * as assert from 'node:assert/strict';
import { parseHttp } from '../../../src/language';
import { lines } from './helpers';

describe('language: parser', () => {
  it('splits blocks on ### and keeps the title', () => {
    const doc = parseHttp(
      lines('### First one', 'GET http://a.test/1', '', '###', 'POST http://a.test/2', '', 'x=1', '####### Third', 'DELETE http://a.test/3'),
    );
    assert.equal(doc.requests.length, 3);
    assert.deepEqual(
      doc.requests.map((r) => [r.title, r.method, r.target, r.requestLine, r.startLine, r.endLine]),
      [
        ['First one', 'GET', 'http://a.test/1', 1, 1, 2],
        [null, 'POST', 'http://a.test/2', 4, 4, 6],
        ['Third', 'DELETE', 'http://a.test/3', 8, 8, 8],
      ],
    );
    assert.deepEqual(doc.separators, [0, 3, 7]);
    assert.equal(doc.requests[1].body, 'x=1');
  });

  it('reads METHOD target HTTP/version, bare URLs as GET, and keeps spaces inside the target', () => {
    const doc = parseHttp(
      lines(
        'https://example.test/x',
        '###',
        'patch /p HTTP/2',
        'Host: h',
        '###',
        'POST {{base}}/return?location=New York&x=1 HTTP/1.1',
        '###',
        'localhost:8080/health',
      ),
    );
    assert.deepEqual(
      doc.requests.map((r) => [r.method, r.methodWritten, r.target, r.httpVersion]),
      [
        ['GET', false, 'https://example.test/x', null],
        ['PATCH', true, '/p', 'HTTP/2'],
        ['POST', true, '{{base}}/return?location=New York&x=1', 'HTTP/1.1'],
        ['GET', false, 'localhost:8080/health', null],
      ],
    );
  });

  it('knows the standard and WebDAV methods and accepts extension methods in capitals', () => {
    for (const m of [
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'CONNECT',
      'OPTIONS',
      'TRACE',
      'PATCH',
      'QUERY',
      'PROPFIND',
      'PROPPATCH',
      'MKCOL',
      'COPY',
      'MOVE',
      'LOCK',
      'UNLOCK',
      'SEARCH',
      'REPORT',
      'MKCALENDAR',
      'PURGE',
      'BREW',
    ]) {
      const doc = parseHttp(`${m} http://x.test/`);
      assert.equal(doc.requests[0]?.method, m, m);
    }
  });

  it('joins query continuation lines without spaces', () => {
    const doc = parseHttp(lines('GET https://x.test/search', '    ?q=wire', '    &page=2', '  &size=10', 'Accept: */*'));
    assert.equal(doc.requests[0].target, 'https://x.test/search?q=wire&page=2&size=10');
    assert.equal(doc.requests[0].requestLineEnd, 3);
    assert.deepEqual(doc.requests[0].headers, [{ name: 'Accept', value: '*/*', line: 4 }]);
  });

  it('reads headers until the first blank line, then the body exactly as written', () => {
    const text =
      'POST http://x.test/\r\nContent-Type: text/plain\r\nX-Empty:\r\n\r\nline one\r\n\r\n  indented\ttab\nlf only\r\n\r\n\r\n###\r\nGET http://x.test/';
    const r = parseHttp(text).requests[0];
    assert.deepEqual(
      r.headers.map((h) => [h.name, h.value]),
      [
        ['Content-Type', 'text/plain'],
        ['X-Empty', ''],
      ],
    );
    assert.equal(r.body, 'line one\r\n\r\n  indented\ttab\nlf only');
    assert.equal(r.bodyStartLine, 4);
    assert.equal(r.bodyEndLine, 7);
  });

  it('keeps comments inside a body but drops a trailing comment paragraph', () => {
    const doc = parseHttp(
      lines(
        'POST http://x.test/',
        '',
        '{',
        '  // not a comment here',
        '}',
        '',
        '# a note for the reader',
        '// another',
        '',
        '###',
        'GET http://x.test/',
        '',
        '# only comments',
      ),
    );
    assert.equal(doc.requests[0].body, '{\n  // not a comment here\n}');
    assert.equal(doc.requests[1].body, null);
  });

  it('skips comments between headers and before the request line', () => {
    const r = parseHttp(lines('# a comment', '// another', 'GET http://x.test/', '# between', 'A: 1', '// also', 'B: 2')).requests[0];
    assert.deepEqual(
      r.headers.map((h) => h.name),
      ['A', 'B'],
    );
  });

  it('reads metadata, keeping unknown keys', () => {
    const r = parseHttp(
      lines(
        '# @name login',
        '// @no-redirect',
        '# @no-cookie-jar',
        '# @note',
        '# @timeout 5 s',
        '# @insecure',
        '# @prompt password Your password',
        '# @prompt otp',
        '# @custom thing',
        'POST http://x.test/',
      ),
    ).requests[0];
    assert.equal(r.name, 'login');
    assert.deepEqual(Object.keys(r.metadata).sort(), ['custom', 'insecure', 'name', 'no-cookie-jar', 'no-redirect', 'note', 'prompt', 'timeout']);
    assert.equal(r.metadata.timeout, '5 s');
    assert.deepEqual(
      r.prompts.map((p) => [p.name, p.description]),
      [
        ['password', 'Your password'],
        ['otp', null],
      ],
    );
  });

  it('warns about a malformed @timeout', () => {
    const doc = parseHttp(lines('# @timeout soon', 'GET http://x.test/'));
    assert.ok(doc.diagnostics.some((d) => d.severity === 'warning' && /timeout/.test(d.message) && d.line === 0));
  });

  it('collects file variables anywhere at block level, with name ranges', () => {
    const doc = parseHttp(lines('@host = example.test', '@base=https://{{host}}', '', '###', '@token = abc', 'GET {{base}}/x'));
    assert.deepEqual(
      doc.variables.map((v) => [v.name, v.value, v.line, v.nameStart, v.nameEnd]),
      [
        ['host', 'example.test', 0, 1, 5],
        ['base', 'https://{{host}}', 1, 1, 5],
        ['token', 'abc', 4, 1, 6],
      ],
    );
    assert.equal(doc.requests.length, 1);
  });

  it('records every {{…}} reference with its columns', () => {
    const doc = parseHttp(
      lines('@a = {{b}}', 'GET {{ base }}/x?y={{$guid}}', 'Authorization: Bearer {{login.response.body.$.token}}', '', '{"k": "{{a}}"}'),
    );
    assert.deepEqual(
      doc.references.map((r) => [r.expression, r.line, r.start, r.end]),
      [
        ['b', 0, 5, 10],
        ['base', 1, 4, 14],
        ['$guid', 1, 19, 28],
        ['login.response.body.$.token', 2, 22, 53],
        ['a', 4, 7, 12],
      ],
    );
  });

  it('records < and <@ includes in the body', () => {
    const r = parseHttp(
      lines('POST http://x.test/', 'Content-Type: application/json', '', '< ./data.json', '###', 'POST http://x.test/', '', '<@ ./tpl.json'),
    ).requests;
    assert.deepEqual(r[0].includes, [{ index: 0, line: 3, path: './data.json', substitute: false }]);
    assert.deepEqual(r[1].includes, [{ index: 0, line: 7, path: './tpl.json', substitute: true }]);
    assert.equal(r[0].body, '< ./data.json');
  });

  it('accepts a file include directly after the headers', () => {
    const r = parseHttp(lines('POST http://x.test/', 'Content-Type: application/json', '< ./data.json')).requests[0];
    assert.equal(r.body, '< ./data.json');
    assert.equal(r.includes.length, 1);
  });

  it('does not take XML bodies for includes', () => {
    const r = parseHttp(lines('POST http://x.test/', '', '<?xml version="1.0"?>', '<a>1</a>')).requests[0];
    assert.deepEqual(r.includes, []);
    assert.equal(r.body, '<?xml version="1.0"?>\n<a>1</a>');
  });

  it('captures JetBrains scripts and httpyac asserts in order, and never sends them', () => {
    const doc = parseHttp(
      lines(
        '< {%',
        '  request.variables.set("a", 1)',
        '%}',
        'POST http://x.test/',
        'Content-Type: application/json',
        '',
        '{"a": 1}',
        '',
        '> {%',
        '  client.global.set("t", response.body.t);',
        '%}',
        '>> ./out.json',
        '?? status == 200',
        '> ./handler.js',
        '###',
        'GET http://x.test/',
        '> {% client.test("x", () => {}) %}',
        '###',
        '< ./pre.js',
        'GET http://x.test/p',
        '?? status == 201',
        '?? header content-type includes json',
      ),
    );
    const [a, b, c] = doc.requests;
    assert.equal(a.body, '{"a": 1}');
    assert.deepEqual(
      a.scripts.map((s) => [s.phase, s.dialect, s.file, s.startLine, s.endLine, s.codeLine]),
      [
        ['pre', 'jetbrains', null, 0, 2, 0],
        ['post', 'jetbrains', null, 8, 10, 8],
        ['post', 'jetbrains', './handler.js', 13, 13, 13],
      ],
    );
    assert.equal(a.scripts[0].code, '\n  request.variables.set("a", 1)\n');
    assert.equal(a.scripts[1].code, '\n  client.global.set("t", response.body.t);\n');
    assert.deepEqual(a.asserts, [{ text: 'status == 200', line: 12 }]);
    assert.deepEqual(
      a.skipped.map((s) => [s.kind, s.startLine, s.endLine]),
      [['response-redirect', 11, 11]],
    );
    assert.equal(b.body, null);
    assert.deepEqual(
      b.scripts.map((s) => [s.phase, s.code]),
      [['post', ' client.test("x", () => {}) ']],
    );
    // A `??` line right under the request line is an assert, never a query continuation.
    assert.equal(c.target, 'http://x.test/p');
    assert.deepEqual(
      c.scripts.map((s) => [s.phase, s.file]),
      [['pre', './pre.js']],
    );
    assert.deepEqual(
      c.asserts.map((x) => x.text),
      ['status == 201', 'header content-type includes json'],
    );
    assert.ok(
      doc.diagnostics.every((d) => d.severity === 'info' && /redirect/.test(d.message)),
      JSON.stringify(doc.diagnostics),
    );
  });

  it('reads @disabled, @sleep and @loop, and warns about malformed ones', () => {
    const doc = parseHttp(
      lines(
        '# @disabled',
        'GET http://x.test/a',
        '###',
        '# @sleep 250',
        '# @loop for 3',
        'GET http://x.test/b',
        '###',
        '# @loop for item of ["a", "b"]',
        'GET http://x.test/{{item}}',
        '###',
        '# @sleep soon',
        '# @loop forever',
        'GET http://x.test/c',
      ),
    );
    assert.deepEqual(
      doc.requests.map((r) => r.metadata),
      [{ disabled: '' }, { sleep: '250', loop: 'for 3' }, { loop: 'for item of ["a", "b"]' }, { sleep: 'soon', loop: 'forever' }],
    );
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.line, d.severity]),
      [
        [10, 'warning'],
        [11, 'warning'],
      ],
    );
  });

  it('skips JetBrains saved-response references (<> file) instead of sending them as the body', () => {
    const doc = parseHttp(
      lines(
        'GET http://x.test/items',
        'Accept: application/json',
        '',
        '<> 2023-05-01T101010.200.json',
        '<> 2023-05-01T101000.200.json',
        '',
        '###',
        'POST http://x.test/items',
        'Content-Type: application/json',
        '',
        '{"a": 1}',
        '',
        '<> 2023-05-01T101010.200.json',
        '###',
        'GET http://x.test/h',
        'Accept: */*',
        '<> 2023-05-01T101010.200.json',
      ),
    );
    const [a, b, c] = doc.requests;
    assert.equal(a.body, null);
    assert.deepEqual(
      a.skipped.map((s) => [s.kind, s.startLine]),
      [
        ['response-reference', 3],
        ['response-reference', 4],
      ],
    );
    assert.equal(b.body, '{"a": 1}');
    assert.deepEqual(
      b.skipped.map((s) => s.kind),
      ['response-reference'],
    );
    assert.deepEqual(
      c.headers.map((h) => h.name),
      ['Accept'],
    );
    assert.equal(c.body, null);
    assert.ok(
      doc.diagnostics.every((d) => d.severity === 'info' && /saved response/.test(d.message)),
      JSON.stringify(doc.diagnostics),
    );
    // `<>` needs a space after it; anything else in a body stays body.
    assert.equal(parseHttp(lines('POST http://x.test/', '', '<>x')).requests[0].body, '<>x');
  });

  it('takes a trailing paragraph of @name = value lines after a request as file variables, not body (REST Client)', () => {
    const doc = parseHttp(
      lines(
        '# @name login',
        'POST http://x.test/login',
        'Content-Type: application/json',
        '',
        '{"user": "a"}',
        '',
        '@token = {{login.response.body.$.token}}',
        '# the token for the next requests',
        '@auth = Bearer {{token}}',
        '',
        '###',
        'GET http://x.test/me',
        '',
        '@after = 1',
        '###',
        'POST http://x.test/text',
        '',
        'hello',
        '@not-a-paragraph = kept',
      ),
    );
    const [login, me, text] = doc.requests;
    assert.equal(login.body, '{"user": "a"}');
    assert.equal(me.body, null);
    assert.equal(text.body, 'hello\n@not-a-paragraph = kept');
    assert.deepEqual(
      doc.variables.map((v) => [v.name, v.line]),
      [
        ['token', 6],
        ['auth', 8],
        ['after', 13],
      ],
    );
    assert.deepEqual(
      doc.references.map((r) => [r.expression, r.line]),
      [
        ['login.response.body.$.token', 6],
        ['token', 8],
      ],
    );
    assert.deepEqual(doc.diagnostics, []);
  });

  it('captures httpyac {{ }} script blocks before and after a request instead of taking {{ for a URL', () => {
    const doc = parseHttp(
      lines(
        '{{',
        '  const crypto = require("crypto");',
        '  exports.sig = crypto.randomUUID();',
        '}}',
        'GET http://x.test/{{sig}}',
        '###',
        '{{@request',
        '  request.headers["x"] = "1";',
        '}}',
        'POST http://x.test/',
        '',
        'body',
        '',
        '{{',
        '  test("ok", () => {});',
        '}}',
        '###',
        '{{',
        'never closed',
      ),
    );
    assert.deepEqual(
      doc.requests.map((r) => [r.method, r.target, r.body]),
      [
        ['GET', 'http://x.test/{{sig}}', null],
        ['POST', 'http://x.test/', 'body'],
      ],
    );
    assert.deepEqual(
      doc.requests.map((r) => r.scripts.map((k) => [k.phase, k.dialect, k.startLine, k.endLine, k.codeLine])),
      [
        [['pre', 'httpyac', 0, 3, 1]],
        [
          ['pre', 'httpyac', 6, 8, 7],
          ['post', 'httpyac', 13, 15, 14],
        ],
      ],
    );
    assert.equal(doc.requests[0].scripts[0].code, '  const crypto = require("crypto");\n  exports.sig = crypto.randomUUID();');
    assert.ok(
      doc.diagnostics.every((d) => d.severity !== 'error'),
      JSON.stringify(doc.diagnostics),
    );
    assert.ok(doc.diagnostics.some((d) => d.severity === 'warning' && /not closed with \}\}/.test(d.message) && d.line === 17));
    assert.deepEqual(
      doc.references.map((r) => r.expression),
      ['sig'],
    );
  });

  it('warns about an unclosed script and does not hang', () => {
    const doc = parseHttp(lines('GET http://x.test/', '', '> {%', 'client.log(1)'));
    assert.ok(doc.diagnostics.some((d) => d.severity === 'warning' && /not closed/.test(d.message)));
    assert.equal(doc.requests[0].body, null);
  });

  it('starts a new request at a request line after a blank line (httpyac files without ###)', () => {
    const doc = parseHttp(
      lines('GET /get', 'Host: a.test', '', 'POST /post', 'Host: a.test', '', '{"a":1}', '', '# @name third', 'PUT /put', 'Host: a.test'),
    );
    assert.deepEqual(
      doc.requests.map((r) => [r.method, r.body, r.name, r.startLine]),
      [
        ['GET', null, null, 0],
        ['POST', '{"a":1}', null, 3],
        ['PUT', null, 'third', 8],
      ],
    );
  });

  it('does not split when the request-like line is part of a paragraph', () => {
    const r = parseHttp(lines('POST http://x.test/', '', 'some text', 'GET /not/a/request')).requests;
    assert.equal(r.length, 1);
    assert.equal(r[0].body, 'some text\nGET /not/a/request');
  });

  it('marks GraphQL requests', () => {
    const r = parseHttp(lines('POST http://x.test/graphql', 'X-REQUEST-TYPE: GraphQL', '', 'query { a }')).requests[0];
    assert.equal(r.graphql, true);
  });

  it('reports malformed lines with their line numbers', () => {
    const doc = parseHttp(lines('GET http://x.test/', 'this is not a header', '###', 'what is this line', '###', 'GET'));
    const errors = doc.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message.split(' (')[0]]);
    assert.deepEqual(errors, [
      [1, 'Not a header'],
      [3, 'Not a request line'],
      [5, 'Not a request line'],
    ]);
    assert.equal(doc.requests.length, 1);
  });

  it('warns about unterminated and empty variables', () => {
    const doc = parseHttp(lines('GET http://x.test/{{open', 'X: {{}}'));
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.line, d.severity, d.column]),
      [
        [0, 'warning', 18],
        [1, 'warning', 3],
      ],
    );
  });

  it('finds no request and no error in empty, blank, comment-only or variable-only documents', () => {
    for (const t of ['', '\n\n', '   ', '###', '# just a comment', '@a = 1']) {
      const doc = parseHttp(t);
      assert.equal(doc.requests.length, 0);
      assert.deepEqual(
        doc.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
    }
  });

  it('counts lines like VS Code (lone CR ends a line)', () => {
    const doc = parseHttp('GET http://x.test/\rA: 1\r\n\r\nbody');
    assert.equal(doc.lineCount, 4);
    assert.equal(doc.requests[0].headers[0].line, 1);
    assert.equal(doc.requests[0].body, 'body');
  });
});
