// The check registry: every check is data (id, level, category, summary, explanation, reference) plus a small
// function that finds where it applies. Ids are stable: tests, the panel and `--json` consumers key on them.
import type { Note, NoteLevel } from '../../shared/exchange';
import type { CheckContext } from './context';
import type { Finding, Findings } from './findings';
import { shapeKey, shapeNumbers, shapeOf, type Shape } from './shape';

export type CheckCategory =
  | 'syntax'
  | 'general'
  | 'status'
  | 'redirect'
  | 'content'
  | 'caching'
  | 'validation'
  | 'cookies'
  | 'security'
  | 'cors'
  | 'connection'
  | 'tls'
  | 'timing'
  | 'request'
  | 'negotiation';

/** Which side of the exchange a check reads: request checks also run on an unsent .http block (hover). */
export type CheckScope = 'request' | 'response';

export { FINDINGS_LISTED, NOTHING, type Finding, type Findings } from './findings';

export interface CheckDef {
  id: string;
  level: NoteLevel;
  category: CheckCategory;
  summary: string;
  detail: string;
  reference: string;
  scope: CheckScope;
  /**
   * Lowercased field names of the check's own side (the response head for scope 'response', the request for
   * 'request'): the check can only find something when one of them is there, so it is not run otherwise. Most
   * checks look at one field, and an exchange has a few: this keeps annotating cheap on every request.
   */
  fields?: readonly string[];
  /**
   * When the check can find something, judged on the exchange's shape (status, method, version, TLS, field names:
   * see shape.ts): false must mean `run` finds nothing on any exchange of that shape. Asked once per shape, so a
   * check that only concerns a 304, a HEAD or HTTP/2 costs nothing on the others.
   */
  applies?: (shape: Shape) => boolean;
  run(ctx: CheckContext): Finding[];
}

/** What the knowledge base and the docs show of a check: its definition without how it runs. */
export type CheckInfo = Omit<CheckDef, 'fields' | 'applies' | 'run'>;

const REGISTRY = new Map<string, CheckDef>();

/**
 * The registry laid out for running: every check in registration order (notes keep that order), and per scope the
 * positions of the checks that always run and, per declared field name, of the checks that run when it is there.
 * Rebuilt after a definition.
 */
interface Plan {
  all: CheckDef[];
  always: Record<CheckScope, number[]>;
  byField: Record<CheckScope, Map<string, number[]>>;
}
let plan: Plan | null = null;

export function defineChecks(defs: CheckDef[]): void {
  for (const d of defs) {
    if (REGISTRY.has(d.id)) throw new Error(`duplicate check id ${d.id}`);
    REGISTRY.set(d.id, d);
  }
  plan = null;
  selections.clear();
  byLayouts.clear();
  selectionCount = 0;
}

function runPlan(): Plan {
  if (plan) return plan;
  const p: Plan = { all: [...REGISTRY.values()], always: { request: [], response: [] }, byField: { request: new Map(), response: new Map() } };
  p.all.forEach((d, at) => {
    if (!d.fields) {
      p.always[d.scope].push(at);
      return;
    }
    const index = p.byField[d.scope];
    for (const name of new Set(d.fields)) {
      const list = index.get(name);
      if (list) list.push(at);
      else index.set(name, [at]);
    }
  });
  return (plan = p);
}

/**
 * Selections by shape (shape.ts): a run sends exchanges of the same shape again and again, and choosing among a
 * few hundred checks is then a lookup. Bounded; dropped when the registry changes.
 */
const selections = new Map<string, CheckDef[]>();
/**
 * The same for heads with remembered layouts, without building a key string: by the two layouts' ids, then the
 * flags and status, then the method, then the version (shapeNumbers in shape.ts).
 */
const byLayouts = new Map<number, Map<number, Map<string, Map<string, CheckDef[]>>>>();
let selectionCount = 0;
const SELECTIONS_MAX = 512;

function remember(): void {
  if (++selectionCount <= SELECTIONS_MAX) return;
  selections.clear();
  byLayouts.clear();
  selectionCount = 1;
}

/** The checks to run on this context, in registration order: those whose fields are there and that apply. */
function selected(ctx: CheckContext, scopes: readonly CheckScope[]): CheckDef[] {
  const p = runPlan();
  const response = scopes.includes('response');
  const n = shapeNumbers(ctx, response);
  if (n !== null) {
    let a = byLayouts.get(n.layouts);
    if (a === undefined) byLayouts.set(n.layouts, (a = new Map()));
    let b = a.get(n.flagsStatus);
    if (b === undefined) a.set(n.flagsStatus, (b = new Map()));
    let c = b.get(n.method);
    if (c === undefined) b.set(n.method, (c = new Map()));
    const known = c.get(n.version);
    if (known) return known;
    const out = choose(p, ctx, scopes, shapeOf(ctx, response));
    remember();
    // After a clearing, the maps above are no longer reachable from byLayouts: the choice is used once, not kept.
    c.set(n.version, out);
    return out;
  }
  const key = shapeKey(ctx, response);
  if (key === null) return choose(p, ctx, scopes, null);
  const known = selections.get(key);
  if (known) return known;
  const out = choose(p, ctx, scopes, shapeOf(ctx, response));
  remember();
  selections.set(key, out);
  return out;
}

/** Without a shape (a record of no ordinary shape) only the field names choose. */
function choose(p: Plan, ctx: CheckContext, scopes: readonly CheckScope[], shape: Shape | null): CheckDef[] {
  const chosen = new Uint8Array(p.all.length);
  for (const scope of scopes) {
    for (const at of p.always[scope]) chosen[at] = 1;
    const index = p.byField[scope];
    for (const name of (scope === 'request' ? ctx.req.headers : ctx.resHeaders).names()) {
      const list = index.get(name);
      if (list) for (const at of list) chosen[at] = 1;
    }
  }
  const out: CheckDef[] = [];
  for (let at = 0; at < chosen.length; at++) {
    if (chosen[at] === 0) continue;
    const d = p.all[at];
    if (shape === null || d.applies === undefined || d.applies(shape)) out.push(d);
  }
  return out;
}

export function allChecks(): CheckDef[] {
  return [...REGISTRY.values()];
}

export function checkInfo(id: string): CheckInfo | undefined {
  const d = REGISTRY.get(id);
  if (!d) return undefined;
  const { run: _run, fields: _fields, applies: _applies, ...info } = d;
  return info;
}

export function toNote(def: CheckDef, f: Finding): Note {
  return {
    id: def.id,
    subject: f.subject,
    level: def.level,
    category: def.category,
    summary: f.summary ?? def.summary,
    detail: f.extra ? `${def.detail} ${f.extra}` : def.detail,
    reference: def.reference,
  };
}

/** Runs checks of the given scopes, isolating each so one faulty check cannot hide the others' notes. */
export function runChecks(ctx: CheckContext, scopes: CheckScope[]): Note[] {
  const notes: Note[] = [];
  // Indexed loops: the findings arrays come from a hundred functions in several element kinds (and the shared
  // empty one), where for...of would fall back to allocating iterator results.
  const defs = selected(ctx, scopes);
  for (let d = 0; d < defs.length; d++) {
    const def = defs[d];
    let findings: Finding[];
    try {
      findings = def.run(ctx);
    } catch (e) {
      findings = [];
      notes.push({
        id: 'internal-check-error',
        subject: 'connection',
        level: 'info',
        category: 'general',
        summary: `Check ${def.id} failed: ${e instanceof Error ? e.message : String(e)}`,
        detail: 'This is a Wire Lens bug; the other checks still ran.',
        reference: '',
      });
    }
    if (findings.length === 0) continue;
    const total = (findings as Findings).total ?? findings.length;
    if (total > GROUP_AT) notes.push(groupNote(def, findings, total));
    else for (let i = 0; i < findings.length; i++) notes.push(toNote(def, findings[i]));
  }
  return notes;
}

/** One check firing on more lines than this gives one grouped note instead of one note per line. */
export const GROUP_AT = 10;
/** Subjects listed in a grouped note (the count says how many there are in all). */
const GROUP_SUBJECTS = 50;

/** The note for a check that fired on many lines: tied to the first, counting and listing the others. */
function groupNote(def: CheckDef, findings: Finding[], total: number): Note {
  const first = toNote(def, findings[0]);
  return {
    ...first,
    summary: `${first.summary} (and ${total - 1} more lines like it)`,
    occurrences: total,
    subjects: findings.slice(0, GROUP_SUBJECTS).map((f) => f.subject),
  };
}
