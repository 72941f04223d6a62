// Pure helpers behind the editor features: completion context, references, unknown-variable checks, Markdown fences.
import * as assert from 'node:assert/strict';
import { checkVariables, completionContext, httpFences, namedRequest, parseHttp, parseMarkdownHttp, referenceAt } from '../../../src/language';
import { lines } from './helpers';

describe('language: editing helpers', () => {
  const text = lines(
    '@base = http://x.test',
    '',
    '### login',
    '# @name login',
    'POST {{base}}/login',
    'Content-Type: appl',
    'Acc',
    '',
    '{"u": "{{us"}',
    '',
    '###',
    'GE',
  );
  const doc = parseHttp(text);
  const at = (line: number, col?: number) => {
    const l = text.split('\n')[line];
    return completionContext(doc, l, line, col ?? l.length);
  };

  it('knows what is being typed', () => {
    assert.deepEqual(at(5), { kind: 'header-value', header: 'Content-Type', prefix: 'appl', start: 14 });
    assert.deepEqual(at(6), { kind: 'header-name', prefix: 'Acc', start: 0 });
    assert.deepEqual(at(8, 11), { kind: 'variable', prefix: 'us', start: 9 });
    assert.deepEqual(at(11), { kind: 'method', prefix: 'GE', start: 0 });
    assert.deepEqual(at(4, 9), { kind: 'variable', prefix: 'ba', start: 7 });
    assert.deepEqual(at(3), { kind: 'none' });
    assert.deepEqual(at(0), { kind: 'none' });
  });

  it('offers header names on the blank line right after the headers of a bodiless request', () => {
    const t = lines('GET http://x.test/', 'Accept: */*', '', '###');
    const d = parseHttp(t);
    assert.deepEqual(completionContext(d, '', 2, 0), { kind: 'header-name', prefix: '', start: 0 });
  });

  it('completes the last item of a comma-separated header value', () => {
    const t = lines('GET http://x.test/', 'Accept: text/html, app');
    assert.deepEqual(completionContext(parseHttp(t), 'Accept: text/html, app', 1, 22), {
      kind: 'header-value',
      header: 'Accept',
      prefix: 'app',
      start: 19,
    });
  });

  it('finds references and named requests (by @name, then by a ### title)', () => {
    assert.equal(referenceAt(doc, 4, 7)?.expression, 'base');
    assert.equal(referenceAt(doc, 4, 20), undefined);
    assert.equal(namedRequest(doc, 'login')?.requestLine, 4);
    const titled = parseHttp(lines('### create_user', 'POST http://x.test/u'));
    assert.equal(namedRequest(titled, 'create_user')?.requestLine, 1);
  });

  it('warns about unknown variables, and not about known ones', () => {
    const d = parseHttp(
      lines(
        '@a = 1',
        'GET http://x.test/{{a}}/{{envVar}}/{{$guid}}/{{$nope}}/{{missing}}/{{other}}',
        '###',
        '# @name login',
        '# @prompt pw',
        'POST http://x.test/{{pw}}',
        'X: {{login.response.body.$.t}} {{ghost.response.body.$.t}} {{%a}}',
      ),
    );
    const diags = checkVariables(d, { environment: new Set(['envVar']), environmentName: 'dev', elsewhere: (n) => (n === 'other' ? ['prod'] : []) });
    assert.deepEqual(
      diags.map((x) => [x.line, x.column, x.message.slice(0, 40)]),
      [
        [1, 45, 'Unknown system variable {{$nope}}.'],
        [1, 55, 'Unknown variable {{missing}}: not a file'],
        [1, 67, '{{other}} is not defined in environment '],
        [6, 31, "No request named 'ghost' in this file (a"],
      ],
    );
    assert.ok(diags.every((x) => x.severity === 'warning'));
  });

  it('finds ```http fences in Markdown and shifts parsed lines to the Markdown document', () => {
    const md = lines(
      '# Readme',
      '',
      '```http',
      'GET http://x.test/a',
      '```',
      '',
      '```js',
      'GET http://not.http/',
      '```',
      '',
      '~~~rest',
      '@v = 1',
      'POST http://x.test/{{v}}',
      '',
      'body',
      '~~~',
      '```http',
      '```',
    );
    assert.deepEqual(httpFences(md), [
      { startLine: 3, endLine: 3 },
      { startLine: 11, endLine: 14 },
    ]);
    const d = parseMarkdownHttp(md);
    assert.deepEqual(
      d.requests.map((r) => [r.method, r.target, r.requestLine, r.bodyStartLine]),
      [
        ['GET', 'http://x.test/a', 3, null],
        ['POST', 'http://x.test/{{v}}', 12, 14],
      ],
    );
    assert.deepEqual(
      d.variables.map((v) => [v.name, v.line]),
      [['v', 11]],
    );
    assert.deepEqual(
      d.references.map((r) => r.line),
      [12],
    );
    assert.equal(d.lineCount, 18);
  });
});
