// Media types (RFC 9110, Section 8.3.1): type "/" subtype *( OWS ";" OWS parameter ).
import { isToken, parseParams } from './lists';
import { memoized } from './memo';

export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  /** Lowercase "type/subtype". */
  readonly essence: string;
  readonly params: ReadonlyMap<string, string | null>;
  readonly errors: readonly string[];
}

/** Remembered per value (memo.ts): the result is shared and read-only. */
export const parseMediaType: (value: string) => MediaType | null = memoized(parseMediaTypeOnce);

function parseMediaTypeOnce(value: string): MediaType | null {
  const semi = value.indexOf(';');
  const head = (semi < 0 ? value : value.slice(0, semi)).trim();
  const slash = head.indexOf('/');
  if (slash < 0) return null;
  const type = head.slice(0, slash).trim();
  const subtype = head.slice(slash + 1).trim();
  if (!isToken(type) || !isToken(subtype)) return null;
  const errors: string[] = [];
  const params = new Map<string, string | null>();
  if (semi >= 0) {
    const parsed = parseParams(value.slice(semi + 1));
    errors.push(...parsed.errors);
    for (const [k, v] of parsed.params) {
      if (v === null) errors.push(`parameter "${k}" has no value`);
      if (params.has(k)) errors.push(`parameter "${k}" appears twice`);
      params.set(k, v);
    }
  }
  return { type, subtype, essence: `${type}/${subtype}`.toLowerCase(), params, errors };
}

const TEXTUAL_APPLICATION = /^application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded)$/;
const TEXTUAL_SUFFIX = /\+(json|xml)$/;

/** Text-like media types whose meaning depends on a character encoding. */
export function isTextual(essence: string): boolean {
  return essence.startsWith('text/') || TEXTUAL_APPLICATION.test(essence) || TEXTUAL_SUFFIX.test(essence) || essence === 'image/svg+xml';
}

/** Types that are usually worth compressing. */
export function isCompressible(essence: string): boolean {
  return isTextual(essence) || essence === 'application/wasm' || essence === 'font/ttf' || essence === 'font/otf';
}

/** Types where a charset parameter matters (JSON is always UTF-8 so the parameter has no effect there). */
export function wantsCharset(essence: string): boolean {
  return essence.startsWith('text/') || essence === 'application/xml' || essence === 'application/javascript';
}
