// RFC 7541 §5.1 prefix-coded integers.

import { HpackError } from './errors';

/** Largest integer we accept on the wire: any HPACK quantity above this is an attack or a bug. */
export const MAX_HPACK_INTEGER = 2 ** 32 - 1;

/** Bytes `encodeInteger` writes for `value` with an N-bit prefix. */
export function integerLength(value: number, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) return 1;
  let rest = value - max;
  let n = 2;
  while (rest >= 128) {
    rest = Math.floor(rest / 128);
    n++;
  }
  return n;
}

/**
 * Writes `value` with an N-bit prefix into `out` at `pos`; `flags` are the high bits of the first byte (the
 * representation's pattern). Returns the position after the integer.
 */
export function encodeInteger(out: Uint8Array, pos: number, value: number, prefixBits: number, flags: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_HPACK_INTEGER) {
    throw new RangeError(`HPACK integer out of range: ${value}`);
  }
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[pos++] = flags | value;
    return pos;
  }
  out[pos++] = flags | max;
  let rest = value - max;
  while (rest >= 128) {
    out[pos++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  out[pos++] = rest;
  return pos;
}

/** Result of decoding: the value and the offset after it (kept in a reused object to spare allocations). */
export interface IntegerResult {
  value: number;
  next: number;
}

/**
 * Reads an N-bit-prefix integer starting at `pos` (whose first byte holds the prefix). Throws `truncated` when the
 * block ends inside it and `integer-overflow` when it exceeds `limit`; continuation bytes are bounded, so a
 * stream of 0x80 bytes cannot make it loop.
 */
export function decodeInteger(buf: Uint8Array, pos: number, end: number, prefixBits: number, limit: number, out: IntegerResult): IntegerResult {
  const start = pos;
  if (pos >= end) throw new HpackError('truncated', 'header block ends inside an integer', start);
  const max = (1 << prefixBits) - 1;
  let value = buf[pos++] & max;
  if (value < max) {
    out.value = value;
    out.next = pos;
    return out;
  }
  let factor = 1;
  for (;;) {
    if (pos >= end) throw new HpackError('truncated', 'header block ends inside an integer', start);
    const b = buf[pos++];
    value += (b & 0x7f) * factor;
    if (value > limit) {
      throw new HpackError('integer-overflow', `integer exceeds ${limit}`, start);
    }
    if ((b & 0x80) === 0) break;
    factor *= 128;
    // A run of zero-valued continuation bytes never grows `value`; cap the run so it cannot go on for ever.
    if (factor > 2 ** 35) throw new HpackError('integer-overflow', 'integer has too many continuation bytes', start);
  }
  out.value = value;
  out.next = pos;
  return out;
}
