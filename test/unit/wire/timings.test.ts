// hopTimings: the phase durations from the instants marked during a hop.
import * as assert from 'node:assert/strict';
import { hopTimings } from '../../../src/wire/timings';

describe('wire/timings: phase durations from the marks of a hop', () => {
  it('spans each phase from the end of the one before (DNS, TCP, TLS, send, wait, download)', () => {
    assert.deepEqual(hopTimings({ start: 100, dnsStart: 101, dnsEnd: 105, tcpEnd: 110, tlsEnd: 130, sendEnd: 131, firstByte: 181, end: 200 }), {
      dns: 4,
      connect: 5,
      tls: 20,
      send: 1,
      firstByte: 50,
      download: 19,
      total: 100,
    });
  });

  it('leaves out what did not happen: no DNS for a literal address, no TLS for http, nothing after a refused connect', () => {
    assert.deepEqual(hopTimings({ start: 0, tcpEnd: 3, sendEnd: 4, firstByte: 10, end: 12 }), {
      dns: null,
      connect: 3,
      tls: null,
      send: 1,
      firstByte: 6,
      download: 2,
      total: 12,
    });
    assert.deepEqual(hopTimings({ start: 0, dnsStart: 0, dnsEnd: 2, end: 7 }), {
      dns: 2,
      connect: null,
      tls: null,
      send: null,
      firstByte: null,
      download: null,
      total: 7,
    });
  });

  it('counts an answer that arrives before the request is fully written as no wait, not a negative one', () => {
    const t = hopTimings({ start: 0, tcpEnd: 1, firstByte: 5, sendEnd: 9, end: 10 });
    assert.equal(t.firstByte, 0);
    assert.equal(t.download, 5);
  });
});
