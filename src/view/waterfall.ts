// The timing waterfall: each phase placed after the ones before it, as offsets from the start.
import type { Timings } from '../shared/exchange';

export type WaterfallPhase = 'dns' | 'connect' | 'tls' | 'send' | 'wait' | 'download';

export interface WaterfallBar {
  phase: WaterfallPhase;
  label: string;
  start: number;
  duration: number;
}

export interface Waterfall {
  bars: WaterfallBar[];
  /** The scale's end: the total time, or the sum of the phases when larger or unknown. */
  total: number;
}

const PHASES: [WaterfallPhase, keyof Timings, string][] = [
  ['dns', 'dns', 'DNS lookup'],
  ['connect', 'connect', 'TCP connect'],
  ['tls', 'tls', 'TLS handshake'],
  ['send', 'send', 'Request sent'],
  ['wait', 'firstByte', 'Waiting (TTFB)'],
  ['download', 'download', 'Content download'],
];

export function waterfall(t: Timings): Waterfall {
  const bars: WaterfallBar[] = [];
  let at = 0;
  for (const row of PHASES) {
    const phase = row[0];
    const label = row[2];
    const d = t[row[1]];
    if (d === null || d === undefined || !Number.isFinite(d) || d < 0) continue;
    bars.push({ phase, label, start: at, duration: d });
    at += d;
  }
  // No first byte (a timeout, a cancel, a reset while waiting): the time since the request went out was waiting too.
  if ((t.firstByte === null || t.firstByte === undefined) && t.send !== null && t.send !== undefined && (t.total ?? 0) > at) {
    bars.push({ phase: 'wait', label: 'Waiting (no response)', start: at, duration: (t.total ?? 0) - at });
    at = t.total ?? at;
  }
  const total = Math.max(at, t.total ?? 0);
  return { bars, total };
}

/**
 * A bar's first column and length in a text waterfall `width` columns wide (the terminal's): at least one column,
 * so a zero-length phase still shows, and never past the scale's end.
 */
export function barColumns(bar: WaterfallBar, total: number, width: number): { start: number; length: number } {
  if (total <= 0 || width <= 0) return { start: 0, length: 0 };
  const start = Math.min(width - 1, Math.round((bar.start / total) * width));
  const length = Math.max(1, Math.min(Math.round((bar.duration / total) * width), width - start));
  return { start, length };
}

/** A bar's left offset and width as percentages of the scale (a zero-length phase still shows a hairline). */
export function barGeometry(bar: WaterfallBar, total: number): { left: number; width: number } {
  if (total <= 0) return { left: 0, width: 0 };
  const left = (bar.start / total) * 100;
  const width = Math.max((bar.duration / total) * 100, 0.3);
  return { left: Math.min(left, 100), width: Math.min(width, 100 - Math.min(left, 99.7)) };
}
