// What a check sees: the exchange, plus indexed header lookups and parsed values computed once.
import { requestBody } from '../../shared/access';
import type { Exchange, ExchangeResponse, HeaderPair } from '../../shared/exchange';
import { parseCacheControl, type CacheControl } from '../parse/cacheControl';
import { parseHttpDate } from '../parse/dates';
import { parseMediaType, type MediaType } from '../parse/mediaType';
import { headerField, type HeaderField } from '../knowledge';
import { isToken } from '../parse/lists';

export interface FieldLine {
  index: number;
  name: string;
  value: string;
  /** The name lowercased (the key checks ask by). */
  key: string;
}

/** What the fields of one name (case-insensitive) share: their lines, in order, and the knowledge-base entry. */
interface NameGroup {
  /** The lowercased name. */
  key: string;
  lines: FieldLine[];
  /** `headerField(name)`, looked up once per name (undefined: not looked up yet; null: unknown field). */
  field: HeaderField | null | undefined;
  /** The first (name as written, value) pair of the group and its index in `Fields.distinct`. */
  written: string;
  value: string;
  at: number;
  /** Further pairs (another value, or the name in another case), keyed `name\nvalue`: made only when one appears. */
  more: Map<string, number> | null;
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
  private readonly byName = new Map<string, NameGroup>();
  readonly lines: FieldLine[] = [];
  /**
   * The first line of each distinct (name as written, value) pair, in order of first appearance: a per-line check
   * judges each pair once, so the work is linear in the distinct lines on heads that repeat a line.
   */
  readonly distinct: FieldLine[] = [];
  /** For each entry of `distinct`, its name's group. */
  private readonly distinctGroup: NameGroup[] = [];
  /** For each line, the index of its pair in `distinct`. */
  readonly groupOf: number[] = [];
  /** The distinct lowercased names, each followed by a NUL, in order of first appearance (for the shape key). */
  namesKey = '';
  /** How many distinct lowercased names there are. */
  count = 0;
  /** Some name holds a NUL (namesKey is then ambiguous). */
  namesHaveNul = false;
  /** Some name (case-insensitive) has more than one line. */
  repeated = false;
  private factsMemo = -1;

  constructor(pairs: readonly HeaderPair[]) {
    // HTTP/2 pseudo-header fields (`:status`, `:path`…) are part of the record but are not header fields: the
    // field checks never see them (the HTTP/2 checks read them from the exchange). Indices stay the record's.
    // One map, by lowercased name; a pair key string is built only for a name's second distinct pair (a 256 KiB
    // head of distinct lines spent most of its annotation time building and hashing `name\nvalue` keys). The
    // previous line's name is remembered, so a head repeating one line lowercases nothing.
    let prevName: string | null = null;
    let prev: NameGroup | undefined;
    for (let index = 0; index < pairs.length; index++) {
      const pair = pairs[index];
      const name = pair[0];
      if (name.charCodeAt(0) === 58) continue;
      const value = pair[1];
      let group: NameGroup | undefined;
      if (name === prevName && prev !== undefined) {
        group = prev;
      } else {
        const lower = name.toLowerCase();
        group = this.byName.get(lower);
        if (group === undefined) {
          group = { key: lower, lines: [], field: undefined, written: name, value, at: -1, more: null };
          this.byName.set(lower, group);
          this.namesKey += `${lower}\u0000`;
          this.count++;
          if (lower.indexOf('\u0000') >= 0) this.namesHaveNul = true;
        }
        prevName = name;
        prev = group;
      }
      const l: FieldLine = { index, name, value, key: group.key };
      this.lines.push(l);
      if (group.lines.push(l) > 1) this.repeated = true;
      let g: number;
      if (group.at < 0) {
        g = group.at = this.addDistinct(l, group);
      } else if (group.written === name && group.value === value) {
        g = group.at;
      } else {
        group.more ??= new Map();
        const key = `${name}\n${value}`;
        const seen = group.more.get(key);
        if (seen === undefined) {
          g = this.addDistinct(l, group);
          group.more.set(key, g);
        } else {
          g = seen;
        }
      }
      this.groupOf.push(g);
    }
  }

  private addDistinct(l: FieldLine, group: NameGroup): number {
    this.distinctGroup.push(group);
    return this.distinct.push(l) - 1;
  }

  private fieldOf(group: NameGroup): HeaderField | undefined {
    if (group.field === undefined) group.field = headerField(group.written) ?? null;
    return group.field ?? undefined;
  }

  /**
   * Which line facts (LINE_* bits) hold for at least one line: one pass over the distinct lines, shared by the
   * per-line checks, which then look at the lines only when their fact is there (on most heads it is not).
   */
  facts(): number {
    if (this.factsMemo >= 0) return this.factsMemo;
    let bits = 0;
    let tokenName: string | null = null;
    for (const l of this.distinct) {
      const name = l.name;
      // Consecutive distinct lines mostly share their name (as written): judged once.
      if (name !== tokenName) {
        if (isToken(name)) tokenName = name;
        else bits |= LINE_NAME_INVALID;
      }
      const v = l.value;
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
    return this.fieldOf(this.distinctGroup[at]);
  }

  /** The distinct field names, lowercased, in order of first appearance. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Each distinct field name (lowercased, in order of first appearance) with its lines and knowledge-base entry. */
  *byField(): Generator<{ name: string; lines: FieldLine[]; field: HeaderField | undefined }> {
    for (const [name, group] of this.byName) yield { name, lines: group.lines, field: this.fieldOf(group) };
  }

  all(name: string): FieldLine[] {
    // Checks ask by lowercase name: that is the key as is, with no lowercased copy made per lookup.
    return (this.byName.get(name) ?? this.byName.get(name.toLowerCase()))?.lines ?? NONE;
  }

  first(name: string): FieldLine | undefined {
    return this.all(name)[0];
  }

  has(name: string): boolean {
    return this.all(name).length > 0;
  }

  /** The knowledge-base entry of a line's field (case-insensitive), looked up once per name. */
  field(l: FieldLine): HeaderField | undefined {
    const group = this.byName.get(l.name.toLowerCase());
    return group === undefined ? headerField(l.name) : this.fieldOf(group);
  }

  /** All values of a list field joined with ", " (RFC 9110, Section 5.3), or null when absent. */
  joined(name: string): string | null {
    const l = this.all(name);
    return l.length ? l.map((x) => x.value).join(', ') : null;
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

  constructor(
    private readonly exchange: Exchange,
    readonly url: URL | null,
    readonly draft: boolean,
    bodyText: string | null,
  ) {
    this.method = exchange.request.method;
    this.rawUrl = exchange.request.url;
    this.headers = new Fields(exchange.request.headers);
    this.bodySize = exchange.request.bodySize ?? (bodyText === null ? 0 : Buffer.byteLength(bodyText));
    this.text = bodyText ?? undefined;
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
    let url: URL | null = null;
    try {
      url = new URL(exchange.request.url);
    } catch {
      url = null;
    }
    this.req = new RequestSide(exchange, url, draft, bodyText);
    this.res = exchange.response;
    this.resHeaders = new Fields(exchange.response?.headers ?? []);
    this.isHttps = url?.protocol === 'https:' || exchange.connection?.tls != null;
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

export function headerSubject(l: FieldLine): string {
  return `header:${l.index}`;
}

export function requestSubject(l: FieldLine): string {
  return `request-header:${l.index}`;
}
