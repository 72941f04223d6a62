// The knowledge base API: status codes and header fields as data. Completion and hover in the editor, the
// checks and `wirelens explain` all read the tables through these functions.
import { CORE_HEADERS } from './data/headers/core';
import { EXTENSION_HEADERS } from './data/headers/extensions';
import { SECURITY_HEADERS } from './data/headers/security';
import { STATUS_TABLE, statusClass } from './data/statuses';
import type { HeaderField, StatusCode } from './types';

export type { HeaderCategory, HeaderContext, HeaderField, StatusCode, StructuredType } from './types';
export { statusClass };

const HEADERS: HeaderField[] = [...CORE_HEADERS, ...SECURITY_HEADERS, ...EXTENSION_HEADERS].sort((a, b) =>
  a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
);

const byName = new Map(HEADERS.map((h) => [h.name.toLowerCase(), h]));
const byCode = new Map(STATUS_TABLE.map((s) => [s.code, s]));

export function headerFields(): readonly HeaderField[] {
  return HEADERS;
}

/** Case-insensitive lookup. */
export function headerField(name: string): HeaderField | undefined {
  return byName.get(name.trim().toLowerCase());
}

export function statusCodes(): readonly StatusCode[] {
  return STATUS_TABLE;
}

export function statusCode(code: number): StatusCode | undefined {
  return byCode.get(code);
}
