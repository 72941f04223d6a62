// httpyac assertion lines: `?? SUBJECT [ARG] OPERATOR [EXPECTED]`, evaluated against an exchange. Subjects
// and plain operators are evaluated here; `js EXPR` and `matches` (a regex from the file, which could
// backtrack for ever) run in the sandbox under its time limit.
import * as crypto from 'node:crypto';
import { JSONPath } from 'jsonpath-plus';
import type { Exchange, ExchangeTest } from '../shared/exchange';
import { chainTotalMs } from '../shared/timing';
import type { AssertSource } from '../language/types';
import { socketResponse } from './socketResponse';

export const ASSERT_OPERATORS = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'startsWith',
  'endsWith',
  'includes',
  'contains',
  'exists',
  'isFalse',
  'isTrue',
  'isNumber',
  'isBoolean',
  'isString',
  'isArray',
  'matches',
  'sha256',
  'sha512',
  'md5',
] as const;
export type AssertOperator = (typeof ASSERT_OPERATORS)[number];
const OPERATORS = new Set<string>(ASSERT_OPERATORS);
const UNARY = new Set(['exists', 'isFalse', 'isTrue', 'isNumber', 'isBoolean', 'isString', 'isArray']);

export interface ParsedAssert {
  subject: 'status' | 'header' | 'body' | 'duration' | 'js';
  /** Header name, JSONPath, or JavaScript expression. */
  arg: string | null;
  operator: AssertOperator;
  /** Expected value as written (variables not yet substituted); null for unary operators. */
  expected: string | null;
}

/** Parses the text after `??`; a string is the reason it cannot be read. */
export function parseAssert(text: string): ParsedAssert | string {
  const tokens = [...text.matchAll(/\S+/g)];
  if (tokens.length === 0) return 'empty assertion';
  const subject = tokens[0][0];
  if (!['status', 'header', 'body', 'duration', 'js'].includes(subject)) {
    return `unknown subject '${subject}' (status, header NAME, body, body $.path, duration, js EXPR)`;
  }
  let k = 1;
  // The operator is the first operator word after the subject (and its argument).
  while (k < tokens.length && !OPERATORS.has(tokens[k][0])) k++;
  if (k >= tokens.length) return `no operator (one of ${ASSERT_OPERATORS.join(', ')})`;
  const argText = tokens.length > 1 && k > 1 ? text.slice(tokens[1].index, tokens[k - 1].index + tokens[k - 1][0].length) : null;
  if ((subject === 'header' || subject === 'js') && !argText) return `${subject} needs ${subject === 'header' ? 'a header name' : 'an expression'}`;
  if ((subject === 'status' || subject === 'duration') && argText) return `unexpected '${argText}' after ${subject}`;
  const operator = tokens[k][0] as AssertOperator;
  const rest = k + 1 < tokens.length ? text.slice(tokens[k + 1].index).trim() : '';
  if (!UNARY.has(operator) && rest === '') return `${operator} needs a value to compare with`;
  return { subject: subject as ParsedAssert['subject'], arg: argText, operator, expected: UNARY.has(operator) ? null : rest };
}

/** What the sandbox offers assertion evaluation (absent when scripts are off). */
export interface AssertSandbox {
  evaluate(expression: string): { value: unknown } | { error: string };
  test(pattern: string, text: string): { value: boolean } | { error: string };
}

function bodyText(ex: Exchange): string | null {
  // A socket block's body is what it received (a WebSocket's 101 has no body of its own).
  const socket = socketResponse(ex);
  if (socket) return socket.received;
  const b = ex.response?.body;
  if (!b) return null;
  return typeof b.text === 'string' ? b.text : Buffer.from(b.base64 ?? '', 'base64').toString('utf8');
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}

/** Expected values are read as JSON when they are JSON (numbers, true, "quoted"), else as text. */
function expectedValue(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function equal(actual: unknown, expected: unknown): boolean {
  if (actual !== null && typeof actual === 'object') return JSON.stringify(actual) === JSON.stringify(expected);
  if (typeof actual === 'number' || typeof expected === 'number') return Number(actual) === Number(expected);
  return show(actual) === show(expected);
}

export function evaluateAssert(
  source: AssertSource,
  exchange: Exchange,
  substitute: (text: string) => string,
  sandbox: AssertSandbox | null,
): ExchangeTest {
  const name = source.text;
  const result = (passed: boolean, message: string | null, expected?: unknown, actual?: unknown): ExchangeTest => {
    const t: ExchangeTest = { name, passed, message, line: source.line, kind: 'assert' };
    if (expected !== undefined) t.expected = show(expected);
    if (actual !== undefined || !passed) t.actual = show(actual);
    return t;
  };
  const parsed = parseAssert(source.text);
  if (typeof parsed === 'string') return { name, passed: false, message: `Cannot read the assertion: ${parsed}.`, line: source.line, kind: 'assert' };
  const socket = socketResponse(exchange);
  if (!exchange.response && !(socket && socket.messages.length > 0)) {
    return result(false, `No response to check (${exchange.error?.code ?? 'no response'}).`);
  }

  let actual: unknown;
  switch (parsed.subject) {
    case 'status':
      // TCP and UDP have no status: the assert fails with `undefined`, as for a missing header.
      actual = exchange.response?.status;
      break;
    case 'duration':
      actual = Math.round(chainTotalMs(exchange) ?? exchange.timings.total ?? 0);
      break;
    case 'header': {
      const n = (parsed.arg ?? '').toLowerCase();
      const values = (exchange.response?.headers ?? []).filter(([h]) => h.toLowerCase() === n).map(([, v]) => v);
      actual = values.length === 0 ? undefined : values.join(', ');
      break;
    }
    case 'body': {
      const text = bodyText(exchange);
      if (!parsed.arg) {
        actual = text ?? undefined;
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(text ?? '');
      } catch {
        return result(false, `The body is not JSON, so ${parsed.arg} cannot be applied.`);
      }
      try {
        const found: unknown = JSONPath({ path: parsed.arg, json: json as object, wrap: true, eval: 'safe' });
        const list = Array.isArray(found) ? found : [];
        actual = list.length === 0 ? undefined : list[0];
      } catch (e) {
        return result(false, `Bad JSONPath ${parsed.arg}: ${e instanceof Error ? e.message : String(e)}`);
      }
      break;
    }
    case 'js': {
      if (!sandbox) return result(false, 'Not evaluated: scripts are not run here, and js asserts are scripts.');
      const r = sandbox.evaluate(substitute(parsed.arg ?? ''));
      if ('error' in r) return result(false, `The expression failed: ${r.error}`);
      actual = r.value;
      break;
    }
  }

  const expectedRaw = parsed.expected === null ? null : substitute(parsed.expected);
  const expected = expectedRaw === null ? undefined : expectedValue(expectedRaw);
  const op = parsed.operator;
  const desc = (): string => `${parsed.subject}${parsed.arg ? ` ${parsed.arg}` : ''}`;
  const fail = (why: string): ExchangeTest => result(false, why, expected, actual);
  const pass = (): ExchangeTest => result(true, null, expected, actual);
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(show(v)));
  switch (op) {
    case '==':
      return equal(actual, expected) ? pass() : fail(`Expected ${desc()} == ${show(expected)}, got ${show(actual)}.`);
    case '!=':
      return !equal(actual, expected) ? pass() : fail(`Expected ${desc()} != ${show(expected)}, but it is.`);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const a = num(actual);
      const b = num(expected);
      if (Number.isNaN(a) || Number.isNaN(b)) return fail(`${desc()} ${op} ${show(expected)}: not numbers (${show(actual)}).`);
      const ok = op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      return ok ? pass() : fail(`Expected ${desc()} ${op} ${show(expected)}, got ${show(actual)}.`);
    }
    case 'startsWith':
      return show(actual).startsWith(expectedRaw ?? '') && actual !== undefined
        ? pass()
        : fail(`Expected ${desc()} to start with ${expectedRaw}, got ${show(actual)}.`);
    case 'endsWith':
      return show(actual).endsWith(expectedRaw ?? '') && actual !== undefined
        ? pass()
        : fail(`Expected ${desc()} to end with ${expectedRaw}, got ${show(actual)}.`);
    case 'includes':
    case 'contains': {
      const ok = Array.isArray(actual) ? actual.some((x) => equal(x, expected)) : actual !== undefined && show(actual).includes(expectedRaw ?? '');
      return ok ? pass() : fail(`Expected ${desc()} to include ${expectedRaw}, got ${show(actual)}.`);
    }
    case 'exists':
      return actual !== undefined && actual !== null ? pass() : fail(`Expected ${desc()} to exist.`);
    case 'isTrue':
      return actual === true || actual === 'true' ? pass() : fail(`Expected ${desc()} to be true, got ${show(actual)}.`);
    case 'isFalse':
      return actual === false || actual === 'false' ? pass() : fail(`Expected ${desc()} to be false, got ${show(actual)}.`);
    case 'isNumber':
      return typeof actual === 'number' ? pass() : fail(`Expected ${desc()} to be a number, got ${show(actual)}.`);
    case 'isBoolean':
      return typeof actual === 'boolean' ? pass() : fail(`Expected ${desc()} to be a boolean, got ${show(actual)}.`);
    case 'isString':
      return typeof actual === 'string' ? pass() : fail(`Expected ${desc()} to be a string, got ${show(actual)}.`);
    case 'isArray':
      return Array.isArray(actual) ? pass() : fail(`Expected ${desc()} to be an array, got ${show(actual)}.`);
    case 'matches': {
      if (!sandbox) return fail('Not evaluated: regular expressions from the file run in the script sandbox, and scripts are not run here.');
      const r = sandbox.test(expectedRaw ?? '', show(actual));
      if ('error' in r) return fail(`Bad regular expression ${expectedRaw}: ${r.error}`);
      return r.value ? pass() : fail(`Expected ${desc()} to match ${expectedRaw}, got ${show(actual)}.`);
    }
    case 'sha256':
    case 'sha512':
    case 'md5': {
      const d = crypto
        .createHash(op)
        .update(typeof actual === 'string' ? actual : show(actual), 'utf8')
        .digest();
      const want = (expectedRaw ?? '').trim();
      const ok = want === d.toString('base64') || want.toLowerCase() === d.toString('hex');
      return ok ? pass() : result(false, `Expected the ${op} of ${desc()} to be ${want}, got ${d.toString('base64')}.`, want, d.toString('base64'));
    }
  }
  return fail(`unknown operator ${String(op)}`);
}
