// The charset rule for text that leaves as a body: UTF-8, unless the request's Content-Type declares another
// charset, in which case the text is encoded in that charset (a body labelled iso-8859-1 but sent as UTF-8
// would be read wrongly by the server). A character the declared charset cannot hold is refused, by name.
// Files included with `<` are streamed as they are and never re-encoded.
import * as iconv from 'iconv-lite';

/** The `charset` parameter of a Content-Type value, lower-cased; null when there is none. */
export function declaredCharset(contentType: string): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const v = (m?.[1] ?? m?.[2] ?? '').trim().toLowerCase();
  return v === '' ? null : v;
}

const UTF8 = new Set(['utf-8', 'utf8']);

export function encodeBodyText(text: string, charset: string | null): { data: Buffer } | { error: string } {
  if (charset === null || UTF8.has(charset)) return { data: Buffer.from(text, 'utf8') };
  const wide = /^(?:utf-?16|utf-?32|ucs-?2)/.test(charset);
  // ASCII text is the same bytes in every ASCII-compatible charset.
  if (!wide && !/[^\x00-\x7f]/.test(text)) return { data: Buffer.from(text, 'latin1') };
  if (!iconv.encodingExists(charset))
    return {
      error: `The Content-Type declares charset=${charset}, which Wire Lens cannot encode; the body was not sent (declare utf-8, or send the file with < path).`,
    };
  const data = iconv.encode(text, charset);
  const back = iconv.decode(data, charset);
  if (back !== text) {
    const a = [...text];
    const b = [...back];
    const at = a.findIndex((ch, i) => ch !== b[i]);
    const ch = a[Math.max(0, at)];
    return {
      error: `The body holds ${JSON.stringify(ch)} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}), which charset=${charset} (declared in Content-Type) cannot represent; not sent. Declare charset=utf-8 or write the character another way.`,
    };
  }
  return { data };
}

/** Reads a file included with `<@encoding path`; null when the encoding is unknown. */
export function decodeFile(data: Buffer, encoding: string): string | null {
  const enc = encoding.toLowerCase();
  if (UTF8.has(enc)) return data.toString('utf8');
  if (!iconv.encodingExists(enc)) return null;
  return iconv.decode(data, enc);
}
