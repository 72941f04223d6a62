// The words for a running request's phase, shared by the panel and the status bar.
import type { Progress } from '../shared/exchange';
import { formatBytes } from './units';

const PHASE_WORDS: Record<Progress['phase'], string> = {
  resolving: 'resolving variables',
  dns: 'looking up the host',
  connecting: 'connecting',
  tls: 'TLS handshake',
  sending: 'sending',
  waiting: 'waiting for first byte',
  downloading: 'downloading',
  redirecting: 'following redirect',
  done: 'done',
};

export function describeProgress(p: Progress): string {
  const words = PHASE_WORDS[p.phase] ?? String(p.phase);
  if (p.phase !== 'downloading') return words;
  if (p.total !== null && p.total > 0) {
    const pct = Math.min(100, Math.floor((p.bytes / p.total) * 100));
    return `${words} ${formatBytes(p.bytes)} of ${formatBytes(p.total)} (${pct}%)`;
  }
  return `${words} ${formatBytes(p.bytes)}`;
}

export function formatElapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
