// RFC 7541 Appendix A: the static table, indices 1..61.

export const STATIC_TABLE: ReadonlyArray<readonly [string, string]> = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** Number of static entries; dynamic indices start right after. */
export const STATIC_TABLE_LENGTH = STATIC_TABLE.length;

// name -> value -> first index; keyed in two levels so a look-up never builds a string from a long value.
const byNameValue = new Map<string, Map<string, number>>();
const byName = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  let values = byNameValue.get(name);
  if (!values) byNameValue.set(name, (values = new Map()));
  if (!values.has(value)) values.set(value, i + 1);
  if (!byName.has(name)) byName.set(name, i + 1);
});

/** 1-based static index of the exact field, or 0. */
export function staticIndexOf(name: string, value: string): number {
  return byNameValue.get(name)?.get(value) ?? 0;
}

/** 1-based static index of the first entry with this name, or 0. */
export function staticNameIndexOf(name: string): number {
  return byName.get(name) ?? 0;
}
