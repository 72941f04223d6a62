// The text view of a body: which media types are text, and the charset from Content-Type (or a BOM).
// UTF-8 is decoded by Node; everything else (ISO-8859-1, windows-1252, UTF-16…) by iconv-lite.
import * as iconv from 'iconv-lite';

export interface TextResult {
  text: string | null;
  charset: string | null;
}

/** Parsed Content-Type values: a run gets the same few again and again. Frozen: callers share them. */
const parsedTypes = new Map<string, Readonly<{ type: string; charset: string | null }>>();
const PARSED_TYPES_MAX = 256;
const NO_TYPE = Object.freeze({ type: '', charset: null });

export function mediaType(contentType: string | undefined): Readonly<{ type: string; charset: string | null }> {
  if (!contentType) return NO_TYPE;
  const known = parsedTypes.get(contentType);
  if (known) return known;
  const [type, ...params] = contentType.split(';');
  let charset: string | null = null;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p);
    if (m) charset = m[1].toLowerCase();
  }
  const parsed = Object.freeze({ type: type.trim().toLowerCase(), charset });
  if (parsedTypes.size >= PARSED_TYPES_MAX) parsedTypes.clear();
  parsedTypes.set(contentType, parsed);
  return parsed;
}

const TEXTUAL = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'image/svg+xml',
  'application/xhtml+xml',
  'application/sql',
]);

export function isTextual(type: string): boolean {
  return type.startsWith('text/') || TEXTUAL.has(type) || /\+(json|xml)$/.test(type);
}

function bomCharset(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/** Decodes when the type is textual (or unknown and the bytes carry a BOM); null text for binary media. */
export function decodeText(body: Buffer, contentType: string | undefined): TextResult {
  const { type, charset } = mediaType(contentType);
  const bom = bomCharset(body);
  if (!isTextual(type) && !(type === '' && bom)) return { text: null, charset: null };
  let cs = bom ?? charset ?? 'utf-8';
  if (cs === 'utf8') cs = 'utf-8';
  if (cs === 'utf-8' || (cs === 'us-ascii' && isAscii(body))) return { text: stripBom(body.toString('utf8')), charset: cs };
  if (!iconv.encodingExists(cs)) return { text: stripBom(body.toString('utf8')), charset: 'utf-8' };
  return { text: stripBom(iconv.decode(body, cs)), charset: cs };
}

function isAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
