// Save Exchange: the request in .http syntax (so the file can be sent again), then the response as received,
// as comment lines so the file stays a valid .http document.
import type { Exchange } from '../shared/exchange';
import { requestBody } from '../shared/access';
import { maskSecrets } from './mask';
import { chainTotalMs } from './units';

export interface HttpFileOptions {
  secrets?: readonly string[];
  /** Most body characters written for the request and for the response. */
  maxBodyChars?: number;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function requestBodyOf(ex: Exchange): string | null {
  const body = requestBody(ex.request, ex.frames);
  if (body.length === 0) return null;
  const text = decodeUtf8(body);
  return text ?? `# (${body.length} bytes of binary body not written)`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters not saved)`;
}

export function exchangeToHttpFile(ex: Exchange, opts: HttpFileOptions = {}): string {
  const max = opts.maxBodyChars ?? 1024 * 1024;
  const mask = (s: string): string => maskSecrets(s, opts.secrets);
  const lines: string[] = [];
  lines.push(`# Saved by Wire Lens${ex.startedAt ? ` — sent ${ex.startedAt}` : ''}`);
  for (const hop of ex.redirects) {
    const st = hop.response ? `${hop.response.status} ${hop.response.reason}` : (hop.error?.code ?? '');
    lines.push(`# redirect: ${hop.request.method} ${mask(hop.request.url)} → ${st}`);
  }
  if (ex.redirects.length) lines.push(`# final: ${ex.request.method} ${mask(ex.request.url)}`);
  // The runnable request is the one as written (the first hop), so sending the file again repeats it.
  const sent = (ex.redirects[0] ?? ex).request;
  lines.push(`${sent.method} ${mask(sent.url)} ${sent.httpVersion.startsWith('HTTP/') ? sent.httpVersion : `HTTP/${sent.httpVersion}`}`);
  for (const [n, v] of sent.headers) lines.push(`${n}: ${mask(v)}`);
  const body = requestBodyOf(ex.redirects[0] ?? ex);
  if (body !== null) {
    lines.push('');
    lines.push(cut(mask(body), max));
  }
  lines.push('');
  lines.push('# --- response ---');
  const r = ex.response;
  const comment = (s: string): string =>
    s
      .split(/\r?\n/)
      .map((l) => `# ${l}`.trimEnd())
      .join('\n');
  if (r) {
    lines.push(comment(`HTTP/${r.httpVersion} ${r.status} ${r.reason}`));
    for (const [n, v] of r.headers) lines.push(comment(`${n}: ${v}`));
    lines.push('#');
    if (r.body.text !== null) lines.push(comment(cut(r.body.text, max)));
    else if (r.body.size > 0) lines.push(`# (${r.body.size} bytes of binary body not written; use Save Body)`);
    if (r.body.truncated) lines.push('# (the body was cut at the size limit)');
    for (const [n, v] of r.trailers) lines.push(comment(`${n}: ${v}`));
  }
  if (ex.error) lines.push(`# error: ${ex.error.code} during ${ex.error.phase}: ${ex.error.message}`);
  // Redirects included, as the panel's summary shows it.
  const total = chainTotalMs(ex);
  lines.push(`# total: ${total === null ? '—' : `${Math.round(total)} ms`}${ex.redirects.length ? ` (${ex.redirects.length + 1} hops)` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Copy Response: the response as an HTTP message (status line, headers, blank line, body text). */
export function responseAsText(ex: Exchange): string {
  const r = ex.response;
  if (!r) return ex.error ? `${ex.error.code}: ${ex.error.message}` : '';
  const head = [`HTTP/${r.httpVersion} ${r.status} ${r.reason}`, ...r.headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
  const body = r.body.text ?? (r.body.size > 0 ? `(${r.body.size} bytes of binary body)` : '');
  return `${head}\n\n${body}`;
}
