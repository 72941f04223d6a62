// Results of pure parsers for values seen lately. A run of requests to one service sees the same Content-Type,
// Cache-Control, Vary, Strict-Transport-Security and Accept values on every exchange, and several checks read each
// of them: parsed once, then looked up. Callers treat the results as read-only (they are shared).

/** Values longer than this are parsed every time: a hostile head must not fill the cache with huge strings. */
const LONGEST = 1024;
const MAX = 256;

export function memoized<T>(parse: (value: string) => T): (value: string) => T {
  const seen = new Map<string, T>();
  return (value: string): T => {
    if (value.length > LONGEST) return parse(value);
    const known = seen.get(value);
    if (known !== undefined || seen.has(value)) return known as T;
    const r = parse(value);
    if (seen.size >= MAX) seen.clear();
    seen.set(value, r);
    return r;
  };
}
