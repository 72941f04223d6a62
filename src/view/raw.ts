// The raw exchange as text: bytes shown as code points 0–255, CR/LF optionally made visible, chunk framing marked.
import type { ChunkMark } from '../shared/exchange';
import { latin1 } from './bytes';
import { showMaskBytes } from './maskShown';

export type RawSegmentKind = 'head' | 'chunk-size' | 'data' | 'trailer' | 'cut';

export interface RawSegment {
  kind: RawSegmentKind;
  text: string;
}

/** Makes CR and LF visible (␍ ␊), keeping real line breaks after LF so the layout stays readable. */
export function showLineEnds(text: string): string {
  return text.replace(/\r/g, '␍').replace(/\n/g, '␊\n');
}

/** Control bytes other than CR, LF and TAB would be invisible or confusing: show them as escapes. */
export function escapeControls(text: string): string {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Splits raw response bytes into the head, then (when chunked) alternating chunk-size lines and data, then trailers.
 * At most `limit` bytes are turned into text; the rest becomes one `cut` segment saying how much was left out.
 */
export function rawSegments(bytes: Uint8Array, headSize: number | undefined, chunks: ChunkMark[] | undefined, limit = 64 * 1024): RawSegment[] {
  const end = Math.min(bytes.length, limit);
  const head = Math.min(headSize ?? bytes.length, end);
  const segs: RawSegment[] = [];
  const add = (kind: RawSegmentKind, from: number, to: number): void => {
    const a = Math.max(from, 0);
    const b = Math.min(to, end);
    if (b > a) segs.push({ kind, text: escapeControls(showMaskBytes(latin1(bytes, a, b))) });
  };
  add('head', 0, head);
  let at = head;
  for (const c of chunks ?? []) {
    if (c.offset < at || c.offset >= end) {
      if (c.offset >= end) break;
      continue;
    }
    add('data', at, c.offset);
    // The chunk-size line runs to its CRLF.
    let lineEnd = c.offset;
    while (lineEnd < bytes.length && bytes[lineEnd] !== 0x0a) lineEnd++;
    lineEnd = Math.min(lineEnd + 1, bytes.length);
    add('chunk-size', c.offset, lineEnd);
    at = lineEnd;
    if (c.size === 0) {
      add('trailer', at, bytes.length);
      at = Math.min(bytes.length, end);
      break;
    }
  }
  add('data', at, end);
  if (bytes.length > end) segs.push({ kind: 'cut', text: `… ${bytes.length - end} more bytes not shown` });
  return segs;
}

/**
 * The final response's status line exactly as received (interim 1xx heads come before it in the raw bytes):
 * the last line that starts a head (the first line, or one after a blank line) and begins with `HTTP/`.
 * Control bytes are escaped; null when no such line arrived.
 */
export function receivedStatusLine(bytes: Uint8Array, headSize: number | undefined): string | null {
  const end = Math.min(bytes.length, headSize ?? bytes.length);
  let found: string | null = null;
  let lineStart = 0;
  let startsHead = true;
  for (let i = 0; i <= end; i++) {
    if (i < end && bytes[i] !== 0x0a) continue;
    const stop = i > lineStart && bytes[i - 1] === 0x0d ? i - 1 : i;
    const line = latin1(bytes, lineStart, stop);
    if (startsHead && line.startsWith('HTTP/')) found = line;
    startsHead = line.length === 0;
    lineStart = i + 1;
  }
  return found === null ? null : escapeControls(found);
}

/** The body bytes as they crossed the wire (after the head: chunk framing and content coding still in place). */
export function wireBodyBytes(bytes: Uint8Array, headSize: number | undefined): Uint8Array {
  return headSize === undefined ? new Uint8Array(0) : bytes.subarray(Math.min(headSize, bytes.length));
}
