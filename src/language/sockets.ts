// Socket blocks: `TCP host:port`, `TLS host:port`, `UDP host:port`, JetBrains `WEBSOCKET ws://…` and httpyac
// `WS …`. The block's body is a list of messages separated by `===` lines (`=== wait-for-server` waits for the
// server first, the JetBrains WebSocket form). Raw socket messages take the escapes \r \n \t \0 \xHH \\ and join
// their lines with LF (CRLF with `# @crlf`). Every check here is shared by the parser (diagnostics) and the
// resolver (refusal before a socket opens), so a malformed block is never sent.
import type { SocketKind, UntilRule } from '../shared/request';

export const SOCKET_METHODS: Readonly<Record<string, SocketKind>> = {
  TCP: 'tcp',
  TLS: 'tls',
  UDP: 'udp',
  WEBSOCKET: 'websocket',
  WS: 'websocket',
  WSS: 'websocket',
};

/** The socket kind a request line's method names, or null for HTTP. Case-sensitive, like the tools it follows. */
export function socketKindOf(method: string): SocketKind | null {
  return Object.prototype.hasOwnProperty.call(SOCKET_METHODS, method) ? SOCKET_METHODS[method] : null;
}

/** A step as written: a message's lines, or a wait for the server. */
export type SocketStepDraft = { kind: 'send'; /** The message's lines, unjoined. */ lines: string[]; line: number } | { kind: 'wait'; line: number };

export interface SocketBlock {
  kind: SocketKind;
  steps: SocketStepDraft[];
  /** `# @crlf`: lines of a message are joined with CRLF. */
  crlf: boolean;
  /** `# @until …` as parsed; null when absent (default rule). */
  until: UntilRule | null;
}

const SEPARATOR = /^===(?:\s+(\S.*?))?\s*$/;

/** `===` or `=== wait-for-server` (null: not a separator; string: a separator with an unknown word). */
export function parseSeparator(line: string): { wait: boolean } | { unknown: string } | null {
  const m = SEPARATOR.exec(line.length > 200 ? line.slice(0, 200) : line);
  if (!m) return null;
  if (m[1] === undefined) return { wait: false };
  if (m[1] === 'wait-for-server') return { wait: true };
  return { unknown: m[1] };
}

/** Splits body lines into steps; `problems` receives bad separators with their line numbers. */
export function splitSteps(lines: string[], firstLine: number, problems: { line: number; message: string }[]): SocketStepDraft[] {
  const steps: SocketStepDraft[] = [];
  let current: string[] = [];
  let currentLine = firstLine;
  const flush = (): void => {
    // Blank lines around a message belong to the layout of the file, not to the message.
    let a = 0;
    let b = current.length;
    while (a < b && current[a].trim() === '') a++;
    while (b > a && current[b - 1].trim() === '') b--;
    if (b > a) steps.push({ kind: 'send', lines: current.slice(a, b), line: currentLine + a });
    current = [];
  };
  lines.forEach((text, k) => {
    const sep = parseSeparator(text);
    if (sep === null) {
      if (current.length === 0) currentLine = firstLine + k;
      current.push(text);
      return;
    }
    flush();
    if ('unknown' in sep)
      problems.push({
        line: firstLine + k,
        message: `Unknown message separator "=== ${sep.unknown.slice(0, 40)}" (expected === or === wait-for-server).`,
      });
    else if (sep.wait) steps.push({ kind: 'wait', line: firstLine + k });
    currentLine = firstLine + k + 1;
  });
  flush();
  return steps;
}

export interface EscapeProblem {
  /** Column within the line. */
  column: number;
  endColumn: number;
  message: string;
}

/** A message line as pieces: text (variables are substituted in it) and bytes from escapes. */
export type Piece = string | Uint8Array;

const SIMPLE: Record<string, number> = { r: 0x0d, n: 0x0a, t: 0x09, '0': 0x00, '\\': 0x5c };

/** `\r \n \t \0 \xHH \\`; anything else after a backslash is a problem (never sent as a guess). */
export function decodeEscapes(line: string, problems?: EscapeProblem[]): Piece[] {
  const out: Piece[] = [];
  let text = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== '\\') {
      text += c;
      continue;
    }
    const n = line[i + 1];
    if (n !== undefined && SIMPLE[n] !== undefined) {
      if (text) out.push(text);
      text = '';
      out.push(Uint8Array.of(SIMPLE[n]));
      i++;
      continue;
    }
    if (n === 'x' && /^[0-9A-Fa-f]{2}$/.test(line.slice(i + 2, i + 4))) {
      if (text) out.push(text);
      text = '';
      out.push(Uint8Array.of(parseInt(line.slice(i + 2, i + 4), 16)));
      i += 3;
      continue;
    }
    const shown = n === undefined ? '\\ at the end of the line' : n === 'x' ? `\\x${line.slice(i + 2, i + 4)}` : `\\${n}`;
    problems?.push({
      column: i,
      endColumn: Math.min(line.length, i + (n === 'x' ? 4 : 2)),
      message: `Unknown escape ${shown} (use \\r \\n \\t \\0 \\xHH or \\\\ for a backslash).`,
    });
    text += c;
  }
  if (text) out.push(text);
  return out;
}

/** The bytes of pieces once their text is substituted. */
export function piecesToBytes(pieces: Piece[], sub: (text: string) => string): Uint8Array {
  const parts = pieces.map((p) => (typeof p === 'string' ? Buffer.from(sub(p), 'utf8') : p));
  return Buffer.concat(parts);
}

/** `close`, `idle MS`, `bytes N`, `"TEXT"` (escapes allowed inside the quotes). */
export function parseUntil(value: string): UntilRule | string {
  const v = value.trim();
  if (v === 'close') return { kind: 'close' };
  let m = /^idle\s+(\d{1,9})(?:\s*ms)?$/i.exec(v);
  if (m) {
    const ms = Number(m[1]);
    return ms > 0 ? { kind: 'idle', ms } : '@until idle needs a positive number of milliseconds.';
  }
  m = /^bytes\s+(\d{1,10})$/i.exec(v);
  if (m) {
    const bytes = Number(m[1]);
    return bytes > 0 && bytes <= 1 << 30 ? { kind: 'bytes', bytes } : '@until bytes needs a count between 1 and 1073741824.';
  }
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    const problems: EscapeProblem[] = [];
    const bytes = piecesToBytes(decodeEscapes(v.slice(1, -1), problems), (t) => t);
    if (problems.length) return `@until: ${problems[0].message}`;
    if (bytes.length === 0) return '@until "" would end at once; write the text to wait for.';
    return { kind: 'text', text: Buffer.from(bytes).toString('latin1') };
  }
  return `@until needs close, idle MS, bytes N or "TEXT" (got ${JSON.stringify(v.slice(0, 60))}).`;
}

/** `host:port`, `[v6]:port`; null with the reason when it is not one. */
export function parseHostPort(target: string): { host: string; port: number } | string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(target);
  if (!m) return `Expected host:port (e.g. 127.0.0.1:8765 or [::1]:8765), got ${JSON.stringify(target.slice(0, 80))}.`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `Port ${m[2]} is out of range (1–65535).`;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** A WebSocket target: ws:// or wss:// (http:// and https:// are taken as ws:// and wss://, as httpyac does). */
export function parseWebSocketUrl(target: string): URL | string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return `Not a WebSocket URL (expected ws://host/path or wss://host/path): ${JSON.stringify(target.slice(0, 80))}.`;
  }
  const scheme = url.protocol;
  if (scheme === 'http:') url = new URL(`ws:${target.slice(5)}`);
  else if (scheme === 'https:') url = new URL(`wss:${target.slice(6)}`);
  else if (scheme !== 'ws:' && scheme !== 'wss:') return `A WebSocket URL starts with ws:// or wss:// (got ${scheme}//).`;
  if (!url.hostname) return 'The WebSocket URL has no host.';
  if (url.hash) return 'A WebSocket URL cannot have a fragment (#…) (RFC 6455, Section 3).';
  return url;
}

/** The largest UDP payload over IPv4 (65535 − 8 UDP − 20 IP header bytes). */
export const MAX_UDP_PAYLOAD = 65_507;
