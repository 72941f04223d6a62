// Small recognisers for the line kinds of an .http file. Each is linear in the line length (no regex
// backtracking on user text), so hostile lines stay cheap.

import { KNOWN_METHODS } from '../shared/methods';

export { KNOWN_METHODS };
const KNOWN = new Set(KNOWN_METHODS);

const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VERSION = /^HTTP\/\d+(?:\.\d+)?$/i;

/** Space, tab, and the other whitespace String.prototype.trim removes that matters here. */
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 10 || c === 0xa0 || c === 0xfeff;
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isWs(line.charCodeAt(i))) return false;
  return true;
}

/** `###` at the start of a line separates requests. */
export function isSeparator(line: string): boolean {
  return line.startsWith('###');
}

export function isComment(line: string): boolean {
  let i = 0;
  while (i < line.length && isWs(line.charCodeAt(i))) i++;
  const c = line.charCodeAt(i);
  return c === 35 /* # */ || (c === 47 /* / */ && line.charCodeAt(i + 1) === 47);
}

/** `# @key value` / `// @key value` → key and value. */
export function parseMetadata(line: string): { key: string; value: string } | null {
  let t = line.trimStart();
  if (t.startsWith('#')) t = t.slice(1);
  else if (t.startsWith('//')) t = t.slice(2);
  else return null;
  t = t.trimStart();
  if (!t.startsWith('@')) return null;
  let k = 1;
  while (k < t.length && /[\w-]/.test(t[k])) k++;
  if (k === 1) return null;
  const key = t.slice(1, k);
  let value = t.slice(k).trim();
  if (value.startsWith('=')) value = value.slice(1).trim();
  return { key, value };
}

/** `@name = value` → name, value and the name's columns; null when the line is not a definition. */
export function parseVariableDefinition(line: string): { name: string; value: string; nameStart: number; nameEnd: number } | null {
  const lead = line.length - line.trimStart().length;
  if (line[lead] !== '@') return null;
  const eq = line.indexOf('=', lead + 1);
  if (eq < 0) return null;
  const rawName = line.slice(lead + 1, eq);
  const name = rawName.trim();
  if (!/^[\w.$-]+$/.test(name) || name.length > 200) return null;
  const nameStart = lead + 1 + (rawName.length - rawName.trimStart().length);
  return { name, value: line.slice(eq + 1).trim(), nameStart, nameEnd: nameStart + name.length };
}

export function isMethodToken(token: string): boolean {
  if (token.length > 32) return false;
  if (KNOWN.has(token.toUpperCase()) && /^[A-Za-z-]+$/.test(token)) return true;
  // Extension methods are legal HTTP; accept them when written in capitals.
  return /^[A-Z][A-Z0-9-]*$/.test(token);
}

/** Target text with `{{…}}` (which may hold spaces: `{{$randomInt 1 9}}`) replaced by a placeholder. */
function withoutVariables(target: string): string {
  if (target.indexOf('{{') < 0) return target;
  let out = '';
  let p = 0;
  for (;;) {
    const open = target.indexOf('{{', p);
    const close = open < 0 ? -1 : target.indexOf('}}', open + 2);
    if (close < 0) return out + target.slice(p);
    out += `${target.slice(p, open)}{{v}}`;
    p = close + 2;
  }
}

function looksLikeUrl(raw: string): boolean {
  const target = withoutVariables(raw);
  if (target === '' || /\s/.test(target)) return false;
  // A scheme, an origin-form path, REST Client's `:port/path` for localhost, a variable, `*`, an IP literal, localhost, a dotted host name or host:port.
  return /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|:\d+(?=[/?#]|$)|:\/|\{\{|\*$|\[[0-9a-f:.]+\]|localhost(?=[:/?#]|$)|[\w-]+(?:\.[\w-]+)+(?=[:/?#{]|$)|[\w.-]+:(?:\d|\{\{))/i.test(
    target,
  );
}

export interface RequestLine {
  method: string;
  methodWritten: boolean;
  target: string;
  httpVersion: string | null;
}

function splitVersion(rest: string): { target: string; version: string | null } {
  let k = rest.length - 1;
  while (k >= 0 && !isWs(rest.charCodeAt(k))) k--;
  if (k > 0) {
    const last = rest.slice(k + 1);
    if (VERSION.test(last)) return { target: rest.slice(0, k).trimEnd(), version: last.toUpperCase() };
  }
  return { target: rest, version: null };
}

/** `METHOD target [HTTP/x.y]`, or a bare URL (GET). Null when the line is neither. */
export function parseRequestLine(line: string): RequestLine | null {
  const t = line.trim();
  if (t === '') return null;
  let sp = 0;
  while (sp < t.length && !isWs(t.charCodeAt(sp))) sp++;
  const token = t.slice(0, sp);
  if (sp < t.length && isMethodToken(token)) {
    const { target, version } = splitVersion(t.slice(sp).trim());
    if (target === '') return null;
    const upper = token.toUpperCase();
    return { method: KNOWN.has(upper) ? upper : token, methodWritten: true, target, httpVersion: version };
  }
  const { target, version } = splitVersion(t);
  if (!looksLikeUrl(target)) return null;
  return { method: 'GET', methodWritten: false, target, httpVersion: version };
}

/** A request line that may start a new request without a `###` (httpyac): known method in capitals, URL-like target. */
export function isStrictRequestLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (!(c >= 65 && c <= 90)) return false;
  const r = parseRequestLine(line);
  return r !== null && r.methodWritten && KNOWN.has(r.method) && line.startsWith(r.method) && looksLikeUrl(r.target);
}

export function parseHeader(line: string): { name: string; value: string } | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon).trim();
  if (name === '' || name.length > 1000) return null;
  if (!TOKEN_CHARS.test(name) && !/^[\w-]*\{\{[^}]*\}\}[\w-]*$/.test(name)) return null;
  return { name, value: line.slice(colon + 1).trim() };
}

/** Body file include: `< path` or `<@ path`, also `<@encoding path` (httpyac: the file is read in that encoding). */
export function parseInclude(line: string): { path: string; substitute: boolean; encoding?: string } | null {
  if (!line.startsWith('<')) return null;
  if (line.startsWith('<@')) {
    const m = /^<@([\w-]*)\s+(\S.*)$/.exec(line.length > 5000 ? '' : line);
    if (!m) return null;
    return m[1] ? { path: m[2].trim(), substitute: true, encoding: m[1] } : { path: m[2].trim(), substitute: true };
  }
  if (line.length < 3 || !/\s/.test(line[1])) return null;
  const path = line.slice(1).trim();
  if (path === '' || path.startsWith('{%')) return null;
  return { path, substitute: false };
}

export type SkipStart =
  | { kind: 'post-script' | 'pre-script'; inline: boolean }
  | { kind: 'response-redirect' | 'response-reference' | 'assert' | 'post-script-file'; inline: true };

/** JetBrains / httpyac constructs we recognise but do not run. */
export function skipStart(line: string, allowPre: boolean): SkipStart | null {
  const t = line.trimEnd();
  if (t.startsWith('> {%') || t.startsWith('>{%')) return { kind: 'post-script', inline: t.indexOf('%}', t.indexOf('{%') + 2) >= 0 };
  if (allowPre && (t.startsWith('< {%') || t.startsWith('<{%'))) return { kind: 'pre-script', inline: t.indexOf('%}', t.indexOf('{%') + 2) >= 0 };
  if (t.startsWith('>>')) return { kind: 'response-redirect', inline: true };
  // JetBrains records past responses under the request as `<> 2024-01-31T101010.200.json`.
  if (t.startsWith('<>') && t.length > 2 && isWs(t.charCodeAt(2))) return { kind: 'response-reference', inline: true };
  if (t.startsWith('?? ')) return { kind: 'assert', inline: true };
  if (/^>\s+\S+\.(?:m?js|cjs|ts)$/.test(t.length > 2000 ? '' : t)) return { kind: 'post-script-file', inline: true };
  return null;
}

/** `< ./pre.js` before the request line: a JetBrains pre-request script file (not a body include). */
export function preScriptFile(line: string): string | null {
  const m = /^<\s+(\S+\.(?:m?js|cjs))\s*$/.exec(line.length > 2000 ? '' : line);
  return m ? m[1] : null;
}
