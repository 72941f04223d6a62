// The layout of a head: which field names it has, as written and in which order, and everything that follows from
// the names alone (the lowercased groups, which lines share a name, the knowledge-base entries, the shape key).
// A run of requests to one service gets heads laid out the same way every time, so the layout is worked out once
// and looked up by the names (checked one by one, so a look-alike hash never takes another head's layout); a new
// exchange then only wraps its own values around it (Fields in context.ts).
import { headerField, type HeaderField } from '../knowledge';
import { isToken } from '../parse/lists';
import type { HeaderPair } from '../../shared/exchange';

export interface Layout {
  /** Positive for a remembered layout (the shape key uses it); 0 for a head laid out just for itself. */
  readonly id: number;
  /** Every name of the record as written, pseudo-header fields included (for the look-up's check). */
  readonly all: readonly string[];
  /** For each field line (pseudo-header fields left out): its index in the record and its group. */
  readonly index: readonly number[];
  readonly group: readonly number[];
  /** For each group (distinct lowercased name, in order of first appearance): the name, and its lines' positions. */
  readonly keys: readonly string[];
  readonly groupLines: readonly (readonly number[])[];
  readonly byName: ReadonlyMap<string, number>;
  /** The knowledge-base entry of each group (of its first name as written), looked up on first use. */
  readonly fields: (HeaderField | null | undefined)[];
  /** The groups' names, each followed by a NUL (for the shape key of a head that is not remembered). */
  readonly namesKey: string;
  /** Some name holds a NUL (namesKey is then ambiguous). */
  readonly namesHaveNul: boolean;
  /** Some group has more than one line. */
  readonly repeated: boolean;
  /** Some name (as written) is not a token. */
  readonly nameInvalid: boolean;
  /** 0, 1, 2… one per line: what `Fields.groupOf` is when no name repeats. */
  readonly identity: readonly number[];
}

/** Remembered layouts by a hash of their names; each bucket is checked name by name. */
const layouts = new Map<number, Layout[]>();
let remembered = 0;
const LAYOUTS_MAX = 256;
/** Heads with more lines (or longer names) than this are laid out for themselves: hostile heads stay out. */
const REMEMBER_LINES = 64;
const REMEMBER_CHARS = 2048;
/** The names' total length, counted by the last hashNames. */
let hashedChars = 0;
let nextId = 1;

/** A cheap hash of the names (count, and per name its length and three of its characters): no string is built. */
function hashNames(pairs: readonly HeaderPair[]): number {
  let h = pairs.length;
  let chars = 0;
  for (let i = 0; i < pairs.length; i++) {
    const name = pairs[i][0];
    const n = name.length;
    chars += n;
    h = (Math.imul(h, 31) + n) | 0;
    if (n > 0) h = (Math.imul(h, 31) + name.charCodeAt(0) + name.charCodeAt(n >> 1) * 7 + name.charCodeAt(n - 1) * 13) | 0;
  }
  hashedChars = chars;
  return h;
}

export function layoutOf(pairs: readonly HeaderPair[]): Layout {
  if (pairs.length > REMEMBER_LINES) return build(pairs, 0);
  const h = hashNames(pairs);
  if (hashedChars > REMEMBER_CHARS) return build(pairs, 0);
  const bucket = layouts.get(h);
  if (bucket !== undefined) for (let i = 0; i < bucket.length; i++) if (sameNames(bucket[i], pairs)) return bucket[i];
  const made = build(pairs, nextId++);
  if (remembered >= LAYOUTS_MAX) {
    layouts.clear();
    remembered = 0;
  }
  const b = layouts.get(h);
  if (b === undefined) layouts.set(h, [made]);
  else b.push(made);
  remembered++;
  return made;
}

function sameNames(l: Layout, pairs: readonly HeaderPair[]): boolean {
  if (l.all.length !== pairs.length) return false;
  for (let i = 0; i < pairs.length; i++) if (pairs[i][0] !== l.all[i]) return false;
  return true;
}

function build(pairs: readonly HeaderPair[], id: number): Layout {
  const all: string[] = [];
  const index: number[] = [];
  const group: number[] = [];
  const keys: string[] = [];
  const groupLines: number[][] = [];
  const byName = new Map<string, number>();
  let namesKey = '';
  let namesHaveNul = false;
  let repeated = false;
  let nameInvalid = false;
  let prevName: string | null = null;
  let prev = -1;
  for (let i = 0; i < pairs.length; i++) {
    const name = pairs[i][0];
    all.push(name);
    // HTTP/2 pseudo-header fields (`:status`, `:path`…) are part of the record but are not header fields: the
    // field checks never see them (the HTTP/2 checks read them from the exchange). Indices stay the record's.
    if (name.charCodeAt(0) === 58 /* : */) continue;
    let g: number;
    // A head repeating one line lowercases it once.
    if (name === prevName) {
      g = prev;
    } else {
      if (!isToken(name)) nameInvalid = true;
      const lower = name.toLowerCase();
      const seen = byName.get(lower);
      if (seen === undefined) {
        g = keys.push(lower) - 1;
        groupLines.push([]);
        byName.set(lower, g);
        namesKey += `${lower}\u0000`;
        if (lower.indexOf('\u0000') >= 0) namesHaveNul = true;
      } else {
        g = seen;
      }
      prevName = name;
      prev = g;
    }
    if (groupLines[g].push(index.length) > 1) repeated = true;
    index.push(i);
    group.push(g);
  }
  const identity: number[] = [];
  if (!repeated) for (let i = 0; i < index.length; i++) identity.push(i);
  return {
    id,
    all,
    index,
    group,
    keys,
    groupLines,
    byName,
    fields: new Array<HeaderField | null | undefined>(keys.length).fill(undefined),
    namesKey,
    namesHaveNul,
    repeated,
    nameInvalid,
    identity,
  };
}

/** The knowledge-base entry of a group: of its first name as written (case-insensitive), looked up once. */
export function groupField(l: Layout, g: number): HeaderField | undefined {
  let f = l.fields[g];
  if (f === undefined) f = l.fields[g] = headerField(l.all[l.index[l.groupLines[g][0]]]) ?? null;
  return f ?? undefined;
}
