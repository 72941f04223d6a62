// Pure helpers behind the editor features: what is at a position, what to complete, which variables are unknown.
import { parseRequestVariable } from './requestVariables';
import { refusedSystemVariable } from './auth';
import { isKnownSystemVariable } from './system';
import type { HttpDocument, LangDiagnostic, RequestBlock, VariableReference } from './types';

/** The request whose lines contain `line` (binary search: requests are in document order and do not overlap). */
export function blockAt(doc: HttpDocument, line: number): RequestBlock | undefined {
  const rs = doc.requests;
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rs[mid];
    if (line < r.startLine) hi = mid - 1;
    else if (line > r.endLine) lo = mid + 1;
    else return r;
  }
  return undefined;
}

export function referenceAt(doc: HttpDocument, line: number, column: number): VariableReference | undefined {
  return doc.references.find((r) => r.line === line && column >= r.start && column <= r.end);
}

/** The request a `{{name.response…}}` reference points at: `# @name` first, then a `###` title written as a name. */
export function namedRequest(doc: HttpDocument, name: string): RequestBlock | undefined {
  return doc.requests.find((r) => r.name === name) ?? doc.requests.find((r) => r.title === name);
}

export type CompletionContext =
  | { kind: 'variable'; /** Text typed after `{{` so far. */ prefix: string; /** Column where that text starts. */ start: number }
  | { kind: 'method'; prefix: string; start: number }
  | { kind: 'header-name'; prefix: string; start: number }
  | { kind: 'header-value'; header: string; prefix: string; start: number }
  | { kind: 'none' };

/** What the user is typing at (line, column), from the line text and the parsed document. */
export function completionContext(doc: HttpDocument, lineText: string, line: number, column: number): CompletionContext {
  const before = lineText.slice(0, column);
  const open = before.lastIndexOf('{{');
  if (open >= 0 && before.indexOf('}}', open) < 0) {
    const typed = before.slice(open + 2);
    const lead = typed.length - typed.trimStart().length;
    return { kind: 'variable', prefix: typed.trimStart(), start: open + 2 + lead };
  }
  const trimmed = before.trimStart();
  if (trimmed.startsWith('#') || trimmed.startsWith('//') || trimmed.startsWith('@')) return { kind: 'none' };
  const block = blockAt(doc, line);
  // Header lines, or a still-blank line right after them (about to become a header).
  const inHeaders =
    block !== undefined &&
    line > block.requestLineEnd &&
    (line <= block.headerEndLine ||
      (line === block.headerEndLine + 1 && lineText.trim() === '' && (block.bodyStartLine === null || block.bodyStartLine > line + 1)));
  if (inHeaders) {
    const colon = before.indexOf(':');
    if (colon < 0) {
      if (/\s/.test(trimmed)) return { kind: 'none' };
      return { kind: 'header-name', prefix: trimmed, start: before.length - trimmed.length };
    }
    const header = before.slice(0, colon).trim();
    const afterColon = before.slice(colon + 1);
    // Complete the last item of a comma-separated list (Accept: a, b).
    const comma = afterColon.lastIndexOf(',');
    const piece = comma >= 0 ? afterColon.slice(comma + 1) : afterColon;
    const prefix = piece.trimStart();
    return { kind: 'header-value', header, prefix, start: column - prefix.length };
  }
  const onRequestLine = block === undefined ? true : line <= block.requestLine;
  if (onRequestLine && /^[A-Za-z-]*$/.test(trimmed)) return { kind: 'method', prefix: trimmed, start: before.length - trimmed.length };
  return { kind: 'none' };
}

export interface KnownVariables {
  /** Variables of the selected environment (with `$shared`). */
  environment: Set<string>;
  /** Name of the selected environment, for messages. */
  environmentName: string | null;
  /** Other environments that define a name, for a more helpful message. */
  elsewhere?: (name: string) => string[];
}

/** Warnings for `{{…}}` that nothing defines: not a file variable, prompt, environment, request or system variable. */
export function checkVariables(doc: HttpDocument, known: KnownVariables): LangDiagnostic[] {
  const fileVars = new Set(doc.variables.map((v) => v.name));
  const names = new Set<string>();
  for (const r of doc.requests) {
    if (r.name) names.add(r.name);
    if (r.title) names.add(r.title);
  }
  const elsewhere = new Map<string, string[]>();
  const out: LangDiagnostic[] = [];
  for (const ref of doc.references) {
    let expr = ref.expression;
    if (expr.startsWith('%')) expr = expr.slice(1);
    const at = { line: ref.line, column: ref.start, endColumn: ref.end };
    if (expr.startsWith('$')) {
      const refused = refusedSystemVariable(expr.split(/[\s(]/, 1)[0]);
      if (refused) out.push({ ...at, severity: 'error', message: refused });
      else if (!isKnownSystemVariable(expr))
        out.push({ ...at, severity: 'warning', message: `Unknown system variable {{${expr.split(/[\s(]/, 1)[0]}}}.` });
      continue;
    }
    if (fileVars.has(expr) || known.environment.has(expr)) continue;
    const block = blockAt(doc, ref.line);
    if (block?.prompts.some((p) => p.name === expr)) continue;
    const rv = parseRequestVariable(expr);
    if (rv) {
      if (!names.has(rv.name))
        out.push({ ...at, severity: 'warning', message: `No request named '${rv.name}' in this file (add # @name ${rv.name} above it).` });
      continue;
    }
    let others = elsewhere.get(expr);
    if (!others) elsewhere.set(expr, (others = known.elsewhere?.(expr) ?? []));
    const env = known.environmentName ? `environment '${known.environmentName}'` : 'the $shared environment (no environment selected)';
    out.push({
      ...at,
      severity: 'warning',
      message: others.length
        ? `{{${expr}}} is not defined in ${env}; it is defined in ${others.join(', ')}.`
        : `Unknown variable {{${expr}}}: not a file variable, not in ${env}, not a prompt, request or system variable.`,
    });
  }
  return out;
}
