// `--json` without building the whole text: the record is serialised with its bodies as placeholders, then
// written piece by piece, base64 and long texts streamed in slices (waiting for the terminal or pipe to drain),
// so printing a 60 MB body costs slices, not the body's base64, its escaped text and the JSON string at once.
import { randomBytes } from 'node:crypto';
import { bodyBytes, bytesBase64, withBody } from '../shared/body';
import type { ResponseBody } from '../shared/exchange';

/** Texts longer than this are streamed; shorter ones are left to JSON.stringify. */
const STREAM_TEXT_CHARS = 64 * 1024;
/** Bytes of body per base64 slice (a multiple of 3, so the slices join into one valid base64 string). */
const B64_SLICE = 3 * 1024 * 1024;
const TEXT_SLICE = 1024 * 1024;

type Piece = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'text'; text: string };

function isBody(v: unknown): v is ResponseBody {
  return typeof v === 'object' && v !== null && 'base64' in v && 'size' in v && 'wireSize' in v && 'truncated' in v;
}

export interface Out {
  write(chunk: string): boolean;
  once(event: 'drain', fn: () => void): unknown;
}

async function put(out: Out, s: string): Promise<void> {
  if (!out.write(s)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** Writes `JSON.stringify(value, null, 2)` (the same text) to `out`, bodies streamed. */
export async function writeJson(value: unknown, out: Out): Promise<void> {
  const nonce = randomBytes(8).toString('hex');
  const pieces: Piece[] = [];
  const token = (p: Piece): string => {
    pieces.push(p);
    return `@@wl-${nonce}-${pieces.length - 1}@@`;
  };
  const skeleton = JSON.stringify(
    value,
    function (this: unknown, _key: string, v: unknown) {
      if (!isBody(v)) return v;
      const bytes = bodyBytes(v);
      const over: Partial<ResponseBody> = {};
      if (bytes && bytes.length > B64_SLICE / 16) over.base64 = token({ kind: 'bytes', bytes });
      if (v.text !== null && v.text.length > STREAM_TEXT_CHARS) over.text = token({ kind: 'text', text: v.text });
      return Object.keys(over).length > 0 ? withBody(v, over) : v;
    },
    2,
  );
  const re = new RegExp(`"@@wl-${nonce}-(\\d+)@@"`, 'g');
  let at = 0;
  for (let m = re.exec(skeleton); m !== null; m = re.exec(skeleton)) {
    await put(out, skeleton.slice(at, m.index));
    at = m.index + m[0].length;
    const p = pieces[Number(m[1])];
    await put(out, '"');
    if (p.kind === 'bytes') {
      for (let i = 0; i < p.bytes.length; i += B64_SLICE) await put(out, bytesBase64(p.bytes.subarray(i, i + B64_SLICE)));
    } else {
      for (let i = 0; i < p.text.length;) {
        let end = Math.min(p.text.length, i + TEXT_SLICE);
        // Never split a surrogate pair between two slices (each is escaped on its own).
        const c = p.text.charCodeAt(end - 1);
        if (end < p.text.length && c >= 0xd800 && c <= 0xdbff) end--;
        await put(out, JSON.stringify(p.text.slice(i, end)).slice(1, -1));
        i = end;
      }
    }
    await put(out, '"');
  }
  await put(out, skeleton.slice(at));
}
