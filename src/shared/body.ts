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

/** What a body held as text alone derives its bytes from: the text, a UTF-8 BOM dropped from it, a cut tail. */
interface TextSource {
  text: string;
  bom: boolean;
  tail: Uint8Array | null;
  byteLength: number;
}

const TEXT = Symbol.for('wirelens.body.text');

type WithText = ResponseBody & { [TEXT]?: TextSource };

/** Node's Buffer without importing it (this module is also type-checked for the webview). */
interface NodeBufferApi {
  from(text: string, encoding: 'utf8'): Uint8Array;
  byteLength(text: string, encoding: 'utf8'): number;
  concat(list: readonly Uint8Array[]): Uint8Array;
}
const NodeBuffer = (globalThis as unknown as { Buffer: NodeBufferApi }).Buffer;

function textBytes(src: TextSource, maxChars = Infinity): Uint8Array {
  let text = src.text;
  let whole = true;
  if (maxChars < text.length) {
    let end = maxChars;
    // Never end on half a surrogate pair (it would encode as U+FFFD, not as the bytes received).
    const c = text.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end++;
    text = text.slice(0, end);
    whole = false;
  }
  const parts: Uint8Array[] = [];
  if (src.bom) parts.push(UTF8_BOM);
  parts.push(NodeBuffer.from(text, 'utf8'));
  if (whole && src.tail) parts.push(src.tail);
  return parts.length === 1 ? parts[0] : NodeBuffer.concat(parts);
}

const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * A ResponseBody held as its text alone (a large UTF-8 body): `base64` and the bytes are derived from the text
 * when read (the text re-encodes to exactly the bytes received: it was checked to be valid UTF-8).
 */
export function bodyFromText(core: string, bom: boolean, tail: Uint8Array | null, rest: Omit<ResponseBody, 'base64'>): ResponseBody {
  const out = {} as WithText;
  let cached: string | null = null;
  const src: TextSource = { text: core, bom, tail, byteLength: rest.size };
  Object.defineProperty(out, 'base64', {
    enumerable: true,
    configurable: true,
    get: () => (cached ??= bytesBase64(textBytes(src))),
    set: (v: string) => {
      Object.defineProperty(out, 'base64', { value: v, enumerable: true, writable: true, configurable: true });
    },
  });
  Object.defineProperty(out, TEXT, { value: src, enumerable: false });
  return Object.assign(out, rest);
}

/**
 * The decoded bytes behind a body, when the engine made it (else null: a body parsed from JSON). A body held as
 * text derives them (a new buffer each call: read `bodyBytesHead` for a part).
 */
export function bodyBytes(body: ResponseBody): Uint8Array | null {
  const src = (body as WithText)[TEXT];
  if (src) return textBytes(src);
  return (body as WithBytes)[BYTES] ?? null;
}

/** The first `n` bytes of a body the engine made (null otherwise), without deriving all of a text body's bytes. */
export function bodyBytesHead(body: ResponseBody, n: number): Uint8Array | null {
  const src = (body as WithText)[TEXT];
  if (src) return textBytes(src, n).subarray(0, n);
  return (body as WithBytes)[BYTES]?.subarray(0, n) ?? null;
}

/** Decoded bytes of a body held (without building the whole base64 when the bytes are there). */
export function bodyByteLength(body: ResponseBody): number {
  const src = (body as WithText)[TEXT];
  if (src) return src.byteLength;
  const b = (body as WithBytes)[BYTES];
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
