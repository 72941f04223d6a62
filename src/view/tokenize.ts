// Our own small pretty-printers with syntax classes for JSON and XML. They emit plain {text, kind} tokens that the
// webview turns into text nodes inside spans (textContent only): response content never becomes markup.
// Both are lenient scanners, not validators: on anything they do not understand they give up (null) and the body
// is shown as plain text. Both stop at `maxChars` so a huge body cannot stall the webview.

export type TokenKind =
  'plain' | 'punct' | 'key' | 'string' | 'number' | 'literal' | 'tag' | 'attr' | 'attrValue' | 'comment' | 'cdata' | 'decl' | 'text';

export interface Token {
  text: string;
  kind: TokenKind;
}

export const DEFAULT_HIGHLIGHT_LIMIT = 512 * 1024;

/** Adds a token, merging it into the previous one when the kind is the same (fewer DOM nodes). */
function push(out: Token[], text: string, kind: TokenKind): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ text, kind });
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_LITERAL = /true|false|null/y;

/** Pretty JSON with two-space indentation, or null when the text is not JSON. */
export function prettyJson(text: string, indent = '  ', maxChars = DEFAULT_HIGHLIGHT_LIMIT): Token[] | null {
  if (text.length > maxChars) return null;
  const out: Token[] = [];
  const stack: string[] = [];
  let i = 0;
  let afterOpen = false;
  let expectKey = false;
  let sawValue = false;
  const nl = (depth: number): void => push(out, `\n${indent.repeat(depth)}`, 'plain');
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (stack.length === 0 && sawValue) return null; // trailing garbage after the top-level value
    if (afterOpen && c !== '}' && c !== ']') nl(stack.length);
    const wasAfterOpen = afterOpen;
    afterOpen = false;
    if (c === '{' || c === '[') {
      push(out, c, 'punct');
      stack.push(c);
      afterOpen = true;
      expectKey = c === '{';
      i++;
    } else if (c === '}' || c === ']') {
      const open = stack.pop();
      if ((c === '}' && open !== '{') || (c === ']' && open !== '[')) return null;
      if (!wasAfterOpen) nl(stack.length);
      push(out, c, 'punct');
      if (stack.length === 0) sawValue = true;
      expectKey = false;
      i++;
    } else if (c === ',') {
      if (stack.length === 0) return null;
      push(out, ',', 'punct');
      nl(stack.length);
      expectKey = stack[stack.length - 1] === '{';
      i++;
    } else if (c === ':') {
      push(out, ': ', 'punct');
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n') return null;
        j++;
      }
      if (j >= text.length) return null;
      push(out, text.slice(i, j + 1), expectKey ? 'key' : 'string');
      expectKey = false;
      if (stack.length === 0) sawValue = true;
      i = j + 1;
    } else {
      JSON_NUMBER.lastIndex = i;
      JSON_LITERAL.lastIndex = i;
      const num = JSON_NUMBER.exec(text);
      const lit = num ? null : JSON_LITERAL.exec(text);
      const m = num ?? lit;
      if (!m) return null;
      push(out, m[0], num ? 'number' : 'literal');
      if (stack.length === 0) sawValue = true;
      i += m[0].length;
    }
  }
  if (stack.length > 0 || !sawValue) return null;
  return out;
}

interface XmlItem {
  kind: 'open' | 'close' | 'selfclose' | 'text' | 'comment' | 'cdata' | 'decl';
  tokens: Token[];
}

const XML_NAME = /[A-Za-z_:][-\w.:]*/y;

function scanTag(text: string, start: number): { item: XmlItem; end: number } | null {
  const closing = text[start + 1] === '/';
  let i = start + (closing ? 2 : 1);
  XML_NAME.lastIndex = i;
  const name = XML_NAME.exec(text);
  if (!name) return null;
  i += name[0].length;
  const tokens: Token[] = [];
  push(tokens, `<${closing ? '/' : ''}${name[0]}`, 'tag');
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) return null;
    if (text[i] === '>') {
      push(tokens, '>', 'tag');
      return { item: { kind: closing ? 'close' : 'open', tokens }, end: i + 1 };
    }
    if (text.startsWith('/>', i) && !closing) {
      push(tokens, '/>', 'tag');
      return { item: { kind: 'selfclose', tokens }, end: i + 2 };
    }
    if (closing) return null;
    XML_NAME.lastIndex = i;
    const attr = XML_NAME.exec(text);
    if (!attr) return null;
    push(tokens, ' ', 'plain');
    push(tokens, attr[0], 'attr');
    i += attr[0].length;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '=') continue; // attribute without value (lenient, HTML-ish)
    push(tokens, '=', 'punct');
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    const q = text[i];
    if (q !== '"' && q !== "'") return null;
    const close = text.indexOf(q, i + 1);
    if (close < 0) return null;
    push(tokens, text.slice(i, close + 1), 'attrValue');
    i = close + 1;
  }
}

function scanXml(text: string): XmlItem[] | null {
  const items: XmlItem[] = [];
  let i = 0;
  const special: [string, string, XmlItem['kind'], TokenKind][] = [
    ['<!--', '-->', 'comment', 'comment'],
    ['<![CDATA[', ']]>', 'cdata', 'cdata'],
    ['<?', '?>', 'decl', 'decl'],
    ['<!', '>', 'decl', 'decl'],
  ];
  outer: while (i < text.length) {
    if (text[i] === '<') {
      for (const [open, close, kind, tk] of special) {
        if (text.startsWith(open, i)) {
          const end = text.indexOf(close, i + open.length);
          if (end < 0) return null;
          items.push({ kind, tokens: [{ text: text.slice(i, end + close.length), kind: tk }] });
          i = end + close.length;
          continue outer;
        }
      }
      const tag = scanTag(text, i);
      if (!tag) return null;
      items.push(tag.item);
      i = tag.end;
    } else {
      const next = text.indexOf('<', i);
      const end = next < 0 ? text.length : next;
      const t = text.slice(i, end).trim();
      if (t) items.push({ kind: 'text', tokens: [{ text: t, kind: 'text' }] });
      i = end;
    }
  }
  return items;
}

/** Pretty XML, one element per line, text-only elements kept on one line; null when it does not scan as XML. */
export function prettyXml(text: string, indent = '  ', maxChars = DEFAULT_HIGHLIGHT_LIMIT): Token[] | null {
  if (text.length > maxChars) return null;
  const items = scanXml(text);
  if (!items || !items.some((it) => it.kind === 'open' || it.kind === 'selfclose')) return null;
  const out: Token[] = [];
  let depth = 0;
  let first = true;
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    // <a>text</a> stays on one line.
    if (it.kind === 'open' && items[k + 1]?.kind === 'text' && items[k + 2]?.kind === 'close') {
      if (!first) push(out, '\n', 'plain');
      push(out, indent.repeat(depth), 'plain');
      for (const t of [...it.tokens, ...items[k + 1].tokens, ...items[k + 2].tokens]) push(out, t.text, t.kind);
      k += 2;
      first = false;
      continue;
    }
    if (it.kind === 'close') depth = Math.max(0, depth - 1);
    if (!first) push(out, '\n', 'plain');
    push(out, indent.repeat(depth), 'plain');
    for (const t of it.tokens) push(out, t.text, t.kind);
    if (it.kind === 'open') depth++;
    first = false;
  }
  return out;
}

export type BodyKind = 'json' | 'xml' | 'html' | 'text' | 'image' | 'binary' | 'empty';

/** Image types shown inline. SVG is excluded on purpose: it is a document that can carry script. */
export const SAFE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/avif',
  'image/x-icon',
  'image/vnd.microsoft.icon',
]);

/** The media type without parameters, lower-cased. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function bodyKind(contentType: string | null | undefined, size: number, text: string | null): BodyKind {
  if (size === 0) return 'empty';
  const mt = mediaType(contentType);
  if (SAFE_IMAGE_TYPES.has(mt)) return 'image';
  if (mt === 'application/json' || mt.endsWith('+json') || mt === 'text/json') return 'json';
  if (mt === 'application/xml' || mt === 'text/xml' || mt.endsWith('+xml')) return text === null ? 'binary' : 'xml';
  if (mt === 'text/html' || mt === 'application/xhtml+xml') return 'html';
  if (text !== null) {
    if (!mt) {
      const t = text.trimStart();
      if (t.startsWith('{') || t.startsWith('[')) return 'json';
      if (t.startsWith('<?xml')) return 'xml';
    }
    return 'text';
  }
  return 'binary';
}

/** The VS Code language id for Open in Editor. */
export function languageFor(kind: BodyKind, contentType: string | null | undefined): string {
  const mt = mediaType(contentType);
  if (kind === 'json') return 'json';
  if (kind === 'xml') return 'xml';
  if (kind === 'html') return 'html';
  if (mt === 'text/css') return 'css';
  if (mt === 'text/javascript' || mt === 'application/javascript') return 'javascript';
  if (mt === 'text/markdown') return 'markdown';
  if (mt === 'text/csv') return 'csv';
  if (mt === 'application/yaml' || mt === 'text/yaml') return 'yaml';
  return 'plaintext';
}

/** The file extension used when saving a body. */
export function extensionFor(kind: BodyKind, contentType: string | null | undefined): string {
  const mt = mediaType(contentType);
  const byType: Record<string, string> = {
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/webp': 'webp',
    'image/bmp': 'bmp',
    'image/avif': 'avif',
    'image/svg+xml': 'svg',
    'text/css': 'css',
    'text/javascript': 'js',
    'application/javascript': 'js',
    'text/csv': 'csv',
    'application/pdf': 'pdf',
    'application/zip': 'zip',
    'application/gzip': 'gz',
  };
  if (byType[mt]) return byType[mt];
  if (kind === 'json') return 'json';
  if (kind === 'xml') return 'xml';
  if (kind === 'html') return 'html';
  if (kind === 'text') return 'txt';
  return 'bin';
}
