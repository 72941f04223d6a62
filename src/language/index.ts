// Minimal .http parsing for the foundation: blocks split on `###`, a request line, headers, a body.
// The language issue replaces this with the full, tolerant parser; callers use only this API.
import type { ResolvedRequest } from '../shared/request';

export interface LangDiagnostic {
  /** 0-based line. */
  line: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface HeaderLine {
  name: string;
  value: string;
  /** 0-based line. */
  line: number;
}

export interface RequestBlock {
  /** 0-based first and last line of the block (separators excluded). */
  startLine: number;
  endLine: number;
  /** 0-based line of the request line. */
  requestLine: number;
  title: string | null;
  name: string | null;
  method: string;
  target: string;
  httpVersion: string | null;
  headers: HeaderLine[];
  body: string | null;
  metadata: Record<string, string>;
}

export interface HttpDocument {
  requests: RequestBlock[];
  diagnostics: LangDiagnostic[];
}

const METHOD = /^([A-Z][A-Z-]*)\s+(\S+)(?:\s+(HTTP\/\d(?:\.\d)?))?\s*$/;

export function parseHttp(text: string): HttpDocument {
  const lines = text.split(/\r?\n/);
  const requests: RequestBlock[] = [];
  const diagnostics: LangDiagnostic[] = [];
  let start = 0;
  let title: string | null = null;
  const flush = (end: number): void => {
    const block = parseBlock(lines, start, end, title, diagnostics);
    if (block) requests.push(block);
  };
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('###')) {
      flush(i - 1);
      start = i + 1;
      title = lines[i].slice(3).trim() || null;
    }
  }
  flush(lines.length - 1);
  return { requests, diagnostics };
}

function parseBlock(lines: string[], start: number, end: number, title: string | null, diags: LangDiagnostic[]): RequestBlock | null {
  const metadata: Record<string, string> = {};
  let i = start;
  for (; i <= end; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    const meta = /^(?:#|\/\/)\s*@([\w-]+)\s*(.*)$/.exec(l);
    if (meta) { metadata[meta[1]] = meta[2]; continue; }
    if (l.startsWith('#') || l.startsWith('//')) continue;
    break;
  }
  if (i > end) return null;
  const m = METHOD.exec(lines[i].trim());
  const bare = /^https?:\/\//.test(lines[i].trim());
  if (!m && !bare) {
    diags.push({ line: i, severity: 'error', message: `Not a request line: ${lines[i].trim()}` });
    return null;
  }
  const requestLine = i;
  const headers: HeaderLine[] = [];
  for (i++; i <= end && lines[i].trim() !== ''; i++) {
    const h = /^([^:\s]+)\s*:\s?(.*)$/.exec(lines[i]);
    if (h) headers.push({ name: h[1], value: h[2], line: i });
    else diags.push({ line: i, severity: 'error', message: `Not a header: ${lines[i]}` });
  }
  let bodyEnd = end;
  while (bodyEnd > i && lines[bodyEnd].trim() === '') bodyEnd--;
  const body = i < bodyEnd || (i === bodyEnd && lines[i].trim() !== '') ? lines.slice(i + 1, bodyEnd + 1).join('\r\n') : null;
  return {
    startLine: start, endLine: end, requestLine, title, name: metadata.name ?? null,
    method: m ? m[1] : 'GET', target: m ? m[2] : lines[requestLine].trim(), httpVersion: m?.[3] ?? null,
    headers, body: body === '' ? null : body, metadata,
  };
}

export interface ResolveResult {
  request: ResolvedRequest | null;
  errors: LangDiagnostic[];
}

/** What resolution may draw on besides the document. The language issue extends this (environments, history…). */
export interface ResolveContext {
  /** Absolute path of the .http file, for `< file` includes and .env lookup. */
  filePath?: string;
  /** Selected environment name, or null for none. */
  environment?: string | null;
  /** The last exchange of each named request (`# @name`), for request variables; the sender records into it. */
  responses?: Map<string, import('../shared/exchange').Exchange>;
}

export async function resolveRequest(_doc: HttpDocument, block: RequestBlock, _ctx: ResolveContext = {}): Promise<ResolveResult> {
  let url = block.target;
  if (!/^https?:\/\//i.test(url)) {
    const host = block.headers.find((h) => h.name.toLowerCase() === 'host');
    if (!host) return { request: null, errors: [{ line: block.requestLine, severity: 'error', message: 'Origin-form target needs a Host header' }] };
    url = `http://${host.value}${url}`;
  }
  return {
    request: {
      name: block.name ?? undefined,
      method: block.method,
      url,
      httpVersion: block.httpVersion ?? 'HTTP/1.1',
      headers: block.headers.map((h) => [h.name, h.value]),
      body: block.body === null ? null : [{ kind: 'bytes', data: Buffer.from(block.body, 'utf8') }],
      options: { followRedirects: !('no-redirect' in block.metadata), insecure: 'insecure' in block.metadata },
    },
    errors: [],
  };
}
