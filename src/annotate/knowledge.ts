// The knowledge base API: status codes and header fields as data. Completion and hover in the editor, the
// checks and `wirelens explain` all read the tables through these functions.
import { CORE_HEADERS } from './data/headers/core';
import { EXTENSION_HEADERS } from './data/headers/extensions';
import { SECURITY_HEADERS } from './data/headers/security';
import { STATUS_TABLE, statusClass } from './data/statuses';
import type { HeaderField, StatusCode } from './types';

export type { HeaderCategory, HeaderContext, HeaderField, StatusCode, StructuredType } from './types';
export { statusClass };

/**
 * Sorted by lower-case name in code-unit order: for the names in the tables (letters, digits, `-`) that is the
 * order `localeCompare` gives (a unit test holds them equal), without building an ICU collator at every start,
 * which cost 16–54 ms.
 */
const HEADERS: HeaderField[] = [...CORE_HEADERS, ...SECURITY_HEADERS, ...EXTENSION_HEADERS]
  .map((h) => ({ h, key: h.name.toLowerCase() }))
  .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  .map((e) => e.h);

const byName = new Map(HEADERS.map((h) => [h.name.toLowerCase(), h]));
const byCode = new Map(STATUS_TABLE.map((s) => [s.code, s]));

export function headerFields(): readonly HeaderField[] {
  return HEADERS;
}

/** Names as written (any case) already looked up: per-line checks ask for every line's field, on every exchange. */
const seen = new Map<string, HeaderField | null>();
const SEEN_MAX = 4096;

/** Case-insensitive lookup. */
export function headerField(name: string): HeaderField | undefined {
  let f = seen.get(name);
  if (f === undefined) {
    f = byName.get(name.trim().toLowerCase()) ?? null;
    // Bounded: a hostile head can carry many distinct names.
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(name, f);
  }
  return f ?? undefined;
}

export function statusCodes(): readonly StatusCode[] {
  return STATUS_TABLE;
}

export function statusCode(code: number): StatusCode | undefined {
  return byCode.get(code);
}
