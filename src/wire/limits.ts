// The engines' size limits and where a body may go instead of memory: their own module so that the HTTP/1.1 hop,
// the HTTP/2 hop and the body collector share them without importing each other.
import { constants as bufferConstants } from 'node:buffer';
import type { Writable } from 'node:stream';

/**
 * Where a body goes instead of memory: a stream, or a file descriptor written synchronously. The descriptor form
 * needs no copy of each read (the bytes are written before the read buffer is reused), so it is the fast path.
 */
export type BodySink = Writable | { fd: number };

/**
 * The most bytes one record field can hold: bodies and raw bytes are kept as base64 strings, and V8 has a
 * longest string. Past it building the record would throw; the engine's in-memory limits stay below it.
 */
export const MAX_RECORD_BYTES = Math.floor(bufferConstants.MAX_STRING_LENGTH / 4) * 3;

/** The in-memory body limit actually applied: what was asked for, within what a record can hold. */
export function effectiveMaxBody(requested: number, maxHeaderBytes: number): number {
  return Math.max(0, Math.min(requested, MAX_RECORD_BYTES - maxHeaderBytes));
}

/** Request bytes kept in `rawBase64` (a streamed file body beyond this is counted, not kept). */
export const RAW_REQUEST_CAP = 1024 * 1024;
/** Body bytes kept in memory as a preview when the body goes to a sink. */
export const SINK_PREVIEW = 64 * 1024;
/** Body bytes kept as received in `response.rawBase64` after the head. The raw view shows far less, and the
 * decoded body is kept whole in `body`: a second full copy only multiplied the memory of large responses. */
export const RAW_BODY_KEPT = 1024 * 1024;
