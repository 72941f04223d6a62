#!/usr/bin/env node
// Fails when files import each other in a cycle (type-only imports and re-exports count: a type cycle still ties
// two modules together). `node scripts/check-cycles.mjs [--root DIR] [DIR…]` checks the TypeScript files under
// each DIR (default: src and media/webview); exit 0 without a cycle, 1 listing every cycle found, 2 on bad usage.
// Offline and dependency-free beyond TypeScript's own import scanner.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names: `./x` → x.ts or x/index.ts; null for packages and missing files. */
function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [`${base}.ts`, join(base, 'index.ts'), base]) if (c.endsWith('.ts') && existsSync(c)) return c;
  return null;
}

/** file → the files it imports (relative imports only). */
export function importGraph(dirs) {
  const graph = new Map();
  for (const dir of dirs) {
    for (const f of tsFiles(dir)) {
      const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
      const deps = new Set();
      for (const i of info.importedFiles) {
        const r = resolveImport(f, i.fileName);
        if (r && r !== f) deps.add(r);
      }
      graph.set(f, deps);
    }
  }
  return graph;
}

/** Every cycle, as the strongly connected components with more than one file (Tarjan), each sorted. */
export function findCycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const cycles = [];
  const visit = (v) => {
    // Iterative, so a deep import chain cannot overflow the stack.
    const work = [[v, [...(graph.get(v) ?? [])], 0]];
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    while (work.length) {
      const top = work[work.length - 1];
      const [node, deps] = top;
      if (top[2] < deps.length) {
        const w = deps[top[2]++];
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index);
          index++;
          stack.push(w);
          on.add(w);
          work.push([w, [...(graph.get(w) ?? [])], 0]);
        } else if (on.has(w)) low.set(node, Math.min(low.get(node), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === idx.get(node)) {
        const comp = [];
        let w;
        do {
          w = stack.pop();
          on.delete(w);
          comp.push(w);
        } while (w !== node);
        if (comp.length > 1) cycles.push(comp.sort());
      }
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

/** One import path around a cycle, for the message: a → b → … → a. */
function pathAround(graph, comp) {
  const inComp = new Set(comp);
  const start = comp[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const back = [];
        for (let x = v; x !== null; x = prev.get(x)) back.push(x);
        return [...back.reverse(), start];
      }
      if (inComp.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp;
}

function main(argv) {
  let root = resolve(import.meta.dirname, '..');
  const dirs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = resolve(argv[++i] ?? '');
    else if (argv[i].startsWith('-')) {
      console.error(`check-cycles: unknown option ${argv[i]}`);
      return 2;
    } else dirs.push(argv[i]);
  }
  const wanted = (dirs.length ? dirs : ['src', 'media/webview']).map((d) => resolve(root, d)).filter((d) => existsSync(d));
  if (wanted.length === 0) {
    console.error('check-cycles: nothing to check');
    return 2;
  }
  const graph = importGraph(wanted);
  const cycles = findCycles(graph);
  if (cycles.length === 0) {
    console.log(`check-cycles: no import cycle among ${graph.size} files`);
    return 0;
  }
  console.error(`check-cycles: ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'}:`);
  for (const c of cycles) {
    const p = pathAround(graph, c).map((f) => relative(root, f));
    console.error(`  ${p.join(' → ')}${c.length > p.length - 1 ? ` (and ${c.length - (p.length - 1)} more files in the same cycle)` : ''}`);
  }
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exit(main(process.argv.slice(2)));
