// ```http / ```rest fences in Markdown: each fence's content is parsed as an .http document and the
// results are shifted to the Markdown line numbers, so CodeLens and Send work in README files.
import { splitLines } from './lines';
import { parseHttp } from './parser';
import type { HttpDocument, RequestBlock } from './types';

export interface Fence {
  /** 0-based line of the first content line and of the last one (the fences themselves excluded). */
  startLine: number;
  endLine: number;
}

export function httpFences(text: string): Fence[] {
  const { lines } = splitLines(text);
  const out: Fence[] = [];
  let open: { marker: string; start: number; http: boolean } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) {
      if (m) open = { marker: m[1], start: i + 1, http: /^(http|rest)$/i.test(m[2]) };
    } else if (m && m[1].startsWith(open.marker[0]) && m[1].length >= open.marker.length && lines[i].trim() === m[1]) {
      if (open.http && i - 1 >= open.start) out.push({ startLine: open.start, endLine: i - 1 });
      open = null;
    }
  }
  return out;
}

function shift(block: RequestBlock, by: number): RequestBlock {
  const s = (n: number | null): number | null => (n === null ? null : n + by);
  return {
    ...block,
    startLine: block.startLine + by,
    endLine: block.endLine + by,
    requestLine: block.requestLine + by,
    requestLineEnd: block.requestLineEnd + by,
    headerEndLine: block.headerEndLine + by,
    bodyStartLine: s(block.bodyStartLine),
    bodyEndLine: s(block.bodyEndLine),
    headers: block.headers.map((h) => ({ ...h, line: h.line + by })),
    includes: block.includes.map((i) => ({ ...i, line: i.line + by })),
    metadataEntries: block.metadataEntries.map((m) => ({ ...m, line: m.line + by })),
    prompts: block.prompts.map((p) => ({ ...p, line: p.line + by })),
    skipped: block.skipped.map((k) => ({ ...k, startLine: k.startLine + by, endLine: k.endLine + by })),
    scripts: block.scripts.map((k) => ({ ...k, startLine: k.startLine + by, endLine: k.endLine + by, codeLine: k.codeLine + by })),
    asserts: block.asserts.map((a) => ({ ...a, line: a.line + by })),
  };
}

/** All ```http fences of a Markdown text as one document (variables of every fence are shared). */
export function parseMarkdownHttp(text: string): HttpDocument {
  const { lines } = splitLines(text);
  const doc: HttpDocument = { requests: [], diagnostics: [], variables: [], references: [], separators: [], lineCount: lines.length };
  for (const f of httpFences(text)) {
    const part = parseHttp(lines.slice(f.startLine, f.endLine + 1).join('\n'));
    const by = f.startLine;
    doc.requests.push(...part.requests.map((r) => shift(r, by)));
    doc.diagnostics.push(...part.diagnostics.map((d) => ({ ...d, line: d.line + by })));
    doc.variables.push(...part.variables.map((v) => ({ ...v, line: v.line + by })));
    doc.references.push(...part.references.map((r) => ({ ...r, line: r.line + by })));
    doc.separators.push(...part.separators.map((s) => s + by));
  }
  return doc;
}
