// A body held once: the engine keeps the decoded bytes and derives `base64` only when something reads it (the
// record stays the same JSON: `base64` is an enumerable property, a getter that builds and caches the string).
// Readers that need a part (the panel's hex view, a preview) take it from the bytes without building the whole.
import type { ResponseBody } from './exchange';

const BYTES = Symbol.for('wirelens.body.bytes');

type WithBytes = ResponseBody & { [BYTES]?: Uint8Array };

/** The engine's bytes are Node Buffers (this module is also type-checked for the webview, which has none). */
interface NodeBytes {
  toString(encoding: 'base64'): string;
}

/** Base64 of bytes the engine holds (a Buffer, or a part of one). */
export function bytesBase64(bytes: Uint8Array): string {
  return (bytes as unknown as NodeBytes).toString('base64');
}

/** Bodies up to this size get their base64 at once (a few hundred bytes of string, no lazy machinery). */
const EAGER_BASE64 = 4096;

/** A ResponseBody whose `base64` is derived from `bytes` on first read (same keys, same order, same JSON). */
export function bodyFromBytes(bytes: Uint8Array, rest: Omit<ResponseBody, 'base64'>): ResponseBody {
  // A small body (most API answers) costs less as a plain record than as a getter and a hidden property.
  if (bytes.length <= EAGER_BASE64) return Object.assign({ base64: bytesBase64(bytes) }, rest);
  const out = {} as WithBytes;
  let cached: string | null = null;
  Object.defineProperty(out, 'base64', {
    enumerable: true,
    configurable: true,
    get: () => (cached ??= bytesBase64(bytes)),
    // A consumer that assigns (cuts it for a view) gets a plain property from then on.
    set: (v: string) => {
      Object.defineProperty(out, 'base64', { value: v, enumerable: true, writable: true, configurable: true });
    },
  });
  Object.defineProperty(out, BYTES, { value: bytes, enumerable: false });
  return Object.assign(out, rest);
}

/** The decoded bytes behind a body, when the engine made it (else null: a body parsed from JSON). */
export function bodyBytes(body: ResponseBody): Uint8Array | null {
  return (body as WithBytes)[BYTES] ?? null;
}

/** Decoded bytes of a body held (without building the whole base64 when the bytes are there). */
export function bodyByteLength(body: ResponseBody): number {
  const b = bodyBytes(body);
  if (b) return b.length;
  const s = body.base64;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

/** A copy of a body with some fields replaced, without reading (building) the ones replaced. */
export function withBody(body: ResponseBody, over: Partial<ResponseBody>): ResponseBody {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(body) as (keyof ResponseBody)[]) out[k] = k in over ? over[k] : body[k];
  for (const k of Object.keys(over) as (keyof ResponseBody)[]) if (!(k in out)) out[k] = over[k];
  return out as unknown as ResponseBody;
}
