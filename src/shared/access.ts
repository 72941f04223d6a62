// What the layers look up in an Exchange, in one place: a header by name, the request's head and body, whether the
// request was sent. The record is built once by the engine (request.headSize included); these read it and never
// rescan the raw bytes, except for a record saved before headSize existed (a restored panel). No Buffer, no DOM:
// the webview uses it too. HTTP/2 (issue 11): the request's raw bytes are frames, so the body is the payload of the
// sent DATA frames; pass the exchange's `frames` and the accessors read it from there.
import { base64ToBytes } from './base64';
import type { ErrorPhase } from './errorCodes';
import type { Exchange, ExchangeRequest, H2Frame, HeaderPair } from './exchange';

/** The first value of a header, names compared case-insensitively; null when absent. */
export function headerValue(headers: readonly HeaderPair[], name: string): string | null {
  const lower = name.toLowerCase();
  // Indexed, not destructured: array destructuring walks an iterator, slow until the code is optimised.
  for (let i = 0; i < headers.length; i++) if (headers[i][0].toLowerCase() === lower) return headers[i][1];
  return null;
}

/** Every value of a header, in order (a header sent on several lines). */
export function headerValues(headers: readonly HeaderPair[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** All values of a header as one list value (RFC 9110, Section 5.3: joined with ", "); null when absent. */
export function headerList(headers: readonly HeaderPair[], name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 0 ? null : values.join(', ');
}

/** Offset just past the blank line ending an HTTP head in `bytes`; -1 when there is none. */
export function headEnd(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 3] === 0x0d) return i + 1;
  }
  return -1;
}

/** The request's raw bytes as written (head and as much of the body as the record kept). */
export function requestRaw(req: ExchangeRequest): Uint8Array {
  return base64ToBytes(req.rawBase64);
}

/** The byte length of the request head (request line through the blank line) within `rawBase64`. */
export function requestHeadSize(req: ExchangeRequest, raw: Uint8Array = requestRaw(req)): number {
  if (req.headSize !== undefined) return Math.min(req.headSize, raw.length);
  const end = headEnd(raw);
  return end < 0 ? raw.length : end;
}

/** The request head bytes, blank line included. */
export function requestHead(req: ExchangeRequest): Uint8Array {
  const raw = requestRaw(req);
  return raw.subarray(0, requestHeadSize(req, raw));
}

/** HTTP/2 frame header size (RFC 9113, Section 4.1). */
const H2_FRAME_HEADER = 9;
/** The PADDED flag of DATA frames (RFC 9113, Section 6.1). */
const H2_FLAG_PADDED = 0x08;

/** The payload of the sent DATA frames, padding left out, as far as the raw record reaches. */
function h2SentData(frames: readonly H2Frame[], raw: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (const f of frames) {
    if (f.direction !== 'sent' || f.type !== 'DATA' || f.length === 0) continue;
    const start = f.offset + H2_FRAME_HEADER;
    const end = start + f.length;
    if (end > raw.length) break;
    let from = start;
    let to = end;
    if ((f.flags & H2_FLAG_PADDED) !== 0) {
      const pad = raw[start];
      from = start + 1;
      to = Math.max(from, end - pad);
    }
    parts.push(raw.subarray(from, to));
    n += to - from;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The request body bytes the record kept (all of them unless `rawTruncated`). With the exchange's HTTP/2 `frames`
 * it is the payload of the sent DATA frames; otherwise what follows the head in the raw bytes.
 */
export function requestBody(req: ExchangeRequest, frames?: readonly H2Frame[]): Uint8Array {
  const raw = requestRaw(req);
  if (frames) return h2SentData(frames, raw);
  return raw.subarray(requestHeadSize(req, raw));
}

/** The request body as UTF-8 text ('' when there is none); `frames` as for requestBody. */
export function requestBodyText(req: ExchangeRequest, frames?: readonly H2Frame[]): string {
  return new TextDecoder('utf-8').decode(requestBody(req, frames));
}

/** Phases that end an exchange before any request byte is written to the socket. */
const BEFORE_SEND: ReadonlySet<ErrorPhase> = new Set<ErrorPhase>(['resolve', 'dns', 'connect', 'tls']);

/** False when the exchange failed before the request went out: the record's request bytes were only prepared. */
export function requestWasSent(ex: Pick<Exchange, 'error'>): boolean {
  return ex.error === null || !BEFORE_SEND.has(ex.error.phase);
}
