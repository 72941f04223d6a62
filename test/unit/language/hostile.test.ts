// Hostile input: the parser never throws and stays bounded (no timing assertions; the bench measures speed).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseHttp, resolveRequest } from '../../../src/language';

describe('language: hostile input', () => {
  it('survives binary garbage', () => {
    const garbage = randomBytes(256 * 1024).toString('latin1');
    const doc = parseHttp(garbage);
    assert.ok(Array.isArray(doc.requests));
    assert.ok(doc.diagnostics.length <= 1001);
    const utf8 = parseHttp(randomBytes(256 * 1024).toString('utf8'));
    assert.ok(utf8.diagnostics.length <= 1001);
  });

  it('parses a 10 MB file', () => {
    const one = '### item\nPOST https://example.test/items?x={{x}}\nContent-Type: application/json\n\n{"name": "a", "n": 1}\n\n';
    const text = one.repeat(Math.ceil((10 * 1024 * 1024) / one.length));
    const doc = parseHttp(text);
    assert.equal(doc.requests.length, Math.ceil((10 * 1024 * 1024) / one.length));
    assert.deepEqual(doc.diagnostics, []);
  });

  it('parses huge lines (request line, header, body, {{ runs) whole, without diagnostics or a crash', () => {
    const big = 'a'.repeat(2 * 1024 * 1024);
    assert.equal(parseHttp(`GET http://x.test/${big}`).requests[0].target.length, 2 * 1024 * 1024 + 14);
    assert.equal(parseHttp(`GET http://x.test/\nX: ${big}`).requests[0].headers[0].value.length, big.length);
    assert.equal(parseHttp(`${' '.repeat(1_000_000)}x`).requests.length, 0);
    assert.equal(parseHttp(`${'a.'.repeat(500_000)}!`).requests.length, 0);
    const braces = parseHttp(`GET http://x.test/${'{{'.repeat(500_000)}`);
    assert.equal(braces.requests.length, 1);
    assert.ok(braces.diagnostics.length <= 2);
    assert.equal(parseHttp(`@${'v'.repeat(1_000_000)} = 1`).variables.length, 0);
    assert.ok(parseHttp(`# @${'k'.repeat(1_000_000)} ${'v'.repeat(1000)}\nGET http://x.test/`).requests.length === 1);
    assert.equal(parseHttp(`POST http://x.test/\n\n${'<@'.repeat(100_000)}`).requests.length, 1);
  });

  it('bounds diagnostics for many broken lines', () => {
    const doc = parseHttp('GET http://x.test/\n' + 'not a header\n'.repeat(50_000));
    assert.equal(doc.diagnostics.length, 1001);
  });

  it('resolves an unterminated variable to an error, not a throw', async () => {
    const doc = parseHttp('GET http://x.test/{{oops');
    const r = await resolveRequest(doc, doc.requests[0]);
    assert.equal(r.request, null);
    assert.match(r.errors[0].message, /Unterminated/);
  });

  it('accepts non-string input without throwing', () => {
    assert.doesNotThrow(() => parseHttp(undefined as unknown as string));
    assert.doesNotThrow(() => parseHttp(12 as unknown as string));
  });
});
