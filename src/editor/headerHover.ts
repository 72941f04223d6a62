// What the header hover shows, computed without vscode so it can be unit-tested: the field's meaning, syntax and
// reference, and the request-side checks that apply to that line of the block.
import { annotateRequest, formatHeaderExplanation, formatNote, headerField } from '../annotate';
import type { HttpDocument } from '../language';
import type { HeaderPair, Note } from '../shared/exchange';

export interface HeaderHover {
  markdown: string;
  /** 0-based columns on the line that the hover covers (end exclusive). */
  start: number;
  end: number;
  notes: Note[];
}

/** The hover for (line, character) when it falls on a header name or value of a request block, else null. */
export function headerHoverAt(doc: HttpDocument, line: number, character: number, lineText: string): HeaderHover | null {
  for (const block of doc.requests) {
    const index = block.headers.findIndex((h) => h.line === line);
    if (index < 0) continue;
    const colon = lineText.indexOf(':');
    if (colon < 0) return null;
    const nameStart = lineText.length - lineText.trimStart().length;
    const onName = character >= nameStart && character <= colon;
    const valueStart = colon + 1 + (lineText.slice(colon + 1).length - lineText.slice(colon + 1).trimStart().length);
    const onValue = character > colon && character <= lineText.trimEnd().length;
    if (!onName && !onValue) return null;
    const header = block.headers[index];
    const pairs: HeaderPair[] = block.headers.map((h) => [h.name, h.value]);
    const notes = annotateRequest({ method: block.method, url: block.target, headers: pairs, body: block.body }).filter(
      (n) => n.subject === `request-header:${index}`,
    );
    const field = headerField(header.name);
    const parts: string[] = [];
    if (field) {
      parts.push(formatHeaderExplanation(field, { markdown: true }));
      if (field.context === 'response') parts.push('_This field is defined for responses; in a request it has no effect._');
    } else {
      parts.push(
        `**${escapeMd(header.name)}**\n\nNot in the Wire Lens knowledge base: an application-specific field, or a misspelling of a standard one.`,
      );
    }
    if (notes.length) parts.push(notes.map((n) => formatNote(n, { markdown: true })).join('\n\n'));
    const [start, end] = onName ? [nameStart, colon] : [valueStart, lineText.trimEnd().length];
    return { markdown: parts.join('\n\n---\n\n'), start, end: Math.max(end, start), notes };
  }
  return null;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
