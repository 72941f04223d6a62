// Structured Field Values (RFC 9651): items, lists, dictionaries, inner lists and parameters, with every bare
// item type (integer, decimal, string, token, byte sequence, boolean, date, display string).
// The parser follows the algorithm of RFC 9651 Section 4.2; failures are reported as SfParseError, never thrown raw.

export type BareItem =
  | { type: 'integer'; value: number }
  | { type: 'decimal'; value: number }
  | { type: 'string'; value: string }
  | { type: 'token'; value: string }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: number }
  | { type: 'displaystring'; value: string };

export type Parameters = Array<[key: string, value: BareItem]>;
export interface Item {
  item: BareItem;
  params: Parameters;
}
export interface InnerList {
  inner: Item[];
  params: Parameters;
}
export type ListMember = Item | InnerList;
export type SfList = ListMember[];
export type SfDictionary = Array<[key: string, value: ListMember]>;

export class SfParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'SfParseError';
  }
}

export type SfResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function isInnerList(m: ListMember): m is InnerList {
  return 'inner' in m;
}

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  next(): string {
    return this.s[this.pos++] ?? '';
  }
  fail(msg: string): never {
    throw new SfParseError(msg, this.pos);
  }
  skipSP(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }
  skipOWS(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isLcalpha = (c: string): boolean => c >= 'a' && c <= 'z';
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

function top<T>(input: string, body: (c: Cursor) => T): SfResult<T> {
  // Leading and trailing SP are discarded (Section 4.2 step 2 and 5).
  const c = new Cursor(input);
  try {
    if (/[^\x20-\x7e\t]/.test(input)) c.fail('non-ASCII or control character');
    c.skipSP();
    const value = body(c);
    c.skipSP();
    if (!c.done) c.fail('unexpected characters after the value');
    return { ok: true, value };
  } catch (e) {
    if (e instanceof SfParseError) return { ok: false, error: e.message };
    throw e;
  }
}

export function parseSfItem(input: string): SfResult<Item> {
  return top(input, parseItem);
}

export function parseSfList(input: string): SfResult<SfList> {
  return top(input, (c) => {
    const members: SfList = [];
    while (!c.done) {
      members.push(parseMember(c));
      c.skipOWS();
      if (c.done) return members;
      if (c.next() !== ',') c.fail('expected "," between list members');
      c.skipOWS();
      if (c.done) c.fail('trailing comma in list');
    }
    return members;
  });
}

export function parseSfDictionary(input: string): SfResult<SfDictionary> {
  return top(input, (c) => {
    const entries = new Map<string, ListMember>();
    while (!c.done) {
      const key = parseKey(c);
      let member: ListMember;
      if (c.peek() === '=') {
        c.next();
        member = parseMember(c);
      } else {
        member = { item: { type: 'boolean', value: true }, params: parseParams(c) };
      }
      entries.set(key, member); // a repeated key keeps its first position and its last value
      c.skipOWS();
      if (c.done) break;
      if (c.next() !== ',') c.fail('expected "," between dictionary members');
      c.skipOWS();
      if (c.done) c.fail('trailing comma in dictionary');
    }
    return [...entries];
  });
}

function parseMember(c: Cursor): ListMember {
  if (c.peek() === '(') return parseInnerList(c);
  return parseItem(c);
}

function parseInnerList(c: Cursor): InnerList {
  c.next();
  const inner: Item[] = [];
  while (!c.done) {
    c.skipSP();
    if (c.peek() === ')') {
      c.next();
      return { inner, params: parseParams(c) };
    }
    inner.push(parseItem(c));
    const after = c.peek();
    if (after !== ' ' && after !== ')') c.fail('expected space or ")" in inner list');
  }
  return c.fail('unterminated inner list');
}

function parseItem(c: Cursor): Item {
  const item = parseBareItem(c);
  return { item, params: parseParams(c) };
}

function parseParams(c: Cursor): Parameters {
  const params = new Map<string, BareItem>();
  while (c.peek() === ';') {
    c.next();
    c.skipSP();
    const key = parseKey(c);
    let value: BareItem = { type: 'boolean', value: true };
    if (c.peek() === '=') {
      c.next();
      value = parseBareItem(c);
    }
    params.set(key, value);
  }
  return [...params];
}

function parseKey(c: Cursor): string {
  const first = c.peek();
  if (!isLcalpha(first) && first !== '*') c.fail('key must start with a lowercase letter or "*"');
  let key = '';
  while (/^[a-z0-9_\-.*]$/.test(c.peek())) key += c.next();
  return key;
}

function parseBareItem(c: Cursor): BareItem {
  const ch = c.peek();
  if (ch === '-' || isDigit(ch)) return parseNumber(c);
  if (ch === '"') return { type: 'string', value: parseString(c) };
  if (ch === '*' || isAlpha(ch)) return { type: 'token', value: parseToken(c) };
  if (ch === ':') return { type: 'binary', value: parseBinary(c) };
  if (ch === '?') return { type: 'boolean', value: parseBoolean(c) };
  if (ch === '@') return parseDate(c);
  if (ch === '%') return { type: 'displaystring', value: parseDisplayString(c) };
  return c.fail(ch === '' ? 'missing value' : `unexpected character "${ch}"`);
}

function parseNumber(c: Cursor): BareItem {
  let sign = 1;
  if (c.peek() === '-') {
    c.next();
    sign = -1;
  }
  if (!isDigit(c.peek())) c.fail('expected a digit');
  let digits = '';
  let decimal = false;
  while (!c.done) {
    const ch = c.peek();
    if (isDigit(ch)) digits += c.next();
    else if (ch === '.' && !decimal) {
      if (digits.length > 12) c.fail('decimal has more than 12 integer digits');
      decimal = true;
      digits += c.next();
    } else break;
    if (!decimal && digits.length > 15) c.fail('integer has more than 15 digits');
    if (decimal && digits.length > 16) c.fail('decimal has more than 16 characters');
  }
  if (!decimal) return { type: 'integer', value: sign * Number(digits) };
  if (digits.endsWith('.')) c.fail('decimal ends with "."');
  if (digits.length - digits.indexOf('.') - 1 > 3) c.fail('decimal has more than 3 fractional digits');
  return { type: 'decimal', value: sign * Number(digits) };
}

function parseString(c: Cursor): string {
  c.next();
  let out = '';
  while (!c.done) {
    const ch = c.next();
    if (ch === '\\') {
      if (c.done) break;
      const esc = c.next();
      if (esc !== '"' && esc !== '\\') c.fail('only \\" and \\\\ may be escaped in a string');
      out += esc;
    } else if (ch === '"') {
      return out;
    } else if (ch < ' ' || ch > '~') {
      c.fail('invalid character in string');
    } else {
      out += ch;
    }
  }
  return c.fail('unterminated string');
}

function parseToken(c: Cursor): string {
  let out = c.next();
  while (TCHAR.test(c.peek()) || c.peek() === ':' || c.peek() === '/') out += c.next();
  return out;
}

function parseBinary(c: Cursor): Uint8Array {
  c.next();
  let b64 = '';
  while (!c.done && c.peek() !== ':') {
    const ch = c.next();
    if (!/^[A-Za-z0-9+/=]$/.test(ch)) c.fail('invalid character in byte sequence');
    b64 += ch;
  }
  if (c.next() !== ':') c.fail('unterminated byte sequence');
  if (b64.length % 4 === 1 || /=[^=]/.test(b64)) c.fail('invalid base64 in byte sequence');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function parseBoolean(c: Cursor): boolean {
  c.next();
  const ch = c.next();
  if (ch === '1') return true;
  if (ch === '0') return false;
  return c.fail('boolean must be ?1 or ?0');
}

function parseDate(c: Cursor): BareItem {
  c.next();
  const n = parseNumber(c);
  if (n.type !== 'integer') c.fail('date must be an integer');
  return { type: 'date', value: n.value };
}

function parseDisplayString(c: Cursor): string {
  c.next();
  if (c.next() !== '"') c.fail('display string must start with %"');
  const bytes: number[] = [];
  while (!c.done) {
    const ch = c.next();
    if (ch < ' ' || ch > '~') c.fail('invalid character in display string');
    if (ch === '%') {
      const hex = c.next() + c.next();
      if (!/^[0-9a-f]{2}$/.test(hex)) c.fail('display string escapes must be two lowercase hex digits');
      bytes.push(parseInt(hex, 16));
    } else if (ch === '"') {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
      } catch {
        return c.fail('display string is not valid UTF-8');
      }
    } else {
      bytes.push(ch.charCodeAt(0));
    }
  }
  return c.fail('unterminated display string');
}

/** Plain JS view of a bare item, for display and simple checks. */
export function bareValue(b: BareItem): string | number | boolean {
  switch (b.type) {
    case 'binary':
      return `:${Buffer.from(b.value).toString('base64')}:`;
    case 'date':
      return b.value;
    default:
      return b.value;
  }
}

/** Parse a field as the structured type the knowledge base declares for it. */
export function parseStructured(kind: 'item' | 'list' | 'dictionary', value: string): SfResult<Item | SfList | SfDictionary> {
  if (kind === 'item') return parseSfItem(value);
  if (kind === 'list') return parseSfList(value);
  return parseSfDictionary(value);
}
