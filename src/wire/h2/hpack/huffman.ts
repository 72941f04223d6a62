// RFC 7541 §5.2 Huffman string coding with the Appendix B code. The decoder runs a 4-bit state machine built
// once from the code table: states are the inner nodes of the code tree; each (state, nibble) says where the
// walk ends, which symbol (if any) completed on the way, and whether EOS was met. A string ends validly only in
// a state reached from the last symbol boundary by at most 7 one bits (RFC 7541 §5.2: padding is the EOS
// prefix, shorter than 8 bits).

import { HpackError } from './errors';
import { HUFFMAN_CODE_TABLE, HUFFMAN_EOS } from './huffmanTable';

const SYMBOLS = 257;
const CODES = new Uint32Array(SYMBOLS);
const LENGTHS = new Uint8Array(SYMBOLS);
for (let s = 0; s < SYMBOLS; s++) {
  CODES[s] = HUFFMAN_CODE_TABLE[2 * s];
  LENGTHS[s] = HUFFMAN_CODE_TABLE[2 * s + 1];
}

const FLAG_EMIT = 1;
const FLAG_FAIL = 2;
const FLAG_ACCEPT = 4;

interface Machine {
  next: Uint16Array;
  symbol: Uint8Array;
  flags: Uint8Array;
}

function buildMachine(): Machine {
  // Code tree: child[2*n + bit] is an inner node id (>= 0) or a leaf, stored as -(symbol + 1).
  const child: number[] = [0, 0];
  const onesDepth: number[] = [0]; // depth when the path from the root is all one bits, else -1
  let nodes = 1;
  for (let s = 0; s < SYMBOLS; s++) {
    const len = LENGTHS[s];
    const code = CODES[s];
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const bit = (code >>> i) & 1;
      const slot = 2 * node + bit;
      if (i === 0) {
        child[slot] = -(s + 1);
        break;
      }
      if (child[slot] <= 0) {
        const id = nodes++;
        child[slot] = id;
        child.push(0, 0);
        const parentOnes = onesDepth[node];
        onesDepth.push(bit === 1 && parentOnes >= 0 ? parentOnes + 1 : -1);
      }
      node = child[slot];
    }
  }
  const next = new Uint16Array(nodes * 16);
  const symbol = new Uint8Array(nodes * 16);
  const flags = new Uint8Array(nodes * 16);
  for (let state = 0; state < nodes; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let f = 0;
      let sym = 0;
      for (let i = 3; i >= 0; i--) {
        const c = child[2 * node + ((nibble >>> i) & 1)];
        if (c < 0) {
          const s = -c - 1;
          if (s === HUFFMAN_EOS) {
            f |= FLAG_FAIL;
            break;
          }
          // The shortest code is 5 bits, so at most one symbol completes within one nibble.
          f |= FLAG_EMIT;
          sym = s;
          node = 0;
        } else {
          node = c;
        }
      }
      const d = onesDepth[node];
      if (d >= 0 && d <= 7) f |= FLAG_ACCEPT;
      next[state * 16 + nibble] = node;
      symbol[state * 16 + nibble] = sym;
      flags[state * 16 + nibble] = f;
    }
  }
  return { next, symbol, flags };
}

/** Built on the first Huffman decode, not at load: every CLI start loads this module, few decode HPACK. */
let machine: Machine | null = null;

/** Bytes the Huffman coding of `src[start..end)` takes. */
export function huffmanLength(src: Uint8Array, start = 0, end = src.length): number {
  let bits = 0;
  for (let i = start; i < end; i++) bits += LENGTHS[src[i]];
  return Math.ceil(bits / 8);
}

/** Writes the Huffman coding of `src` into `out` at `pos` (room for `huffmanLength(src)` bytes); returns the end. */
export function huffmanEncode(src: Uint8Array, out: Uint8Array, pos: number): number {
  let acc = 0; // fewer than 8 pending bits between symbols
  let bits = 0;
  for (let i = 0; i < src.length; i++) {
    const s = src[i];
    let code = CODES[s];
    let len = LENGTHS[s];
    if (len > 24) {
      // Keep the accumulator within 31 bits: feed the high part first.
      const hiLen = len - 16;
      acc = (acc << hiLen) | (code >>> 16);
      bits += hiLen;
      while (bits >= 8) {
        bits -= 8;
        out[pos++] = (acc >>> bits) & 0xff;
      }
      acc &= (1 << bits) - 1;
      code &= 0xffff;
      len = 16;
    }
    acc = (acc << len) | code;
    bits += len;
    while (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) {
    // Pad with the most significant bits of EOS (all ones).
    out[pos++] = ((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff;
  }
  return pos;
}

/**
 * Decodes the Huffman string in `buf[start..end)` to octets, refusing EOS, padding over 7 bits or not all ones,
 * and output longer than `maxLength` (checked as it grows, so a long string costs no more than the limit).
 * `blockOffset` is added to error offsets. Returns the octets as a latin1 string (one char per octet).
 */
export function huffmanDecode(buf: Uint8Array, start: number, end: number, maxLength: number, errorOffset: number): string {
  const { next, symbol, flags } = (machine ??= buildMachine());
  // 5 bits per symbol at best: the output can be at most 8/5 of the input.
  const cap = Math.min(Math.floor(((end - start) * 8) / 5), maxLength);
  const out = Buffer.allocUnsafe(cap);
  let n = 0;
  let state = 0;
  let f = FLAG_ACCEPT;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    let t = state * 16 + (b >>> 4);
    f = flags[t];
    if (f & FLAG_FAIL) throw new HpackError('huffman-eos', 'Huffman string contains EOS', errorOffset);
    if (f & FLAG_EMIT) {
      if (n >= maxLength) throw tooLong(maxLength, errorOffset);
      out[n++] = symbol[t];
    }
    state = next[t];
    t = state * 16 + (b & 0x0f);
    f = flags[t];
    if (f & FLAG_FAIL) throw new HpackError('huffman-eos', 'Huffman string contains EOS', errorOffset);
    if (f & FLAG_EMIT) {
      if (n >= maxLength) throw tooLong(maxLength, errorOffset);
      out[n++] = symbol[t];
    }
    state = next[t];
  }
  if ((f & FLAG_ACCEPT) === 0) {
    throw new HpackError('huffman-padding', 'Huffman string ends in padding that is longer than 7 bits or not all ones', errorOffset);
  }
  return out.toString('latin1', 0, n);
}

function tooLong(max: number, offset: number): HpackError {
  return new HpackError('string-too-long', `decoded string is longer than ${max} octets`, offset);
}
