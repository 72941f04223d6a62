// Our JSON/XML pretty-printers and colouring tokenizer.
import * as assert from 'node:assert/strict';
import { bodyKind, extensionFor, languageFor, prettyJson, prettyXml, type Token } from '../../../src/view/tokenize';

const text = (tokens: Token[] | null): string => (tokens ?? []).map((t) => t.text).join('');
const kinds = (tokens: Token[] | null, kind: Token['kind']): string[] => (tokens ?? []).filter((t) => t.kind === kind).map((t) => t.text);

describe('panel/tokenize: JSON', () => {
  const samples = [
    '{"a":1,"b":[true,false,null],"c":{"d":"e\\"f"},"g":[],"h":{}}',
    '[1,-2.5,"x",{"k":[{}]}]',
    '"just a string"',
    '42',
    ' { "spaced" : [ 1 , 2 ] } ',
    '{"unicode":"😀 é","nested":[[[[1]]]]}',
  ];
  for (const s of samples) {
    it(`pretty-prints like JSON.stringify: ${s.slice(0, 30)}`, () => {
      assert.equal(text(prettyJson(s)), JSON.stringify(JSON.parse(s), null, 2));
    });
  }
  it('keeps numbers and escapes as written (it shows the response, it does not re-encode it)', () => {
    assert.equal(text(prettyJson('[-2.5e10,"\\u00e9"]')), '[\n  -2.5e10,\n  "\\u00e9"\n]');
  });
  it('tells keys from string values', () => {
    const t = prettyJson('{"name":"value","list":["item"]}');
    assert.deepEqual(kinds(t, 'key'), ['"name"', '"list"']);
    assert.deepEqual(kinds(t, 'string'), ['"value"', '"item"']);
  });
  it('keeps markup inside strings as plain token text', () => {
    const t = prettyJson('{"<img src=x onerror=alert(1)>":"<script>alert(1)</script>"}');
    assert.deepEqual(kinds(t, 'string'), ['"<script>alert(1)</script>"']);
    assert.deepEqual(kinds(t, 'key'), ['"<img src=x onerror=alert(1)>"']);
  });
  it('gives up on what is not JSON', () => {
    for (const bad of ['{"a":1', '{"a":1}}', '[1,2', 'hello', '{"a":1} trailing', '"unterminated', '']) {
      assert.equal(prettyJson(bad), null, bad);
    }
  });
  it('stays bounded', () => {
    const big = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ i })));
    assert.equal(prettyJson(big, '  ', 100), null);
    assert.ok(prettyJson(big));
  });
  it('merges neighbouring tokens of one kind (fewer DOM nodes)', () => {
    const t = prettyJson('[[[]]]') ?? [];
    for (let i = 1; i < t.length; i++) assert.notEqual(t[i].kind, t[i - 1].kind);
  });
});

describe('panel/tokenize: XML', () => {
  it('indents elements and keeps text-only elements on one line', () => {
    const t = prettyXml('<?xml version="1.0"?><root a="1"><item id=\'x\'>text</item><empty/><!-- c --></root>');
    assert.equal(text(t), '<?xml version="1.0"?>\n<root a="1">\n  <item id=\'x\'>text</item>\n  <empty/>\n  <!-- c -->\n</root>');
    assert.deepEqual(kinds(t, 'attr'), ['a', 'id']);
    assert.deepEqual(kinds(t, 'attrValue'), ['"1"', "'x'"]);
    assert.deepEqual(kinds(t, 'comment'), ['<!-- c -->']);
  });
  it('keeps CDATA whole', () => {
    const t = prettyXml('<a><![CDATA[<not a tag>]]></a>');
    assert.deepEqual(kinds(t, 'cdata'), ['<![CDATA[<not a tag>]]>']);
  });
  it('gives up on what does not scan as XML', () => {
    assert.equal(prettyXml('<a b="unterminated></a>'), null);
    assert.equal(prettyXml('plain text only'), null);
    assert.equal(prettyXml('<a><!-- never closed'), null);
  });
});

describe('panel/tokenize: body kinds', () => {
  it('chooses the view from the media type and the content', () => {
    assert.equal(bodyKind('application/json; charset=utf-8', 10, '{}'), 'json');
    assert.equal(bodyKind('application/problem+json', 10, '{}'), 'json');
    assert.equal(bodyKind('application/atom+xml', 10, '<a/>'), 'xml');
    assert.equal(bodyKind('text/html', 10, '<p>'), 'html');
    assert.equal(bodyKind('image/png', 10, null), 'image');
    assert.equal(bodyKind('application/octet-stream', 10, null), 'binary');
    assert.equal(bodyKind(null, 10, '[1]'), 'json');
    assert.equal(bodyKind('text/plain', 0, ''), 'empty');
  });
  it('never treats SVG as an image to show (it can carry script)', () => {
    assert.notEqual(bodyKind('image/svg+xml', 10, '<svg/>'), 'image');
    assert.equal(bodyKind('image/svg+xml', 10, '<svg/>'), 'xml');
  });
  it('maps kinds to language ids and file extensions', () => {
    assert.equal(languageFor('json', 'application/json'), 'json');
    assert.equal(languageFor('text', 'text/css'), 'css');
    assert.equal(languageFor('text', 'text/plain'), 'plaintext');
    assert.equal(extensionFor('image', 'image/png'), 'png');
    assert.equal(extensionFor('binary', 'application/octet-stream'), 'bin');
  });
});
