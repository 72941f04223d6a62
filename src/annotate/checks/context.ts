// What a check sees: the exchange, plus indexed header lookups and parsed values computed once.
import { requestBody } from '../../shared/access';
import type { Exchange, ExchangeResponse, HeaderPair } from '../../shared/exchange';
import { parseCacheControl, type CacheControl } from '../parse/cacheControl';
import { parseHttpDate } from '../parse/dates';
import { parseMediaType, type MediaType } from '../parse/mediaType';
import { headerField, type HeaderField } from '../knowledge';
import { groupField, layoutOf, type Layout } from './layout';
import { NOTHING, type Finding } from './findings';

export interface FieldLine {
  index: number;
  name: string;
  value: string;
  /** The name lowercased (the key checks ask by). */
  key: string;
}

/** Line facts (see `Fields.facts`): the name is not a token; the value has control / non-ASCII characters, is
 * empty (after trimming), is longer than 8 KiB. */
export const LINE_NAME_INVALID = 1;
export const LINE_VALUE_CONTROL = 2;
export const LINE_VALUE_NON_ASCII = 4;
export const LINE_VALUE_EMPTY = 8;
export const LINE_VALUE_LARGE = 16;

/** The characters the value checks look for (CONTROL, NON_ASCII) are all outside tab and visible ASCII. */
const OUTSIDE_VISIBLE = /[^\t\x20-\x7e]/;
export const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
export const NON_ASCII = /[^\x00-\x7f]/;

/** The answer for an absent field: one shared empty list (checks only read what `all` returns). */
const NONE: FieldLine[] = [];
Object.freeze(NONE);

export class Fields {
  private readonly layout: Layout;
  readonly lines: FieldLine[];
  /** Lines by group, made when a check asks for the group. */
  private readonly byGroup: (FieldLine[] | undefined)[] = [];
  private distinctMemo: FieldLine[] | null = null;
  private distinctGroupMemo: number[] | null = null;
  private groupOfMemo: readonly number[] | null = null;
  private factsMemo = -1;

  constructor(pairs: readonly HeaderPair[]) {
    const layout = (this.layout = layoutOf(pairs));
    const n = layout.index.length;
    const lines: FieldLine[] = [];
    for (let i = 0; i < n; i++) {
      const index = layout.index[i];
      const pair = pairs[index];
      lines.push({ index, name: pair[0], value: pair[1], key: layout.keys[layout.group[i]] });
    }
    this.lines = lines;
  }

  /** The head's layout id (0 when it is not remembered), for the shape key. */
  get layoutId(): number {
    return this.layout.id;
  }
  /** The distinct lowercased names, each followed by a NUL, in order of first appearance (for the shape key). */
  get namesKey(): string {
    return this.layout.namesKey;
  }
  /** How many distinct lowercased names there are. */
  get count(): number {
    return this.layout.keys.length;
  }
  /** Some name holds a NUL (namesKey is then ambiguous). */
  get namesHaveNul(): boolean {
    return this.layout.namesHaveNul;
  }
  /** Some name (case-insensitive) has more than one line. */
  get repeated(): boolean {
    return this.layout.repeated;
  }

  /**
   * The first line of each distinct (name as written, value) pair, in order of first appearance: a per-line check
   * judges each pair once, so the work is linear in the distinct lines on heads that repeat a line. Without a
   * repeated name every line is its own pair.
   */
  get distinct(): FieldLine[] {
    if (this.distinctMemo === null) this.group();
    return this.distinctMemo as FieldLine[];
  }

  /** For each line, the index of its pair in `distinct`. */
  get groupOf(): readonly number[] {
    if (this.groupOfMemo === null) this.group();
    return this.groupOfMemo as readonly number[];
  }

  private group(): void {
    const layout = this.layout;
    if (!layout.repeated) {
      this.distinctMemo = this.lines;
      this.distinctGroupMemo = layout.group as number[];
      this.groupOfMemo = layout.identity;
      return;
    }
    // Per group, its first pair; a pair key string is built only for a name's second distinct pair (a 256 KiB
    // head of distinct lines spent most of its annotation time building and hashing `name\nvalue` keys).
    const distinct: FieldLine[] = [];
    const distinctGroup: number[] = [];
    const groupOf: number[] = [];
    const first = new Array<number>(layout.keys.length).fill(-1);
    const more: (Map<string, number> | undefined)[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const l = this.lines[i];
      const g = layout.group[i];
      let at: number;
      const f = first[g];
      if (f < 0) {
        at = first[g] = distinct.push(l) - 1;
        distinctGroup.push(g);
      } else if (distinct[f].name === l.name && distinct[f].value === l.value) {
        at = f;
      } else {
        const m = (more[g] ??= new Map());
        const key = `${l.name}\n${l.value}`;
        const seen = m.get(key);
        if (seen === undefined) {
          at = distinct.push(l) - 1;
          distinctGroup.push(g);
          m.set(key, at);
        } else {
          at = seen;
        }
      }
      groupOf.push(at);
    }
    this.distinctMemo = distinct;
    this.distinctGroupMemo = distinctGroup;
    this.groupOfMemo = groupOf;
  }

  /**
   * Which line facts (LINE_* bits) hold for at least one line: one pass over the distinct lines, shared by the
   * per-line checks, which then look at the lines only when their fact is there (on most heads it is not).
   */
  facts(): number {
    if (this.factsMemo >= 0) return this.factsMemo;
    let bits = this.layout.nameInvalid ? LINE_NAME_INVALID : 0;
    const distinct = this.distinct;
    for (let i = 0; i < distinct.length; i++) {
      const v = distinct[i].value;
      // One scan rules out both control and non-ASCII characters on ordinary values.
      if (OUTSIDE_VISIBLE.test(v)) {
        if (CONTROL.test(v)) bits |= LINE_VALUE_CONTROL;
        if (NON_ASCII.test(v)) bits |= LINE_VALUE_NON_ASCII;
      }
      // Only white space trims to nothing, and every white space character is below "!" or from U+00A0 up.
      const c = v.charCodeAt(0);
      if (v.length === 0 || ((c < 0x21 || c >= 0xa0) && v.trim() === '')) bits |= LINE_VALUE_EMPTY;
      if (v.length > 8192) bits |= LINE_VALUE_LARGE;
    }
    return (this.factsMemo = bits);
  }

  /** The knowledge-base entry of `distinct[at]`'s field. */
  distinctField(at: number): HeaderField | undefined {
    if (this.distinctGroupMemo === null) this.group();
    return groupField(this.layout, (this.distinctGroupMemo as number[])[at]);
  }

  /** The distinct field names, lowercased, in order of first appearance (shared: read-only). */
  names(): readonly string[] {
    return this.layout.keys;
  }

  private linesOf(g: number): FieldLine[] {
    let out = this.byGroup[g];
    if (out === undefined) {
      const at = this.layout.groupLines[g];
      // Exactly as long as needed (a list grown by push reserves room for 17).
      if (at.length === 1) out = [this.lines[at[0]]];
      else {
        out = new Array<FieldLine>(at.length);
        for (let i = 0; i < at.length; i++) out[i] = this.lines[at[i]];
      }
      this.byGroup[g] = out;
    }
    return out;
  }

  /** Each distinct field name (lowercased, in order of first appearance) with its lines and knowledge-base entry. */
  *byField(): Generator<{ name: string; lines: FieldLine[]; field: HeaderField | undefined }> {
    const keys = this.layout.keys;
    for (let g = 0; g < keys.length; g++) yield { name: keys[g], lines: this.linesOf(g), field: groupField(this.layout, g) };
  }

  all(name: string): FieldLine[] {
    // Checks ask by lowercase name: that is the key as is, with no lowercased copy made per lookup.
    const byName = this.layout.byName;
    const g = byName.get(name) ?? byName.get(name.toLowerCase());
    return g === undefined ? NONE : this.linesOf(g);
  }

  first(name: string): FieldLine | undefined {
    const byName = this.layout.byName;
    const g = byName.get(name) ?? byName.get(name.toLowerCase());
    return g === undefined ? undefined : this.lines[this.layout.groupLines[g][0]];
  }

  has(name: string): boolean {
    const byName = this.layout.byName;
    return byName.has(name) || byName.has(name.toLowerCase());
  }

  /** The knowledge-base entry of a line's field (case-insensitive), looked up once per name. */
  field(l: FieldLine): HeaderField | undefined {
    const g = this.layout.byName.get(l.name.toLowerCase());
    return g === undefined ? headerField(l.name) : groupField(this.layout, g);
  }

  /** All values of a list field joined with ", " (RFC 9110, Section 5.3), or null when absent. */
  joined(name: string): string | null {
    const l = this.all(name);
    if (l.length === 0) return null;
    if (l.length === 1) return l[0].value;
    return l.map((x) => x.value).join(', ');
  }
}

export interface RequestView {
  method: string;
  url: URL | null;
  /** The URL as written (may hold unresolved variables in an .http block). */
  rawUrl: string;
  headers: Fields;
  bodySize: number;
  /** Request body text when known. */
  readonly bodyText: string | null;
  /** True when this is an unsent request from an .http block (no wire facts). */
  draft: boolean;
}

/** The request side as checks see it; a class, so that the lazily decoded body is a prototype getter. */
class RequestSide implements RequestView {
  readonly method: string;
  readonly rawUrl: string;
  readonly headers: Fields;
  readonly bodySize: number;
  /** undefined: not decoded yet. */
  private text: string | null | undefined;

  /** undefined: not parsed yet. */
  private urlMemo: URL | null | undefined;

  constructor(
    private readonly exchange: Exchange,
    readonly draft: boolean,
    bodyText: string | null,
  ) {
    this.method = exchange.request.method;
    this.rawUrl = exchange.request.url;
    this.headers = new Fields(exchange.request.headers);
    this.bodySize = exchange.request.bodySize ?? (bodyText === null ? 0 : Buffer.byteLength(bodyText));
    this.text = bodyText ?? undefined;
  }

  /** Parsed when a check reads it: most exchanges need only what the text says (see request.ts). */
  get url(): URL | null {
    if (this.urlMemo === undefined) {
      try {
        this.urlMemo = new URL(this.rawUrl);
      } catch {
        this.urlMemo = null;
      }
    }
    return this.urlMemo;
  }

  /** Decoded from the raw request bytes only when a check reads it (most requests have none). */
  get bodyText(): string | null {
    if (this.text === undefined) this.text = requestBodyText(this.exchange);
    return this.text;
  }
}

export class CheckContext {
  readonly req: RequestView;
  readonly res: ExchangeResponse | null;
  readonly resHeaders: Fields;
  private trailersMemo: Fields | undefined;
  readonly isHttps: boolean;
  /** The clock the response is judged against: the start of the exchange. */
  readonly now: number;
  private ccMemo: CacheControl | undefined;
  private ctMemo: MediaType | null | undefined;
  private responseTimeMemo: number | undefined;
  /** Freshness (caching.ts) of this response, computed by the first check that asks. */
  freshnessMemo: unknown = undefined;

  constructor(
    readonly exchange: Exchange,
    draft = false,
    bodyText: string | null = null,
  ) {
    this.req = new RequestSide(exchange, draft, bodyText);
    this.res = exchange.response;
    this.resHeaders = new Fields(exchange.response?.headers ?? []);
    // An http:// URL is never https (parsed or not), so only other URLs without TLS facts need parsing here.
    const raw: unknown = exchange.request.url;
    this.isHttps =
      exchange.connection?.tls != null || (!(typeof raw === 'string' && raw.startsWith('http://')) && this.req.url?.protocol === 'https:');
    const started = exchange.startedAt ? Date.parse(exchange.startedAt) : NaN;
    this.now = Number.isFinite(started) ? started : Date.now();
  }

  /** Per-exchange values shared by several checks (parsed once): see `memo`. */
  private memos: Map<string, unknown> | undefined;

  /**
   * A value derived from the exchange that several checks read (parsed Set-Cookie lines...), computed by the first
   * and shared: checks must treat it as read-only.
   */
  memo<T>(key: string, make: (ctx: CheckContext) => T): T {
    this.memos ??= new Map();
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = make(this);
    this.memos.set(key, v);
    return v;
  }

  /** The trailer fields, indexed on first use (most responses have none and no check asks). */
  get trailers(): Fields {
    return (this.trailersMemo ??= new Fields(this.exchange.response?.trailers ?? []));
  }

  /** When the response head arrived (start + time to first byte), the "response_time" of RFC 9111, Section 4.2.3. */
  get responseArrival(): number {
    const t = this.exchange.timings;
    const head = (t.total ?? 0) - (t.download ?? 0);
    return this.now + (Number.isFinite(head) && head > 0 ? head : 0);
  }

  get status(): number {
    return this.res?.status ?? 0;
  }

  /** Parsed Cache-Control of the response (all lines). */
  get cacheControl(): CacheControl {
    if (!this.ccMemo) this.ccMemo = parseCacheControl(this.resHeaders.all('cache-control').map((l) => l.value));
    return this.ccMemo;
  }

  get contentType(): MediaType | null {
    if (this.ctMemo === undefined) {
      const ct = this.resHeaders.first('content-type');
      this.ctMemo = ct ? parseMediaType(ct.value) : null;
    }
    return this.ctMemo;
  }

  get isHtml(): boolean {
    const e = this.contentType?.essence;
    return e === 'text/html' || e === 'application/xhtml+xml';
  }

  /** Whether the response has content bytes (on the wire). */
  get hasBody(): boolean {
    return (this.res?.body.wireSize ?? 0) > 0 || (this.res?.body.size ?? 0) > 0;
  }

  /** The response Date as a time, falling back to when the exchange started. */
  get responseTime(): number {
    if (this.responseTimeMemo === undefined) {
      const d = this.resHeaders.first('date');
      const parsed = d ? parseHttpDate(d.value) : null;
      this.responseTimeMemo = parsed ? parsed.time : this.now;
    }
    return this.responseTimeMemo;
  }
}

/** The request body as text (null when there is none). */
function requestBodyText(ex: Exchange): string | null {
  if (ex.request.bodySize === 0 && !ex.frames) return null;
  // HTTP/2: the body is the payload of the DATA frames sent (the accessor reads it from the frames).
  const body = requestBody(ex.request, ex.frames);
  return body.length ? new TextDecoder('utf-8').decode(body) : null;
}

/**
 * A finding (with the registry summary) for each of `lines` that passes `test`, in order: what
 * `lines.filter(test).map(subject)` gives, without the intermediate lists (and the shared empty one when none do).
 */
export function hits(lines: readonly FieldLine[], test: (l: FieldLine) => unknown, subject: (l: FieldLine) => string = headerSubject): Finding[] {
  let out: Finding[] = NOTHING;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!test(l)) continue;
    const found: Finding = { subject: subject(l) };
    if (out === NOTHING) out = [found];
    else out.push(found);
  }
  return out;
}

export function headerSubject(l: FieldLine): string {
  return `header:${l.index}`;
}

export function requestSubject(l: FieldLine): string {
  return `request-header:${l.index}`;
}
