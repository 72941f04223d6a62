// The request target as written: which origin a request goes to (absolute URL, origin-form with a Host header
// or httpyac's `host` variable, REST Client's `:port` and bare-host shorthands, OPTIONS *) and the exact
// request-target that goes in the request line. Nothing is normalized: `/a/../b`, `%2e%2e` and `\` leave as
// written (WHATWG URL parsing would rewrite them); only what cannot appear in a request line at all is
// percent-encoded (JetBrains' auto-encoding), or refused under `# @no-auto-encoding`.
import type { Note } from '../shared/exchange';

export interface TargetResult {
  /** Absolute http(s) URL of the origin + target (for display, redirects and connecting). */
  url: string;
  /** The request-target exactly as it goes in the request line. */
  target: string;
  notes: Note[];
  /** The Host header's value to send instead of the one written (a Host written as a URL, as JetBrains' spec shows it). */
  hostValue?: string;
}

export interface TargetInput {
  /** The resolved target text (request line, continuation lines joined). */
  raw: string;
  method: string;
  headers: [string, string][];
  /** httpyac's `host` variable (origin-form requests without a Host header), when defined. */
  hostVariable: () => string | undefined;
  /** `# @no-auto-encoding`: nothing is percent-encoded; what cannot be sent is refused. */
  noAutoEncoding: boolean;
}

export type TargetOutcome = TargetResult | { error: string };

const HEX = '0123456789ABCDEF';

function pct(byte: number): string {
  return `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

/** Bytes that can never appear in a request-target: controls, space, DEL and everything outside ASCII. */
function needsEncoding(code: number): boolean {
  return code <= 0x20 || code >= 0x7f;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code === 0x20) return 'a space';
  if (code === 9) return 'a tab (0x09)';
  if (code < 0x20 || code === 0x7f) return `the control byte 0x${code.toString(16).padStart(2, '0').toUpperCase()}`;
  return `${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Percent-encodes what may not appear in a request line (JetBrains' default); an existing `%XX` is kept. */
export function encodeTarget(target: string): { text: string; encoded: string[] } {
  // Most targets hold nothing to encode: one pass over the code units says so.
  let plain = true;
  for (let i = 0; i < target.length && plain; i++) plain = !needsEncoding(target.charCodeAt(i));
  if (plain) return { text: target, encoded: [] };
  let out = '';
  const encoded: string[] = [];
  for (const ch of target) {
    const code = ch.codePointAt(0) ?? 0;
    if (!needsEncoding(code)) {
      out += ch;
      continue;
    }
    if (encoded.length < 5) encoded.push(describeChar(ch));
    for (const b of Buffer.from(ch, 'utf8')) out += pct(b);
  }
  return { text: out, encoded };
}

function note(summary: string, detail: string, reference: string, level: Note['level'] = 'info'): Note {
  return { id: 'request-target', subject: 'request', level, category: 'request', summary, detail, reference };
}

const RFC3986_DOTS = 'https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4';

/** Notes on a target that servers may read differently from how it was written. */
function oddities(target: string): Note[] {
  const notes: Note[] = [];
  const path = target.split('?', 1)[0];
  // A dot segment needs a `.` (or `%2e`) in the path: most paths have neither.
  if ((path.includes('.') || path.includes('%')) && path.split('/').some((s) => s === '.' || s === '..' || /^(?:%2e|\.){1,2}$/i.test(s))) {
    notes.push(
      note(
        'Dot segments sent as written',
        `The path ${JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path)} holds "." or ".." segments (or their %2e spellings). Wire Lens sends them unchanged; browsers and curl would have removed them first. A server may resolve them (RFC 3986 remove_dot_segments), reject the request with 400, or, if it decodes %2e after checking the path, reach a file outside the directory it meant to serve (path traversal).`,
        RFC3986_DOTS,
      ),
    );
  }
  if (target.includes('\\')) {
    notes.push(
      note(
        'Backslash sent as written',
        'The target holds "\\". Wire Lens sends it unchanged; a browser would have turned it into "/". It is not allowed in a URI (RFC 3986), so a server may reject it, treat it as a path separator (Windows servers, some proxies) or keep it as a character of the name.',
        'https://www.rfc-editor.org/rfc/rfc3986#section-3.3',
      ),
    );
  }
  return notes;
}

/** Where `scheme://authority` ends. */
function authorityEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url[i];
    if (c === '/' || c === '?' || c === '#') return i;
  }
  return url.length;
}

function hostHeader(headers: [string, string][]): string | undefined {
  const v = headers.find(([n]) => n.toLowerCase() === 'host')?.[1].trim();
  return v === '' ? undefined : v;
}

/** REST Client and httpyac: a Host header with port 443 or 8443 means https. */
function schemeForHost(host: string): string {
  return /:(?:443|8443)$/.test(host) ? 'https' : 'http';
}

export function buildTarget(input: TargetInput): TargetOutcome {
  const raw = input.raw.trim();
  if (raw === '') return { error: 'The request has no target (URL).' };
  let origin: string;
  let rest: string;
  let hostValue: string | undefined;
  let asterisk = false;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1])) return { error: `Only http:// and https:// URLs can be sent (got ${scheme[1]}://).` };
    const end = authorityEnd(raw, scheme[0].length);
    origin = raw.slice(0, end);
    rest = raw.slice(end);
  } else if (raw.startsWith('/') || raw === '*') {
    asterisk = raw === '*';
    const host = hostHeader(input.headers);
    if (host && /^https?:\/\//i.test(host)) {
      // JetBrains' spec writes `Host: http://example.com:8080` (OPTIONS * example): the scheme says how to
      // connect, and the Host field carries the authority alone (RFC 9110 7.2); a URL there is a 400 elsewhere.
      const end = authorityEnd(host, host.indexOf('://') + 3);
      if (host.slice(end).replace(/\/+$/, '') !== '') return { error: `A Host header written as a URL must hold no path: ${host.slice(0, 120)}` };
      origin = host.slice(0, end);
      hostValue = host.slice(host.indexOf('://') + 3, end);
      rest = raw;
    } else if (host) {
      origin = `${schemeForHost(host)}://${host}`;
      rest = raw;
    } else {
      // httpyac: `GET /path` under a `host` variable is `{{host}}/path`.
      const hv = input.hostVariable()?.trim().replace(/\/+$/, '');
      if (!hv)
        return {
          error: `Origin-form target ${raw.length > 80 ? `${raw.slice(0, 80)}…` : raw} needs a Host header or a host variable (httpyac), or write the full URL.`,
        };
      const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(hv) ? hv : `${schemeForHost(hv)}://${hv}`;
      if (!/^https?:\/\//i.test(full)) return { error: `The host variable must be an http:// or https:// origin (got ${hv.slice(0, 80)}).` };
      const end = authorityEnd(full, full.indexOf('://') + 3);
      origin = full.slice(0, end);
      // A host variable with a base path (`http://h/api`) prefixes it, as httpyac's concatenation does.
      rest = asterisk ? '*' : full.slice(end) + raw;
    }
  } else if (raw.startsWith(':')) {
    // REST Client's localhost shorthand: `:8080/api` → http://localhost:8080/api, `:/api` → port 80.
    if (raw.startsWith(':/')) {
      origin = 'http://localhost:80';
      rest = raw.slice(1);
    } else {
      const port = /^:(\d*)/.exec(raw)?.[1] ?? '';
      origin = `${port === '443' || port === '8443' ? 'https' : 'http'}://localhost:${port}`;
      rest = raw.slice(1 + port.length);
    }
  } else {
    // `localhost:8080/x`, `example.com/x`: REST Client assumes http.
    const end = authorityEnd(raw, 0);
    origin = `http://${raw.slice(0, end)}`;
    rest = raw.slice(end);
  }

  const checked = checkOrigin(origin);
  if (checked === 'invalid')
    return { error: `Not a valid URL: ${(origin + rest).length > 200 ? `${(origin + rest).slice(0, 200)}…` : origin + rest}` };
  if (checked === 'not-origin') return { error: `Not a valid URL origin: ${origin}` };

  if (asterisk) {
    if (input.method.toUpperCase() !== 'OPTIONS')
      return { error: `The asterisk-form target * is only for OPTIONS (RFC 9112 3.2.4), not ${input.method}.` };
    return { url: `${origin}/`, target: '*', notes: hostNotes(hostValue), hostValue };
  }
  // The fragment never leaves the client.
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (rest === '') rest = '/';
  else if (rest.startsWith('?')) rest = `/${rest}`;

  const notes = [...hostNotes(hostValue), ...oddities(rest)];
  let target = rest;
  if (input.noAutoEncoding) {
    for (const ch of rest) {
      if (needsEncoding(ch.codePointAt(0) ?? 0)) {
        return {
          error: `@no-auto-encoding: the target holds ${describeChar(ch)}, which cannot be sent in a request line as written; percent-encode it yourself or drop @no-auto-encoding.`,
        };
      }
    }
  } else {
    const enc = encodeTarget(rest);
    target = enc.text;
    if (enc.encoded.length > 0) {
      notes.push(
        note(
          'Target percent-encoded',
          `The target held ${enc.encoded.join(', ')}${enc.encoded.length >= 5 ? ' and more' : ''}, which cannot appear in a request line; it was sent percent-encoded as UTF-8 (what the JetBrains HTTP Client and browsers do). Add # @no-auto-encoding to have such a target refused instead.`,
          'https://www.rfc-editor.org/rfc/rfc3986#section-2.1',
        ),
      );
    }
  }
  return { url: origin + target, target, notes, hostValue };
}

/** What URL parsing says of origins already seen (a run sends to a few, a thousand times each); bounded. */
const origins = new Map<string, 'ok' | 'invalid' | 'not-origin'>();
const MAX_ORIGINS = 256;

/** Whether `origin` + `/` parses as a URL with a host and nothing after the authority. */
function checkOrigin(origin: string): 'ok' | 'invalid' | 'not-origin' {
  let verdict = origins.get(origin);
  if (verdict !== undefined) return verdict;
  try {
    const parsed = new URL(`${origin}/`);
    if (!parsed.hostname) verdict = 'invalid';
    else verdict = parsed.pathname !== '/' || parsed.search !== '' ? 'not-origin' : 'ok';
  } catch {
    verdict = 'invalid';
  }
  if (origins.size >= MAX_ORIGINS) origins.clear();
  origins.set(origin, verdict);
  return verdict;
}

function hostNotes(hostValue: string | undefined): Note[] {
  if (hostValue === undefined) return [];
  return [
    note(
      'Host written as a URL',
      `The Host header was written as a URL (as in the JetBrains HTTP request spec); its scheme chose the connection and Host: ${hostValue} was sent, the authority alone (RFC 9110 7.2).`,
      'https://www.rfc-editor.org/rfc/rfc9110#section-7.2',
    ),
  ];
}
