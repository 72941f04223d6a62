// The method names the editor completes and the annotations know, in one list: the request side and the checks
// must agree on what is a known method.

/** Standard (RFC 9110, 5789, QUERY draft) and WebDAV / DeltaV / CalDAV methods (IANA HTTP Method Registry). */
export const KNOWN_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'CHECKOUT',
  'CHECKIN',
  'UNCHECKOUT',
  'REPORT',
  'MERGE',
  'MKACTIVITY',
  'MKWORKSPACE',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
  'LABEL',
  'UPDATE',
  'ACL',
  'BIND',
  'UNBIND',
  'REBIND',
  'MKCALENDAR',
  'ORDERPATCH',
  'MKREDIRECTREF',
  'UPDATEREDIRECTREF',
  'LINK',
  'UNLINK',
  'PURGE',
];

/**
 * Idempotent methods (RFC 9110 section 9.2.2): a request that may be sent again when a reused connection turned
 * out to be closed before any response byte (RFC 9112 section 9.3.1).
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method) || IDEMPOTENT.has(method.toUpperCase());
}
