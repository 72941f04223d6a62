// Structured Field Values (RFC 9651): valid and invalid inputs for every type.
import * as assert from 'node:assert/strict';
import { bareValue, isInnerList, parseSfDictionary, parseSfItem, parseSfList, type BareItem } from '../../../src/annotate/parse/structured';

function item(s: string): BareItem {
  const r = parseSfItem(s);
  assert.ok(r.ok, `${s}: ${r.ok ? '' : r.error}`);
  return r.value.item;
}

function bad(kind: 'item' | 'list' | 'dict', s: string): void {
  const r = kind === 'item' ? parseSfItem(s) : kind === 'list' ? parseSfList(s) : parseSfDictionary(s);
  assert.equal(r.ok, false, `expected "${s}" to fail as ${kind}`);
}

describe('annotate/parse: structured fields', () => {
  it('parses integers and decimals within their limits', () => {
    assert.deepEqual(item('42'), { type: 'integer', value: 42 });
    assert.deepEqual(item('-42'), { type: 'integer', value: -42 });
    assert.deepEqual(item('999999999999999'), { type: 'integer', value: 999999999999999 });
    assert.deepEqual(item('1.5'), { type: 'decimal', value: 1.5 });
    assert.deepEqual(item('-0.125'), { type: 'decimal', value: -0.125 });
    for (const s of ['1000000000000000', '1.', '1.2345', '1234567890123.0', '-', '- 1', '--1']) bad('item', s);
  });

  it('parses strings with escapes and rejects bad ones', () => {
    assert.deepEqual(item('"hello \\"world\\""'), { type: 'string', value: 'hello "world"' });
    assert.deepEqual(item('"a\\\\b"'), { type: 'string', value: 'a\\b' });
    for (const s of ['"unterminated', '"bad \\n escape"', '"tab\there"']) bad('item', s);
  });

  it('parses tokens, byte sequences, booleans, dates and display strings', () => {
    assert.deepEqual(item('foo123/456'), { type: 'token', value: 'foo123/456' });
    assert.deepEqual(item('*foo'), { type: 'token', value: '*foo' });
    const b = item(':cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:');
    assert.equal(b.type, 'binary');
    assert.equal(Buffer.from(b.type === 'binary' ? b.value : new Uint8Array()).toString(), 'pretend this is binary content.');
    assert.deepEqual(item('?1'), { type: 'boolean', value: true });
    assert.deepEqual(item('?0'), { type: 'boolean', value: false });
    assert.deepEqual(item('@1659578233'), { type: 'date', value: 1659578233 });
    assert.deepEqual(item('%"f%c3%bc%c3%bc"'), { type: 'displaystring', value: 'füü' });
    for (const s of [':not base64!:', ':abc', '?2', '?', '@1.5', '%"%C3%BC"', '%"%c3"', '%foo', '(']) bad('item', s);
  });

  it('parses parameters on items and keeps the last value of a repeated key', () => {
    const r = parseSfItem('abc;a=1;b=2;a=3;c');
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.params.map(([k, v]) => [k, bareValue(v)]),
      [
        ['a', 3],
        ['b', 2],
        ['c', true],
      ],
    );
    bad('item', 'abc;A=1');
    bad('item', 'abc;=1');
  });

  it('parses lists with inner lists', () => {
    const r = parseSfList('sugar, tea, rum');
    assert.ok(r.ok);
    assert.equal(r.value.length, 3);
    const inner = parseSfList('("foo" "bar");lvl=5, ("baz"), ()');
    assert.ok(inner.ok);
    const first = inner.value[0];
    assert.ok(isInnerList(first));
    assert.equal(first.inner.length, 2);
    assert.deepEqual(
      first.params.map(([k]) => k),
      ['lvl'],
    );
    assert.ok(parseSfList('').ok, 'an empty list is valid');
    for (const s of ['a,', 'a,,b', 'a b', '("foo"', '("foo""bar")', 'a, ']) bad('list', s);
  });

  it('parses dictionaries, boolean members and overrides', () => {
    const r = parseSfDictionary('en="Applepie", da=:w4ZibGV0w6ZydGU=:, flag, u=5;x');
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.map(([k]) => k),
      ['en', 'da', 'flag', 'u'],
    );
    const flag = r.value[2][1];
    assert.ok(!isInnerList(flag) && flag.item.type === 'boolean' && flag.item.value === true);
    const dup = parseSfDictionary('a=1, b=2, a=3');
    assert.ok(dup.ok);
    assert.deepEqual(
      dup.value.map(([k, v]) => [k, !isInnerList(v) && bareValue(v.item)]),
      [
        ['a', 3],
        ['b', 2],
      ],
    );
    const pp = parseSfDictionary('geolocation=(), camera=(self "https://a.example")');
    assert.ok(pp.ok);
    for (const s of ['A=1', 'a=1,', 'a=1 b=2', '=1', 'a=1,,b=2']) bad('dict', s);
  });

  it('trims surrounding spaces but rejects non-ASCII and trailing garbage', () => {
    assert.ok(parseSfItem('  1  ').ok);
    bad('item', '1 2');
    bad('item', '"café"');
    bad('item', '');
  });
});
