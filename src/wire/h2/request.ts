// The request as HTTP/2 fields: pseudo-headers from the request line (RFC 9113 §8.3.1), then the headers as
// written with their names lower-cased (HTTP/2 requires it), Host folded into :authority, and the
// connection-specific fields HTTP/2 forbids (§8.2.2) refused before anything is sent.
import type { HeaderPair } from '../../shared/exchange';
import { WL, WireError } from '../errors';
import type { PreparedRequest } from '../requestBytes';

export interface H2RequestField {
  name: string;
  value: string;
  /** Coded never-indexed (RFC 7541 §7.1.3): credentials an intermediary must not keep in a table. */
  sensitive: boolean;
}

const FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
const SENSITIVE = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** Why a header cannot go out over HTTP/2, or null. Shared with the annotations of the request. */
export function forbiddenInH2(name: string, value: string): string | null {
  const n = name.toLowerCase();
  if (FORBIDDEN.has(n))
    return `${name} is a connection-specific header field, which HTTP/2 forbids (RFC 9113 §8.2.2): HTTP/2 manages the connection itself. Remove it, or send the request with HTTP/1.1.`;
  if (n === 'te' && value.trim().toLowerCase() !== 'trailers')
    return `TE may only be "trailers" in HTTP/2 (RFC 9113 §8.2.2); this one is ${JSON.stringify(value)}.`;
  if (n.startsWith(':')) return `${name}: pseudo-header fields are built from the request line; they cannot be written as headers.`;
  return null;
}

/** `target`: the request-target as the language layer built it (`*`, an unnormalized path), else the URL's. */
export function h2RequestFields(p: PreparedRequest, target?: string): H2RequestField[] {
  if (p.method.toUpperCase() === 'CONNECT')
    throw new WireError(WL.INVALID_REQUEST, 'CONNECT over HTTP/2 is not supported; send it with HTTP/1.1', 'resolve');
  let authority = p.url.host;
  const rest: H2RequestField[] = [];
  for (const [name, value] of p.headers) {
    const why = forbiddenInH2(name, value);
    if (why) throw new WireError(WL.H2_FORBIDDEN_HEADER, why, 'resolve');
    const n = name.toLowerCase();
    if (n === 'host') {
      authority = value;
      continue;
    }
    rest.push({ name: n, value, sensitive: SENSITIVE.has(n) });
  }
  const path = target ?? `${p.url.pathname || '/'}${p.url.search}`;
  return [
    { name: ':method', value: p.method, sensitive: false },
    { name: ':scheme', value: p.url.protocol.replace(/:$/, ''), sensitive: false },
    { name: ':authority', value: authority, sensitive: false },
    { name: ':path', value: path, sensitive: false },
    ...rest,
  ];
}

export function asPairs(fields: readonly { name: string; value: string }[]): HeaderPair[] {
  return fields.map((f) => [f.name, f.value]);
}
