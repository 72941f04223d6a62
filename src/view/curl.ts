// Copy as cURL: a POSIX-shell command line that repeats the request as it was sent.
import type { HeaderPair } from '../shared/exchange';

export interface CurlInput {
  method: string;
  url: string;
  headers: HeaderPair[];
  body: Uint8Array | null;
  insecure?: boolean;
  /** Follow redirects (`--location`), as the exchange did. */
  location?: boolean;
  /** The body is this file, streamed as is (`--data-binary @file`), instead of `body`. */
  bodyFile?: string;
  /** Keep curl from labelling a body that has no Content-Type (`-H 'Content-Type:'`), for round trips. */
  noDefaultContentType?: boolean;
}

/** Single-quoted for POSIX shells; bytes outside printable ASCII use bash's $'…' form so nothing is lost. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(s)) return s;
  if (/^[\x20-\x7e\n\t]*$/.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  return ansiC(new TextEncoder().encode(s));
}

function ansiC(bytes: Uint8Array): string {
  let out = "$'";
  for (const b of bytes) {
    if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

function isPlainUtf8(bytes: Uint8Array): string | null {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s) ? null : s;
  } catch {
    return null;
  }
}

// curl computes these itself; repeating them could contradict what it sends.
const SKIP = new Set(['content-length', 'transfer-encoding']);

export function toCurl(req: CurlInput): string {
  const first: string[] = ['curl', '--http1.1'];
  const hasBody = (req.body !== null && req.body.length > 0) || req.bodyFile !== undefined;
  if (!(req.method === 'GET' && !hasBody) && !(req.method === 'POST' && hasBody)) first.push('-X', shellQuote(req.method));
  first.push(shellQuote(req.url));
  // One option per line keeps long requests readable.
  const lines: string[] = [first.join(' ')];
  let host: string | null = null;
  try {
    host = new URL(req.url).host;
  } catch {
    host = null;
  }
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (SKIP.has(lower)) continue;
    if (lower === 'host' && value === host) continue;
    // `-H 'Name;'` is curl's way to send a header with an empty value.
    lines.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  // curl labels a -d / --data-binary body x-www-form-urlencoded unless told otherwise: `-H 'Content-Type:'` keeps
  // a request that wrote none without one.
  if (req.noDefaultContentType && hasBody && !req.headers.some(([n]) => n.toLowerCase() === 'content-type')) lines.push("-H 'Content-Type:'");
  if (req.bodyFile !== undefined) lines.push(`--data-binary ${shellQuote(`@${req.bodyFile}`)}`);
  else if (hasBody && req.body) {
    const text = isPlainUtf8(req.body);
    lines.push(`--data-binary ${text !== null ? shellQuote(text) : ansiC(req.body)}`);
  }
  if (req.location) lines.push('--location');
  if (req.insecure) lines.push('--insecure');
  return lines.join(' \\\n  ');
}
