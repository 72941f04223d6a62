// Cache-Control (RFC 9111, Section 5.2): #( token [ "=" ( token / quoted-string ) ] ), names case-insensitive.
import { isToken, splitList, unquote } from './lists';
import { memoized } from './memo';

export interface CacheDirective {
  readonly name: string;
  readonly value: string | null;
  /** True when the value was a quoted-string. */
  readonly quoted: boolean;
}

export interface CacheControl {
  readonly directives: readonly CacheDirective[];
  readonly errors: readonly string[];
}

const DIGITS = /^\d+$/;
const NUMERIC = new Set(['max-age', 's-maxage', 'max-stale', 'min-fresh', 'stale-while-revalidate', 'stale-if-error']);
const VALUELESS = new Set([
  'no-store',
  'no-transform',
  'only-if-cached',
  'must-revalidate',
  'proxy-revalidate',
  'must-understand',
  'public',
  'immutable',
]);

export const KNOWN_RESPONSE_DIRECTIVES = new Set([
  'max-age',
  's-maxage',
  'no-cache',
  'no-store',
  'no-transform',
  'must-revalidate',
  'proxy-revalidate',
  'must-understand',
  'private',
  'public',
  'immutable',
  'stale-while-revalidate',
  'stale-if-error',
]);
export const KNOWN_REQUEST_DIRECTIVES = new Set([
  'max-age',
  'max-stale',
  'min-fresh',
  'no-cache',
  'no-store',
  'no-transform',
  'only-if-cached',
  'stale-if-error',
]);

/** Parses one or more Cache-Control field values (joined as a list). The result is shared and read-only. */
export function parseCacheControl(values: string | string[]): CacheControl {
  return parseJoined(Array.isArray(values) ? values.join(', ') : values);
}

const parseJoined = memoized((joined: string): CacheControl => {
  const split = splitList(joined);
  const errors: string[] = split.error ? [split.error] : [];
  const directives: CacheDirective[] = [];
  for (const item of split.items) {
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    let value: string | null = eq < 0 ? null : item.slice(eq + 1).trim();
    let quoted = false;
    if (!isToken(name)) {
      errors.push(`"${name}" is not a valid directive name`);
      continue;
    }
    if (value !== null) {
      if (value.startsWith('"')) {
        const u = unquote(value);
        if (u === null) {
          errors.push(`${name}: broken quoted string`);
          continue;
        }
        value = u;
        quoted = true;
      } else if (!isToken(value)) {
        errors.push(`${name}: value "${value}" must be a token or quoted string`);
      }
    }
    if (NUMERIC.has(name)) {
      if (value === null && name !== 'max-stale') errors.push(`${name} needs a number of seconds`);
      else if (value !== null && !DIGITS.test(value)) errors.push(`${name}=${value} is not a number of seconds`);
      else if (quoted) errors.push(`${name} should not be quoted`);
    }
    if (VALUELESS.has(name) && value !== null) errors.push(`${name} takes no value`);
    directives.push({ name, value, quoted });
  }
  return { directives, errors };
});

export function directive(cc: CacheControl, name: string): CacheDirective | undefined {
  // A loop, not find(): a dozen checks ask on every exchange, and a callback per call is an allocation.
  const all = cc.directives;
  for (let i = 0; i < all.length; i++) if (all[i].name === name) return all[i];
  return undefined;
}

export function has(cc: CacheControl, name: string): boolean {
  return directive(cc, name) !== undefined;
}

/** The numeric value of a seconds directive, or null when absent or malformed. */
export function seconds(cc: CacheControl, name: string): number | null {
  const d = directive(cc, name);
  if (!d || d.value === null || !DIGITS.test(d.value)) return null;
  // delta-seconds larger than 2^31 are capped (RFC 9111, Section 1.2.2).
  return Math.min(Number(d.value), 2147483648);
}
