// Order for "Send All Requests": document order, except that a request whose variables read another named
// request of the file (`{{login.response.body.$.token}}`, directly or through file variables) has that
// request sent first. Cycles fall back to document order; each request is sent once.
import { blockAt } from './editing';
import { parseRequestVariable } from './requestVariables';
import type { HttpDocument, RequestBlock } from './types';

/** Expressions between `{{` and `}}` in a text. */
function expressions(text: string): string[] {
  const out: string[] = [];
  let p = text.indexOf('{{');
  while (p >= 0) {
    const close = text.indexOf('}}', p + 2);
    if (close < 0) break;
    out.push(text.slice(p + 2, close).trim());
    p = text.indexOf('{{', close + 2);
  }
  return out;
}

/** Names of the requests a block reads through request variables, file variables followed. */
export function requestDependencies(doc: HttpDocument, block: RequestBlock): string[] {
  const exprs = doc.references.filter((r) => r.line >= block.startLine && r.line <= block.endLine).map((r) => r.expression);
  return dependenciesOf(exprs, fileVariables(doc));
}

function fileVariables(doc: HttpDocument): Map<string, string> {
  const fileVars = new Map<string, string>();
  for (const v of doc.variables) fileVars.set(v.name, v.value);
  return fileVars;
}

function dependenciesOf(exprs: string[], fileVars: Map<string, string>): string[] {
  const names = new Set<string>();
  const seenVars = new Set<string>();
  const pending = [...exprs];
  while (pending.length > 0) {
    const expr = (pending.pop() ?? '').replace(/^%/, '');
    const ref = parseRequestVariable(expr);
    if (ref) {
      names.add(ref.name);
      continue;
    }
    const value = fileVars.get(expr);
    if (value !== undefined && !seenVars.has(expr)) {
      seenVars.add(expr);
      pending.push(...expressions(value));
    }
  }
  return [...names];
}

export function sendOrder(doc: HttpDocument): RequestBlock[] {
  const out: RequestBlock[] = [];
  const done = new Set<RequestBlock>();
  const visiting = new Set<RequestBlock>();
  // One pass over the references (files may hold 10,000 requests).
  const fileVars = fileVariables(doc);
  const exprsOf = new Map<RequestBlock, string[]>();
  for (const r of doc.references) {
    const b = blockAt(doc, r.line);
    if (!b) continue;
    const list = exprsOf.get(b);
    if (list) list.push(r.expression);
    else exprsOf.set(b, [r.expression]);
  }
  // Same lookup as namedRequest(): the first `# @name`, else the first `###` title.
  const named = new Map<string, RequestBlock>();
  const titled = new Map<string, RequestBlock>();
  for (const r of doc.requests) {
    if (r.name !== null && !named.has(r.name)) named.set(r.name, r);
    if (r.title !== null && !titled.has(r.title)) titled.set(r.title, r);
  }
  const visit = (block: RequestBlock, depth: number): void => {
    if (done.has(block) || visiting.has(block)) return;
    visiting.add(block);
    // A pathological chain deeper than this keeps document order for the rest (bounded recursion).
    if (depth < 500) {
      for (const name of dependenciesOf(exprsOf.get(block) ?? [], fileVars)) {
        const dep = named.get(name) ?? titled.get(name);
        if (dep && dep !== block) visit(dep, depth + 1);
      }
    }
    visiting.delete(block);
    done.add(block);
    out.push(block);
  };
  for (const block of doc.requests) visit(block, 0);
  return out;
}
