// The wall-clock time of an exchange's start, as an ISO 8601 string: taken for every request, and
// `new Date().toISOString()` costs more than a whole request's record otherwise does (over a microsecond).

let second = -1;
let prefix = '';

/** `new Date().toISOString()`, exactly (UTC, milliseconds), with the date part formatted once per second. */
export function isoNow(ms: number = Date.now()): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    second = s;
    // "2026-12-01T21:44:24." — up to the milliseconds, which change every call.
    prefix = new Date(s * 1000).toISOString().slice(0, 20);
  }
  const milli = ms - s * 1000;
  return `${prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
