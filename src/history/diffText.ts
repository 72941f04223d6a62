// The text of an exchange for comparing two in a diff editor: request line, status line, headers, the body
// pretty-printed (JSON re-indented, so a reordered-whitespace body does not light up every line), connection and
// timings. Lines that always differ (dates of sending, ids) are left out so the diff shows what changed.
import type { Exchange } from '../shared/exchange';
import { chainTotalMs } from '../shared/timing';
import { formatBytes, formatMs } from '../view/units';

/** Longest body text written (characters); the rest is counted. */
const MAX_BODY_CHARS = 256 * 1024;

function prettyBody(ex: Exchange): string[] {
  const r = ex.response;
  if (!r) return [];
  const b = r.body;
  if (b.text === null) return b.size > 0 ? [`(${formatBytes(b.size)} of binary body)`, `base64 start: ${b.base64.slice(0, 120)}`] : [];
  let text = b.text;
  const type = r.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON after all: as received
    }
  }
  const lines = (text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text).split(/\r?\n/);
  if (text.length > MAX_BODY_CHARS) lines.push(`… ${text.length - MAX_BODY_CHARS} more characters`);
  if (b.truncated) lines.push('(the body was cut: only its start was kept)');
  return lines;
}

function hop(ex: Exchange, out: string[]): void {
  out.push(`${ex.request.method} ${ex.request.url} ${ex.request.httpVersion}`);
  for (const [n, v] of ex.request.headers) out.push(`${n}: ${v}`);
  out.push('');
  const r = ex.response;
  if (r) {
    out.push(`HTTP/${r.httpVersion} ${r.status} ${r.reason}`);
    for (const [n, v] of r.headers) out.push(`${n}: ${v}`);
    for (const [n, v] of r.trailers) out.push(`(trailer) ${n}: ${v}`);
  } else out.push('(no response)');
  if (ex.error) out.push(`error: ${ex.error.code} during ${ex.error.phase}: ${ex.error.message}`);
}

export function exchangeDiffText(ex: Exchange): string {
  const out: string[] = [];
  for (const h of ex.redirects) {
    out.push('# redirect hop');
    hop(h, out);
    out.push('');
  }
  hop(ex, out);
  const body = prettyBody(ex);
  if (body.length > 0) out.push('', ...body);
  out.push('', '# connection');
  const c = ex.connection;
  if (c) {
    out.push(`remote: ${c.remoteAddress ?? '—'} port ${c.remotePort ?? '—'} (${c.family ?? '—'})`);
    out.push(`socket: ${c.reused ? 'reused' : 'new'}`);
    if (c.proxy) out.push(`proxy: ${c.proxy.url} (${c.proxy.mode}) to ${c.proxy.target}`);
    if (c.tls)
      out.push(
        `tls: ${c.tls.protocol ?? '—'} ${c.tls.cipher ?? ''} alpn ${c.tls.alpn ?? 'none'}${c.tls.resumed ? ' resumed' : ''}; certificate ${c.tls.authorized ? 'verified' : `not verified (${c.tls.authorizationError ?? '?'})`}`,
      );
  } else out.push('(no connection)');
  out.push('', '# timings');
  const t = ex.timings;
  for (const k of ['dns', 'connect', 'tls', 'send', 'firstByte', 'download', 'total'] as const) out.push(`${k.padEnd(9)} ${formatMs(t[k])}`);
  if (ex.redirects.length > 0) out.push(`${'chain'.padEnd(9)} ${formatMs(chainTotalMs(ex))}`);
  if (ex.response) out.push(`${'size'.padEnd(9)} ${formatBytes(ex.response.body.size)}`);
  return `${out.join('\n')}\n`;
}
