// System variables: `{{$guid}}`, `{{$randomInt 1 10}}`, `{{$timestamp -1 d}}`, `{{$datetime iso8601}}`,
// `{{$localDatetime "YYYY-MM-DD"}}`, `{{$processEnv NAME}}`, `{{$dotenv NAME}}` (REST Client) and
// `{{$uuid}}`, `{{$random.integer(1, 10)}}`, `{{$isoTimestamp}}`… (JetBrains).
import { randomUUID } from 'node:crypto';
import { refusedSystemVariable } from './auth';

export interface SystemEnv {
  now: Date;
  random: () => number;
  processEnv: Record<string, string | undefined>;
  dotenv: () => Record<string, string>;
  /** For `%NAME`: the value of an environment / file variable naming the real one. */
  lookup: (name: string) => string | undefined;
}

export type SystemResult = { value: string } | { error: string };

/** Names offered by completion, with a one-line description. */
export const SYSTEM_VARIABLES: readonly { name: string; insert: string; description: string }[] = [
  { name: '$guid', insert: '$guid', description: 'A random RFC 4122 v4 UUID.' },
  { name: '$uuid', insert: '$uuid', description: 'A random v4 UUID (JetBrains).' },
  {
    name: '$randomInt',
    insert: '$randomInt 0 100',
    description: 'A random integer from min (inclusive) to max (exclusive); without arguments from 0 to 1000 (JetBrains).',
  },
  { name: '$env.', insert: '$env.NAME', description: 'A process environment variable (JetBrains).' },
  { name: '$timestamp', insert: '$timestamp', description: 'Seconds since the Unix epoch (UTC); optional offset such as `-1 d`.' },
  { name: '$isoTimestamp', insert: '$isoTimestamp', description: 'The current time in ISO 8601, UTC (JetBrains).' },
  { name: '$datetime', insert: '$datetime iso8601', description: 'UTC date and time: rfc1123, iso8601 or a "format"; optional offset.' },
  { name: '$localDatetime', insert: '$localDatetime iso8601', description: 'Local date and time: rfc1123, iso8601 or a "format"; optional offset.' },
  { name: '$processEnv', insert: '$processEnv NAME', description: 'A process environment variable (`%NAME`: NAME holds the variable to read).' },
  { name: '$dotenv', insert: '$dotenv NAME', description: 'A variable from the .env file next to the .http file.' },
  { name: '$shared', insert: '$shared name', description: 'A variable of the $shared environment (REST Client), e.g. inside an environment value.' },
  { name: '$random.integer', insert: '$random.integer(0, 100)', description: 'A random integer from a (inclusive) to b (exclusive) (JetBrains).' },
  { name: '$random.float', insert: '$random.float(0, 1)', description: 'A random float from a to b (JetBrains).' },
  { name: '$random.uuid', insert: '$random.uuid', description: 'A random v4 UUID (JetBrains).' },
  { name: '$random.alphabetic', insert: '$random.alphabetic(10)', description: 'Random letters of the given length (JetBrains).' },
  { name: '$random.alphanumeric', insert: '$random.alphanumeric(10)', description: 'Random letters, digits and _ of the given length (JetBrains).' },
  { name: '$random.hexadecimal', insert: '$random.hexadecimal(10)', description: 'Random hexadecimal digits of the given length (JetBrains).' },
  { name: '$random.email', insert: '$random.email', description: 'A random e-mail address (JetBrains).' },
];

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Applies `offset unit` (units y, M, w, d, h, m, s, ms). */
function applyOffset(date: Date, offset: string | undefined, unit: string | undefined): Date | string {
  if (offset === undefined) return date;
  if (!/^[+-]?\d+$/.test(offset) || unit === undefined)
    return `Offset must be an integer and a unit (y, M, w, d, h, m, s, ms): ${offset} ${unit ?? ''}`.trim();
  const n = Number(offset);
  const d = new Date(date.getTime());
  if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + n);
  else if (UNIT_MS[unit] !== undefined) d.setTime(d.getTime() + n * UNIT_MS[unit]);
  else return `Unknown offset unit '${unit}' (use y, M, w, d, h, m, s or ms).`;
  return d;
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function offsetText(minutesEast: number, colon: boolean): string {
  const sign = minutesEast >= 0 ? '+' : '-';
  const m = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(m / 60))}${colon ? ':' : ''}${pad(m % 60)}`;
}

/** Day.js-style tokens: YYYY YY MMMM MMM MM M DD D dddd ddd HH H hh h mm m ss s SSS A a ZZ Z X x; [text] is literal. */
export function formatDate(date: Date, format: string, utc: boolean): string {
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const mo = utc ? date.getUTCMonth() : date.getMonth();
  const d = utc ? date.getUTCDate() : date.getDate();
  const wd = utc ? date.getUTCDay() : date.getDay();
  const h = utc ? date.getUTCHours() : date.getHours();
  const mi = utc ? date.getUTCMinutes() : date.getMinutes();
  const s = utc ? date.getUTCSeconds() : date.getSeconds();
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  const tz = utc ? 0 : -date.getTimezoneOffset();
  const tokens: Record<string, () => string> = {
    YYYY: () => String(y),
    YY: () => pad(y % 100),
    MMMM: () => new Date(Date.UTC(2000, mo, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' }),
    MMM: () => MONTHS[mo],
    MM: () => pad(mo + 1),
    M: () => String(mo + 1),
    DD: () => pad(d),
    D: () => String(d),
    dddd: () => new Date(Date.UTC(2000, 0, 2 + wd)).toLocaleString('en', { weekday: 'long', timeZone: 'UTC' }),
    ddd: () => DAYS[wd],
    d: () => String(wd),
    HH: () => pad(h),
    H: () => String(h),
    hh: () => pad(h % 12 || 12),
    h: () => String(h % 12 || 12),
    mm: () => pad(mi),
    m: () => String(mi),
    ss: () => pad(s),
    s: () => String(s),
    SSS: () => pad(ms, 3),
    A: () => (h < 12 ? 'AM' : 'PM'),
    a: () => (h < 12 ? 'am' : 'pm'),
    ZZ: () => offsetText(tz, false),
    Z: () => offsetText(tz, true),
    X: () => String(Math.floor(date.getTime() / 1000)),
    x: () => String(date.getTime()),
  };
  return format.replace(
    /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|d|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x/g,
    (tok: string, literal: string | undefined) => (literal !== undefined ? literal : tokens[tok]()),
  );
}

function datetime(args: string, env: SystemEnv, local: boolean): SystemResult {
  const m = /^(?:(rfc1123|iso8601)|"([^"]*)"|'([^']*)')(?:\s+(\S+)\s+(\S+))?\s*$/.exec(args);
  if (!m) return { error: `${local ? '$localDatetime' : '$datetime'} needs rfc1123, iso8601 or a "format", then an optional offset and unit.` };
  const date = applyOffset(env.now, m[4], m[5]);
  if (typeof date === 'string') return { error: date };
  if (m[1] === 'rfc1123') return { value: local ? formatDate(date, 'ddd, DD MMM YYYY HH:mm:ss ZZ', false) : date.toUTCString() };
  if (m[1] === 'iso8601') return { value: local ? formatDate(date, 'YYYY-MM-DDTHH:mm:ss.SSSZ', false) : date.toISOString() };
  return { value: formatDate(date, m[2] ?? m[3] ?? '', !local) };
}

function randomString(n: number, alphabet: string, random: () => number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function intArgs(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (!parts.every((p) => /^[+-]?\d+(?:\.\d+)?$/.test(p))) return null;
  return parts.map(Number);
}

function envName(arg: string, env: SystemEnv): string | { error: string } {
  if (!arg.startsWith('%')) return arg;
  const inner = env.lookup(arg.slice(1));
  return inner === undefined ? { error: `{{${arg}}}: no variable '${arg.slice(1)}' to name the environment variable.` } : inner;
}

/** Evaluates a system variable expression (without braces, starting with `$`). */
export function systemVariable(expression: string, env: SystemEnv): SystemResult {
  const sp = expression.search(/[\s(]/);
  const name = sp < 0 ? expression : expression.slice(0, sp);
  const rest = sp < 0 ? '' : expression.slice(sp).trim();
  switch (name) {
    case '$guid':
    case '$uuid':
    case '$random.uuid':
      return { value: randomUUID() };
    case '$randomInt': {
      // JetBrains: without arguments, an integer from 0 to 1000 (inclusive).
      if (rest === '') return { value: String(Math.floor(env.random() * 1001)) };
      const m = /^([+-]?\d+)\s+([+-]?\d+)$/.exec(rest);
      if (!m) return { error: '$randomInt needs a minimum and a maximum: {{$randomInt 1 100}}.' };
      const lo = Number(m[1]);
      const hi = Number(m[2]);
      if (hi <= lo) return { error: '$randomInt: the maximum must be greater than the minimum.' };
      return { value: String(lo + Math.floor(env.random() * (hi - lo))) };
    }
    case '$timestamp': {
      const m = /^(?:(\S+)\s+(\S+))?$/.exec(rest);
      if (!m) return { error: '$timestamp takes an optional offset and unit: {{$timestamp -1 d}}.' };
      const date = applyOffset(env.now, m[1], m[2]);
      return typeof date === 'string' ? { error: date } : { value: String(Math.floor(date.getTime() / 1000)) };
    }
    case '$isoTimestamp':
      return { value: env.now.toISOString() };
    case '$datetime':
      return datetime(rest, env, false);
    case '$localDatetime':
      return datetime(rest, env, true);
    case '$processEnv': {
      if (rest === '') return { error: '$processEnv needs a variable name.' };
      const n = envName(rest, env);
      if (typeof n !== 'string') return n;
      const v = env.processEnv[n];
      return v === undefined ? { error: `Process environment variable '${n}' is not set.` } : { value: v };
    }
    case '$dotenv': {
      if (rest === '') return { error: '$dotenv needs a variable name.' };
      const n = envName(rest, env);
      if (typeof n !== 'string') return n;
      const v = env.dotenv()[n];
      return v === undefined ? { error: `'${n}' is not defined in a .env file next to the .http file.` } : { value: v };
    }
    case '$random.integer':
    case '$random.float': {
      const m = /^\((.*)\)$/.exec(rest);
      const args = m ? intArgs(m[1]) : null;
      const [lo, hi] = args && args.length === 2 ? args : [0, name === '$random.float' ? 1 : 1000];
      if (m && (!args || args.length !== 2)) return { error: `${name} takes two numbers: ${name}(1, 10).` };
      const x = lo + env.random() * (hi - lo);
      return { value: name === '$random.integer' ? String(Math.floor(x)) : String(x) };
    }
    case '$random.alphabetic':
    case '$random.alphanumeric':
    case '$random.hexadecimal': {
      const m = /^\(\s*(\d+)\s*\)$/.exec(rest);
      if (!m || Number(m[1]) > 100_000) return { error: `${name} takes a length: ${name}(10).` };
      const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const alphabet = name === '$random.alphabetic' ? letters : name === '$random.alphanumeric' ? `${letters}0123456789_` : '0123456789abcdef';
      return { value: randomString(Number(m[1]), alphabet, env.random) };
    }
    case '$random.email':
      return { value: `${randomString(8, 'abcdefghijklmnopqrstuvwxyz', env.random)}@example.com` };
    default: {
      // JetBrains: `{{$env.NAME}}` reads the process environment.
      if (name.startsWith('$env.') && name.length > 5 && rest === '') {
        const v = env.processEnv[name.slice(5)];
        return v === undefined ? { error: `Process environment variable '${name.slice(5)}' is not set ({{${name}}}).` } : { value: v };
      }
      const refused = refusedSystemVariable(name);
      if (refused) return { error: refused };
      if (name.startsWith('$random.'))
        return {
          error: `{{${expression}}}: Wire Lens knows $random.integer, .float, .alphabetic, .alphanumeric, .hexadecimal, .email and .uuid; the Faker forms of JetBrains (such as $random.name.firstName) are not supported.`,
        };
      return { error: `Unknown system variable ${name}.` };
    }
  }
}

export function isKnownSystemVariable(expression: string): boolean {
  const name = expression.split(/[\s(]/, 1)[0];
  if (name.startsWith('$env.') && name.length > 5) return true;
  return SYSTEM_VARIABLES.some((s) => s.name === name);
}
