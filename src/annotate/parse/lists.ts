// Comma-separated field values (RFC 9110, Section 5.6.1) with quoted strings (Section 5.6.4) kept whole.
import { memoized } from './memo';

export interface ListSplit {
  readonly items: readonly string[];
  /** Set when a quoted string was not closed. */
  readonly error?: string;
}

/**
 * Splits on commas outside quoted strings, trims OWS and drops empty elements (which the list syntax allows).
 * Remembered per value (memo.ts): the result is shared and read-only.
 */
export const splitList: (value: string) => ListSplit = memoized(splitListOnce);

function splitListOnce(value: string): ListSplit {
  const items: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      cur += ch;
      if (ch === '\\' && i + 1 < value.length) cur += value[++i];
      else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
      cur += ch;
    } else if (ch === ',') {
      if (cur.trim()) items.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) items.push(cur.trim());
  return quoted ? { items, error: 'unterminated quoted string' } : { items };
}

/** Undoes a quoted-string: strips the quotes and backslash escapes. Returns null when it is not one. */
export function unquote(s: string): string | null {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return null;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    if (s[i] === '\\') {
      if (i + 1 >= s.length - 1) return null;
      out += s[++i];
    } else if (s[i] === '"') {
      return null;
    } else {
      out += s[i];
    }
  }
  return out;
}

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** tchar (RFC 9110, Section 5.6.2) by code unit: the characters of TOKEN. */
const TCHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (TOKEN.test(String.fromCharCode(c))) TCHAR[c] = 1;

/** TOKEN.test(s), by table: every field name and parameter is tested, and a loop is cheaper than a regex call. */
export function isToken(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** Parses `name=value` or `name` parameters separated by `sep`, values token or quoted-string. */
export function parseParams(text: string, sep = ';'): { params: Array<[string, string | null]>; errors: string[] } {
  const params: Array<[string, string | null]> = [];
  const errors: string[] = [];
  for (const raw of splitOutsideQuotes(text, sep)) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!isToken(part)) errors.push(`"${part}" is not a token`);
      params.push([part.toLowerCase(), null]);
      continue;
    }
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (!isToken(name)) errors.push(`parameter name "${name}" is not a token`);
    if (value.startsWith('"')) {
      const u = unquote(value);
      if (u === null) errors.push(`parameter ${name} has a broken quoted string`);
      else value = u;
    } else if (!isToken(value)) {
      errors.push(`parameter ${name} value "${value}" must be a token or a quoted string`);
    }
    params.push([name.toLowerCase(), value]);
  }
  return { params, errors };
}

export function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\' && i + 1 < text.length) {
      cur += ch + text[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}
