// Human-readable sizes, durations and status classes. Shared by the host and the webview (no DOM, no vscode).

/** Decimal units, as most HTTP tools print them: 1 kB = 1000 bytes. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

// The chain's total time is shared with the CLI and the status bar.
export { chainTotalMs } from '../shared/timing';

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other';

export function statusClass(status: number): StatusClass {
  const c = Math.floor(status / 100);
  return c >= 1 && c <= 5 ? (`${c}xx` as StatusClass) : 'other';
}

/** `host:port` with IPv6 addresses bracketed. */
export function hostPort(address: string | null | undefined, port: number | null | undefined): string {
  if (!address) return '—';
  const a = address.includes(':') ? `[${address}]` : address;
  return port === null || port === undefined ? a : `${a}:${port}`;
}
