// Request-side checks as diagnostics in .http files: the problems the annotations would report after sending
// (bad Basic credentials, a date that is not an HTTP date…) shown on the line before the request goes out.
// Only `bad` and `warning` notes become diagnostics; `info` and `good` stay in the hover.
import { annotateRequest } from './index';
import type { HttpDocument, RequestBlock } from '../language';
import type { HeaderPair, Note } from '../shared/exchange';

export interface RequestProblem {
  /** 0-based line. */
  line: number;
  severity: 'warning' | 'information';
  message: string;
  code: string;
}

function lineFor(block: RequestBlock, subject: string): number {
  const m = /^request-header:(\d+)$/.exec(subject);
  if (m) return block.headers[Number(m[1])]?.line ?? block.requestLine;
  if (subject === 'request-body' && block.bodyStartLine !== null) return block.bodyStartLine;
  return block.requestLine;
}

export function requestProblems(doc: HttpDocument): RequestProblem[] {
  const out: RequestProblem[] = [];
  for (const block of doc.requests) {
    // A socket block's body is its messages and its method is no HTTP method: the HTTP request checks do not apply.
    if (block.socket) continue;
    const headers: HeaderPair[] = block.headers.map((h) => [h.name, h.value]);
    const notes: Note[] = annotateRequest({ method: block.method, url: block.target, headers, body: block.body });
    for (const n of notes) {
      if (n.level !== 'bad' && n.level !== 'warning') continue;
      out.push({
        line: lineFor(block, n.subject),
        severity: n.level === 'bad' ? 'warning' : 'information',
        message: n.summary,
        code: n.id ?? 'wirelens',
      });
    }
  }
  return out;
}
