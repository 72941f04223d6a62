// Save Exchange (.http response file) and Copy Response.
import * as assert from 'node:assert/strict';
import { exchangeToHttpFile, responseAsText } from '../../../src/view/httpFile';
import { parseHttp } from '../../../src/language';
import { makeExchange } from './exchangeFixture';

describe('panel/httpFile', () => {
  it('writes the request so it can be sent again, and the response as comments', () => {
    const ex = makeExchange({
      method: 'POST',
      url: 'http://127.0.0.1:8080/echo',
      requestHeaders: [
        ['Content-Type', 'application/json'],
        ['X-Token', 'hunter22'],
      ],
      requestBody: '{"a":1}',
    });
    const file = exchangeToHttpFile(ex, { secrets: ['hunter22'] });
    assert.ok(!file.includes('hunter22'));
    assert.match(file, /^POST http:\/\/127\.0\.0\.1:8080\/echo HTTP\/1\.1$/m);
    assert.match(file, /^# HTTP\/1\.1 200 OK$/m);
    assert.match(file, /^# \{"ok":true\}$/m);
    const doc = parseHttp(file);
    assert.equal(doc.requests.length, 1, 'one request block');
    assert.equal(doc.requests[0].method, 'POST');
  });
  it('gives the total time of a redirect chain over every hop', () => {
    const hop = makeExchange({ url: 'http://127.0.0.1:8080/redirect/1' });
    hop.timings = { ...hop.timings, total: 300 };
    const ex = makeExchange({ url: 'http://127.0.0.1:8080/echo' });
    ex.redirects = [hop];
    ex.timings = { ...ex.timings, total: 20 };
    assert.match(exchangeToHttpFile(ex), /^# total: 320 ms \(2 hops\)$/m);
    assert.match(exchangeToHttpFile(makeExchange()), /^# total: 6 ms$/m);
  });
  it('writes the request as written (the first hop) for a redirected exchange, the hops as comments', () => {
    const first = makeExchange({
      method: 'POST',
      url: 'http://127.0.0.1:8080/redirect/1',
      requestBody: '{"a":1}',
      requestHeaders: [['Content-Type', 'application/json']],
    });
    const ex = makeExchange({ url: 'http://127.0.0.1:8080/echo' });
    ex.redirects = [first];
    const file = exchangeToHttpFile(ex);
    assert.match(file, /^# redirect: POST http:\/\/127\.0\.0\.1:8080\/redirect\/1 → 200 OK$/m);
    assert.match(file, /^# final: GET http:\/\/127\.0\.0\.1:8080\/echo$/m);
    const doc = parseHttp(file);
    assert.equal(doc.requests.length, 1);
    assert.equal(doc.requests[0].method, 'POST');
    assert.equal(doc.requests[0].target, 'http://127.0.0.1:8080/redirect/1');
    assert.equal(doc.requests[0].body, '{"a":1}');
  });
  it('notes binary bodies and errors instead of writing bytes', () => {
    const ex = makeExchange({ headers: [['Content-Type', 'image/png']], body: Buffer.from([0x89, 0x50]), text: null });
    ex.error = { code: 'ECONNRESET', message: 'reset', phase: 'body' };
    const file = exchangeToHttpFile(ex);
    assert.match(file, /2 bytes of binary body not written/);
    assert.match(file, /# error: ECONNRESET during body/);
  });
  it('copies the response as an HTTP message', () => {
    assert.equal(responseAsText(makeExchange()), 'HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 11\n\n{"ok":true}');
  });
});
