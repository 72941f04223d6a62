// HTTP dates (RFC 9110, Section 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must accept.

export type DateForm = 'imf-fixdate' | 'rfc850' | 'asctime';

export interface HttpDate {
  /** Milliseconds since the epoch, UTC. */
  time: number;
  form: DateForm;
}

const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const DAY_LONG = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const IMF = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function build(year: number, month: string, day: number, h: string, m: string, s: string): number | null {
  const mon = MONTHS.indexOf(month);
  const hh = Number(h);
  const mm = Number(m);
  const ss = Number(s);
  if (hh > 23 || mm > 59 || ss > 60) return null;
  const t = Date.UTC(year, mon, day, hh, mm, Math.min(ss, 59));
  const d = new Date(t);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== mon) return null; // e.g. 31 Feb
  return t;
}

/**
 * IMF-fixdate values seen lately and what they parse to: a response's Date is read by several checks, and a run
 * of requests sees the same few values. Bounded; the obsolete forms depend on the clock and are not kept.
 */
const IMF_SEEN = new Map<string, Readonly<HttpDate> | null>();
const IMF_SEEN_MAX = 256;

/**
 * Parses an HTTP date; null when it matches none of the three forms or names an impossible day. `now` (default:
 * the clock) places two-digit RFC 850 years. An IMF-fixdate's result is shared (frozen).
 */
export function parseHttpDate(value: string, now?: number): Readonly<HttpDate> | null {
  const seen = IMF_SEEN.get(value);
  if (seen !== undefined) return seen;
  const v = value.trim();
  let m = IMF.exec(v);
  if (m) {
    const t = build(Number(m[4]), m[3], Number(m[2]), m[5], m[6], m[7]);
    const r = t === null ? null : Object.freeze<HttpDate>({ time: t, form: 'imf-fixdate' });
    if (IMF_SEEN.size >= IMF_SEEN_MAX) IMF_SEEN.clear();
    IMF_SEEN.set(value, r);
    return r;
  }
  m = RFC850.exec(v);
  if (m) {
    // Two-digit years more than 50 years in the future are taken as the past century (RFC 9110, 5.6.7).
    const yy = Number(m[4]);
    const nowYear = new Date(now ?? Date.now()).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + yy;
    if (year > nowYear + 50) year -= 100;
    const t = build(year, m[3], Number(m[2]), m[5], m[6], m[7]);
    return t === null ? null : { time: t, form: 'rfc850' };
  }
  m = ASCTIME.exec(v);
  if (m) {
    const t = build(Number(m[7]), m[2], Number(m[3].trim()), m[4], m[5], m[6]);
    return t === null ? null : { time: t, form: 'asctime' };
  }
  return null;
}

/** True when an IMF-fixdate's day name agrees with its date. */
export function weekdayMatches(value: string): boolean {
  const d = parseHttpDate(value);
  if (!d) return false;
  const name = value.trim().slice(0, 3);
  return DAYS[new Date(d.time).getUTCDay()] === name;
}

export function formatHttpDate(time: number): string {
  return new Date(time).toUTCString();
}
