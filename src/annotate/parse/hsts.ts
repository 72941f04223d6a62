// Strict-Transport-Security (RFC 6797, Section 6.1): directives separated by ";", max-age required.
import { splitOutsideQuotes, unquote, isToken } from './lists';
import { memoized } from './memo';

const DIGITS = /^\d+$/;

export interface Hsts {
  readonly maxAge: number | null;
  readonly includeSubDomains: boolean;
  readonly preload: boolean;
  readonly errors: readonly string[];
}

/** Remembered per value (memo.ts): the result is shared and read-only. */
export const parseHsts: (value: string) => Hsts = memoized(parseHstsOnce);

function parseHstsOnce(value: string): Hsts {
  // Built here, shared read-only once returned.
  const out: { -readonly [K in keyof Hsts]: Hsts[K] } & { errors: string[] } = { maxAge: null, includeSubDomains: false, preload: false, errors: [] };
  const seen = new Set<string>();
  for (const raw of splitOutsideQuotes(value, ';')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    let v = eq < 0 ? null : part.slice(eq + 1).trim();
    if (!isToken(name)) {
      out.errors.push(`"${name}" is not a directive name`);
      continue;
    }
    if (seen.has(name)) out.errors.push(`directive ${name} appears more than once`);
    seen.add(name);
    if (v !== null && v.startsWith('"')) v = unquote(v);
    if (name === 'max-age') {
      if (v === null || !DIGITS.test(v)) out.errors.push('max-age must be a number of seconds');
      else out.maxAge = Number(v);
    } else if (name === 'includesubdomains') {
      if (v !== null) out.errors.push('includeSubDomains takes no value');
      out.includeSubDomains = true;
    } else if (name === 'preload') {
      out.preload = true;
    }
  }
  if (out.maxAge === null && !out.errors.some((e) => e.startsWith('max-age'))) out.errors.push('max-age is required');
  return out;
}
