// The accessor module: headers by name, the request's head and body from request.headSize, whether it was sent.
import * as assert from 'node:assert/strict';
import {
  headerList,
  headerValue,
  headerValues,
  requestBody,
  requestBodyText,
  requestHead,
  requestHeadSize,
  requestWasSent,
} from '../../../src/shared/access';
import type { ExchangeRequest, H2Frame } from '../../../src/shared/exchange';

function request(raw: string, headSize?: number): ExchangeRequest {
  return {
    method: 'POST',
    url: 'http://127.0.0.1:1/',
    httpVersion: 'HTTP/1.1',
    headers: [],
    rawBase64: Buffer.from(raw, 'latin1').toString('base64'),
    headSize,
  };
}

describe('shared/access: what the layers look up in an exchange', () => {
  it('finds headers by name whatever their case, first, all or as one list', () => {
    const h: [string, string][] = [
      ['Set-Cookie', 'a=1'],
      ['content-type', 'text/plain'],
      ['SET-COOKIE', 'b=2'],
    ];
    assert.equal(headerValue(h, 'Content-Type'), 'text/plain');
    assert.equal(headerValue(h, 'location'), null);
    assert.deepEqual(headerValues(h, 'set-cookie'), ['a=1', 'b=2']);
    assert.equal(headerList(h, 'Set-Cookie'), 'a=1, b=2');
    assert.equal(headerList(h, 'vary'), null);
  });

  it('splits the request at request.headSize, even when the body itself holds a blank line', () => {
    const head = 'POST / HTTP/1.1\r\nHost: x\r\n\r\n';
    const body = 'part one\r\n\r\npart two';
    const req = request(head + body, head.length);
    assert.equal(requestHeadSize(req), head.length);
    assert.equal(Buffer.from(requestHead(req)).toString('latin1'), head);
    assert.equal(requestBodyText(req), body);
    // A head containing what looks like a blank line cannot exist, but a record from the engine is believed over a scan.
    const odd = request('GET / HTTP/1.1\r\n\r\nX: y\r\n\r\n', 'GET / HTTP/1.1\r\n\r\nX: y\r\n\r\n'.length);
    assert.equal(requestBody(odd).length, 0);
  });

  it('falls back to the blank line for a record saved before headSize existed', () => {
    const req = request('POST / HTTP/1.1\r\nHost: x\r\n\r\na=1');
    assert.equal(requestHeadSize(req), 'POST / HTTP/1.1\r\nHost: x\r\n\r\n'.length);
    assert.equal(requestBodyText(req), 'a=1');
    assert.equal(requestBody(request('GET / HTTP/1.1\r\nHost: x')).length, 0, 'a head without its end has no body');
  });

  it('reads an HTTP/2 body from the payload of the sent DATA frames, padding left out', () => {
    const frame = (type: number, flags: number, payload: Buffer): Buffer => {
      const h = Buffer.alloc(9);
      h.writeUIntBE(payload.length, 0, 3);
      h[3] = type;
      h[4] = flags;
      h.writeUInt32BE(1, 5);
      return Buffer.concat([h, payload]);
    };
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
    const headers = frame(1, 0x4, Buffer.from([0x83, 0x84]));
    const data1 = frame(0, 0, Buffer.from('a=1\r\n\r\n'));
    const data2 = frame(0, 0x8 | 0x1, Buffer.concat([Buffer.from([2]), Buffer.from('&b'), Buffer.alloc(2)]));
    const raw = Buffer.concat([preface, headers, data1, data2]);
    const req: ExchangeRequest = {
      method: 'POST',
      url: 'http://127.0.0.1:1/',
      httpVersion: 'HTTP/2',
      headers: [],
      rawBase64: raw.toString('base64'),
    };
    const f = (type: string, flags: number, offset: number, length: number): H2Frame => ({
      direction: 'sent',
      type,
      typeCode: type === 'DATA' ? 0 : 1,
      stream: 1,
      flags,
      flagNames: [],
      length,
      time: 0,
      offset,
      summary: '',
    });
    let at = preface.length;
    const frames = [f('HEADERS', 0x4, at, 2), f('DATA', 0, (at += headers.length), 7), f('DATA', 0x9, (at += data1.length), 5)];
    assert.equal(requestBodyText(req, frames), 'a=1\r\n\r\n&b');
    assert.equal(requestBody(req, []).length, 0, 'no DATA frame, no body');
    assert.equal(
      requestBody({ ...req, rawBase64: raw.subarray(0, raw.length - 3).toString('base64') }, frames).length,
      7,
      'a frame the record cut is left out',
    );
  });

  it('says a request was not sent when the exchange failed before the socket carried it', () => {
    assert.equal(requestWasSent({ error: null }), true);
    for (const phase of ['resolve', 'dns', 'connect', 'tls'] as const)
      assert.equal(requestWasSent({ error: { code: 'ETIMEDOUT', message: '', phase } }), false, phase);
    for (const phase of ['send', 'wait', 'headers', 'body'] as const)
      assert.equal(requestWasSent({ error: { code: 'ECONNRESET', message: '', phase } }), true, phase);
  });
});
