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
  const ready = m.tlsEnd ?? m.tcpEnd ?? m.reusedAt;
  return {
    dns: m.dnsEnd !== undefined && m.dnsStart !== undefined ? m.dnsEnd - m.dnsStart : null,
    connect: m.tcpEnd !== undefined ? m.tcpEnd - (m.dnsEnd ?? m.start) : null,
    tls: m.tlsEnd !== undefined && m.tcpEnd !== undefined ? m.tlsEnd - m.tcpEnd : null,
    send: m.sendEnd !== undefined && ready !== undefined ? m.sendEnd - ready : null,
    // A server may answer before the request is fully written: that is 0 ms of waiting, not a negative one.
    firstByte: m.firstByte !== undefined && m.sendEnd !== undefined ? Math.max(0, m.firstByte - m.sendEnd) : null,
    download: m.firstByte !== undefined ? m.end - m.firstByte : null,
    total: m.end - m.start,
  };
}
