// The phase durations of one hop from the instants the engine marked: a pure function, so the arithmetic (what
// each phase spans, which are null) is tested without sockets or clocks.
import type { Timings } from '../shared/exchange';
import type { ConnectMarks } from './connect';

/** The instants of one hop (performance.now() values); undefined for what did not happen. */
export interface HopMarks extends ConnectMarks {
  /** The hop started (resolving the request). */
  start: number;
  /** A reused connection was taken from the pool (no DNS, TCP or TLS marks then). */
  reusedAt?: number;
  /** The last request byte was handed to the kernel. */
  sendEnd?: number;
  /** The first response byte arrived. */
  firstByte?: number;
  /** The hop ended (success or failure). */
  end: number;
}

export function hopTimings(m: HopMarks): Timings {
  return phaseTimings(m, m.start, m.reusedAt, m.sendEnd, m.firstByte, m.end);
}

/** hopTimings with the hop's own instants beside the connection's marks: no merged object on every request. */
export function phaseTimings(
  m: ConnectMarks,
  start: number,
  reusedAt: number | undefined,
  sendEnd: number | undefined,
  firstByte: number | undefined,
  end: number,
): Timings {
  const ready = m.tlsEnd ?? m.tcpEnd ?? reusedAt;
  return {
    dns: m.dnsEnd !== undefined && m.dnsStart !== undefined ? m.dnsEnd - m.dnsStart : null,
    connect: m.tcpEnd !== undefined ? m.tcpEnd - (m.dnsEnd ?? start) : null,
    tls: m.tlsEnd !== undefined && m.tcpEnd !== undefined ? m.tlsEnd - m.tcpEnd : null,
    send: sendEnd !== undefined && ready !== undefined ? sendEnd - ready : null,
    // A server may answer before the request is fully written: that is 0 ms of waiting, not a negative one.
    firstByte: firstByte !== undefined && sendEnd !== undefined ? Math.max(0, firstByte - sendEnd) : null,
    download: firstByte !== undefined ? end - firstByte : null,
    total: end - start,
  };
}
