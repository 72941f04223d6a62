// httpyac's `# @import ./other.http` (another file's file variables and named requests) and `# @ref name` /
// `# @forceRef name` (send that named request first: once per run for @ref, every time for @forceRef).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHttp } from './parser';
import type { HttpDocument, LangDiagnostic, RequestBlock } from './types';

const MAX_IMPORT_DEPTH = 8;
const MAX_IMPORT_FILES = 50;
const MAX_IMPORT_SIZE = 16 * 1024 * 1024;

export interface LocatedDocument {
  doc: HttpDocument;
  /** Absolute path, when the document is a file. */
  filePath?: string;
}

export interface LocatedBlock extends LocatedDocument {
  block: RequestBlock;
}

/** `# @import path` lines of a document (anywhere at the top level, as httpyac reads them). */
export function importsOf(doc: HttpDocument): { path: string; line: number }[] {
  return doc.imports ?? [];
}

/** The documents a file imports, directly or through other imports, nearest first; cycles and repeats skipped. */
export function loadImports(main: LocatedDocument): { docs: LocatedDocument[]; problems: LangDiagnostic[] } {
  const docs: LocatedDocument[] = [];
  const problems: LangDiagnostic[] = [];
  const seen = new Set<string>(main.filePath ? [path.resolve(main.filePath)] : []);
  const visit = (from: LocatedDocument, depth: number, topLine: number | null): void => {
    for (const imp of importsOf(from.doc)) {
      const line = topLine ?? imp.line;
      if (!from.filePath) {
        problems.push({ line, severity: 'error', message: `@import ${imp.path}: an unsaved document cannot import files.` });
        continue;
      }
      const file = path.resolve(path.dirname(from.filePath), imp.path);
      if (seen.has(file)) continue;
      seen.add(file);
      if (depth >= MAX_IMPORT_DEPTH || docs.length >= MAX_IMPORT_FILES) {
        problems.push({
          line,
          severity: 'error',
          message: `@import ${imp.path}: imports nest deeper than ${MAX_IMPORT_DEPTH} or name more than ${MAX_IMPORT_FILES} files.`,
        });
        continue;
      }
      let text: string;
      try {
        const st = fs.statSync(file);
        if (!st.isFile() || st.size > MAX_IMPORT_SIZE) throw new Error(st.isFile() ? 'larger than 16 MiB' : 'not a file');
        text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      } catch (e) {
        problems.push({
          line,
          severity: 'error',
          message: `@import ${imp.path}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`,
        });
        continue;
      }
      const located = { doc: parseHttp(text), filePath: file };
      docs.push(located);
      visit(located, depth + 1, line);
    }
  };
  visit(main, 0, null);
  return { docs, problems };
}

function isReference(key: string): boolean {
  return key === 'ref' || key === 'forceRef' || key === 'forceref';
}

function findNamed(name: string, docs: LocatedDocument[]): LocatedBlock | null {
  for (const d of docs) {
    const block = d.doc.requests.find((r) => r.name === name) ?? d.doc.requests.find((r) => r.title === name);
    if (block) return { ...d, block };
  }
  return null;
}

/**
 * The requests to send before `block` for its `@ref` / `@forceRef` metadata (and theirs), in order. `sent` says
 * whether a named request already has a response in this run; @ref skips those, @forceRef does not.
 */
export function referencePlan(
  target: LocatedBlock,
  imported: LocatedDocument[],
  sent: (name: string) => boolean,
): { plan: LocatedBlock[]; problems: LangDiagnostic[] } {
  const plan: LocatedBlock[] = [];
  const problems: LangDiagnostic[] = [];
  // Most requests reference none (and every request of a run is asked).
  if (!target.block.metadataEntries.some((m) => isReference(m.key))) return { plan, problems };
  const visiting = new Set<RequestBlock>();
  const planned = new Set<RequestBlock>();
  const visit = (at: LocatedBlock, depth: number): void => {
    visiting.add(at.block);
    for (const m of at.block.metadataEntries) {
      if (!isReference(m.key)) continue;
      for (const name of m.value.split(/[\s,]+/).filter(Boolean)) {
        const force = m.key !== 'ref';
        // The block's own file first, then the imports.
        const found = findNamed(name, [{ doc: at.doc, filePath: at.filePath }, ...imported]);
        if (!found) {
          if (at.block === target.block)
            problems.push({ line: m.line, severity: 'error', message: `@${m.key} ${name}: no request named ${name} in this file or its imports.` });
          continue;
        }
        if (visiting.has(found.block)) {
          problems.push({ line: m.line, severity: 'error', message: `@${m.key} ${name}: the references go round in a circle.` });
          continue;
        }
        if (planned.has(found.block) || (!force && sent(name))) continue;
        if (depth < 32) visit(found, depth + 1);
        planned.add(found.block);
        plan.push(found);
      }
    }
    visiting.delete(at.block);
  };
  visit(target, 0);
  return { plan, problems };
}
