// Base64 and byte helpers that work the same in Node and in the webview (atob/btoa exist in both).

export { base64ToBytes } from '../shared/base64';

/** Bytes as a string of code points 0–255 (what HTTP/1.1 heads are, byte for byte). */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  const STEP = 8192;
  for (let i = start; i < end; i += STEP) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(i + STEP, end)));
  }
  return s;
}

/** The number of whole bytes that a base64 prefix of `chars` characters decodes to (chars a multiple of 4). */
export function base64Bytes(b64: string): number {
  if (b64.length === 0) return 0;
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

/** The base64 of the first `n` bytes, cut from the string without decoding it all. */
export function sliceBase64(b64: string, n: number): string {
  if (base64Bytes(b64) <= n) return b64;
  const whole = Math.floor(n / 3) * 4;
  const rest = n % 3;
  if (rest === 0) return b64.slice(0, whole);
  // Decode only the one 4-character group that holds the partial tail.
  const group = atob(b64.slice(whole, whole + 4)).slice(0, rest);
  return b64.slice(0, whole) + btoa(group);
}

/** Cuts text to at most `n` UTF-16 units without splitting a surrogate pair. */
export function sliceText(text: string, n: number): string {
  if (text.length <= n) return text;
  let end = Math.max(0, n);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

/** True when the bytes look like text (no NUL, few control characters) — for bodies without a charset. */
export function looksTextual(bytes: Uint8Array, sample = 4096): boolean {
  const n = Math.min(bytes.length, sample);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return false;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) odd++;
  }
  return odd <= n / 100;
}
