// Checks on any response field line (names, values, repetition, context, deprecation, structured syntax) and on
// the status line.
import { headerField, statusCode, type HeaderField } from '../knowledge';
import { parseStructured } from '../parse/structured';
import { isToken } from '../parse/lists';
import { defineChecks, FINDINGS_LISTED, NOTHING, type CheckDef, type Finding, type Findings } from './registry';
import {
  hits,
  CONTROL,
  LINE_NAME_INVALID,
  LINE_VALUE_CONTROL,
  LINE_VALUE_EMPTY,
  LINE_VALUE_LARGE,
  LINE_VALUE_NON_ASCII,
  NON_ASCII,
  headerSubject,
  type CheckContext,
  type FieldLine,
} from './context';
import type { Shape } from './shape';

/** Fields that may repeat even though they are not lists (RFC 9110, Section 5.3). */
const REPEAT_OK = new Set(['set-cookie']);

type LineTest = (l: FieldLine, field: HeaderField | undefined) => boolean;

/** Whether some field name (lowercased) of a side has a knowledge-base entry `test` accepts (or no entry). */
export function someField(names: ReadonlySet<string>, test: (f: HeaderField | undefined) => boolean): boolean {
  for (const n of names) if (test(headerField(n))) return true;
  return false;
}

const REGISTERED_STATUS = (s: Shape): boolean => {
  const c = statusCode(s.status);
  return c !== undefined && c.registered;
};

/**
 * Runs a per-line test over every response field line. Tests depend on the name and value only, so a line
 * repeated thousands of times (a hostile head) is judged once: the work is linear in the distinct lines. The
 * summary (specifics for the note) is built only for the findings listed, not for every line that fails.
 */
function eachLine(ctx: CheckContext, fails: LineTest, summary?: (l: FieldLine, field: HeaderField | undefined) => string): Finding[] {
  const f = ctx.resHeaders;
  const distinct = f.distinct;
  // The flags are only made once a line fails (most checks find nothing).
  let failed: Uint8Array | null = null;
  for (let g = 0; g < distinct.length; g++) {
    if (!fails(distinct[g], f.distinctField(g))) continue;
    failed ??= new Uint8Array(distinct.length);
    failed[g] = 1;
  }
  if (failed === null) return NOTHING;
  // One pass over the lines keeps the findings in line order, as the panel walks them; past FINDINGS_LISTED they
  // are only counted (the registry groups them into one note).
  const out: Findings = [];
  let total = 0;
  for (let i = 0; i < f.lines.length; i++) {
    const g = f.groupOf[i];
    if (failed[g] === 0) continue;
    if (total++ < FINDINGS_LISTED) {
      const l = f.lines[i];
      out.push({ subject: headerSubject(l), summary: summary ? summary(l, f.distinctField(g)) : undefined });
    }
  }
  if (total > out.length) out.total = total;
  return out;
}

function subjectIndex(s: string): number {
  return Number(s.slice(s.indexOf(':') + 1));
}

/** Helper for checks that validate one field's value: `validate` returns an error message or null. */
export function responseSyntaxCheck(
  id: string,
  field: string,
  reference: string,
  detail: string,
  validate: (value: string, ctx: CheckContext) => string | null,
): CheckDef {
  const key = field.toLowerCase();
  return {
    id,
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    reference,
    detail,
    summary: `${field} value is not valid.`,
    fields: [key],
    run: (ctx) => {
      let out: Finding[] = NOTHING;
      const lines = ctx.resHeaders.all(key);
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        const err = validate(l.value, ctx);
        if (!err) continue;
        const found: Finding = { subject: headerSubject(l), summary: `${field}: ${err}` };
        if (out === NOTHING) out = [found];
        else out.push(found);
      }
      return out;
    },
  };
}

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const SERVER_VERSION_DISCLOSED_RE = /\/\s*\d/;

const checks: CheckDef[] = [
  {
    id: 'header-name-invalid',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'A header field name contains characters that are not allowed.',
    detail:
      'Field names are tokens: letters, digits and a few punctuation characters, with no spaces or colons. Recipients may reject the message or drop the field.',
    reference: 'RFC 9110, Section 5.1',
    run: (ctx) =>
      ctx.resHeaders.facts() & LINE_NAME_INVALID
        ? eachLine(
            ctx,
            (l) => !isToken(l.name),
            (l) => `"${l.name}" is not a valid field name.`,
          )
        : NOTHING,
  },
  {
    id: 'header-value-control',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'A header value contains control characters.',
    detail:
      'CR, LF, NUL and other control characters are forbidden in field values; they enable response splitting and are rejected by strict parsers.',
    reference: 'RFC 9110, Section 5.5',
    run: (ctx) => (ctx.resHeaders.facts() & LINE_VALUE_CONTROL ? eachLine(ctx, (l) => CONTROL.test(l.value)) : NOTHING),
  },
  {
    id: 'header-value-non-ascii',
    level: 'warning',
    category: 'syntax',
    scope: 'response',
    summary: 'A header value contains non-ASCII characters.',
    detail:
      'Bytes above 0x7F (obs-text) are tolerated for old content but have no defined encoding, so recipients may show them differently. Use ASCII, or an encoding the field defines (RFC 8187, SF display strings).',
    reference: 'RFC 9110, Section 5.5',
    run: (ctx) => (ctx.resHeaders.facts() & LINE_VALUE_NON_ASCII ? eachLine(ctx, (l) => NON_ASCII.test(l.value)) : NOTHING),
  },
  {
    id: 'header-value-empty',
    level: 'info',
    category: 'general',
    scope: 'response',
    summary: 'A header field has an empty value.',
    detail: 'An empty value is allowed by the grammar but is meaningless or invalid for most fields.',
    reference: 'RFC 9110, Section 5.5',
    run: (ctx) =>
      ctx.resHeaders.facts() & LINE_VALUE_EMPTY
        ? eachLine(
            ctx,
            (l) => l.value.trim() === '',
            (l) => `${l.name} is empty.`,
          )
        : NOTHING,
  },
  {
    id: 'header-value-large',
    level: 'warning',
    category: 'general',
    scope: 'response',
    summary: 'A header value is larger than 8 KiB.',
    detail: 'Many servers, proxies and clients limit a field line to around 8 KiB and fail the whole message beyond it.',
    reference: 'RFC 9110, Section 5.4',
    run: (ctx) =>
      ctx.resHeaders.facts() & LINE_VALUE_LARGE
        ? eachLine(
            ctx,
            (l) => l.value.length > 8192,
            (l) => `${l.name} is ${l.value.length} bytes long.`,
          )
        : NOTHING,
  },
  {
    id: 'headers-many',
    level: 'info',
    category: 'general',
    scope: 'response',
    summary: 'The response has more than 100 header lines.',
    detail: 'Large header sections slow every request and can hit limits in intermediaries.',
    reference: 'RFC 9110, Section 5.4',
    run: (ctx) =>
      ctx.resHeaders.lines.length > 100 ? [{ subject: 'status', summary: `The response has ${ctx.resHeaders.lines.length} header lines.` }] : NOTHING,
  },
  {
    id: 'header-unknown',
    level: 'info',
    category: 'general',
    scope: 'response',
    summary: 'This header field is not in the Wire Lens knowledge base.',
    detail: 'It may be application-specific, a typo, or a field that recipients will ignore.',
    reference: 'IANA HTTP Field Name Registry, https://www.iana.org/assignments/http-fields/',
    applies: (s) => someField(s.resNames, (f) => f === undefined),
    run: (ctx) =>
      eachLine(
        ctx,
        (l, field) => !field && isToken(l.name),
        (l) => `${l.name} is not a known field.`,
      ),
  },
  {
    id: 'header-repeated-singleton',
    level: 'warning',
    category: 'syntax',
    scope: 'response',
    summary: 'A field that takes a single value appears more than once.',
    detail:
      'Only list-based fields (and Set-Cookie) may be repeated; for other fields recipients choose differently between the copies, or reject the message.',
    reference: 'RFC 9110, Section 5.3',
    applies: (s) => someField(s.resNames, (f) => f?.repeatable === false),
    run: (ctx) => {
      if (!ctx.resHeaders.repeated) return NOTHING;
      const out: Finding[] = [];
      // Per distinct name: every copy after the first.
      for (const { name: k, lines, field: f } of ctx.resHeaders.byField()) {
        if (lines.length < 2 || !f || f.repeatable !== false || REPEAT_OK.has(k)) continue;
        for (let i = 1; i < lines.length; i++) out.push({ subject: headerSubject(lines[i]), summary: `${f.name} appears more than once.` });
      }
      return out.sort((a, b) => subjectIndex(a.subject) - subjectIndex(b.subject));
    },
  },
  {
    id: 'header-request-only',
    level: 'warning',
    category: 'general',
    scope: 'response',
    summary: 'A request header field was sent in a response.',
    detail: 'The field is only defined for requests, so clients ignore it here; it often means a server echoes request headers back.',
    reference: 'RFC 9110, Section 5',
    applies: (s) => someField(s.resNames, (f) => f?.context === 'request'),
    run: (ctx) =>
      eachLine(
        ctx,
        (_l, f) => f?.context === 'request',
        (l, f) => `${f?.name ?? l.name} is a request field.`,
      ),
  },
  {
    id: 'header-deprecated',
    level: 'warning',
    category: 'general',
    scope: 'response',
    summary: 'A deprecated or obsolete header field was sent.',
    detail: 'The field has been deprecated or obsoleted; current clients may ignore it.',
    reference: 'IANA HTTP Field Name Registry, https://www.iana.org/assignments/http-fields/',
    applies: (s) => someField(s.resNames, (f) => f?.deprecated === true),
    run: (ctx) =>
      eachLine(
        ctx,
        (_l, f) => f?.deprecated === true,
        (l, f) => `${f?.name ?? l.name} is deprecated (${f?.reference ?? ''}).`,
      ),
  },
  {
    id: 'structured-field-syntax',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'A Structured Field value does not parse.',
    detail: 'This field is defined with Structured Field Values; a recipient that fails to parse it must ignore the whole field.',
    reference: 'RFC 9651, Section 4.2',
    applies: (s) => someField(s.resNames, (f) => f?.structured !== undefined),
    run: (ctx) => {
      const out: Finding[] = [];
      for (const { lines, field: f } of ctx.resHeaders.byField()) {
        if (!f?.structured) continue;
        const l = lines[0];
        // Repeated lines of a list or dictionary are combined before parsing (RFC 9651, Section 4.2).
        const value = f.structured === 'item' ? l.value : lines.map((x) => x.value).join(', ');
        const r = parseStructured(f.structured, value);
        if (!r.ok) out.push({ subject: headerSubject(l), summary: `${f.name} is not a valid structured ${f.structured}: ${r.error}.` });
      }
      return out;
    },
  },
  {
    id: 'server-version-disclosed',
    level: 'info',
    category: 'security',
    scope: 'response',
    fields: ['server'],
    summary: 'The Server header reveals a software version.',
    detail: 'Exact versions let attackers pick known vulnerabilities without probing. A product name alone is enough.',
    reference: 'RFC 9110, Section 10.2.4 and Section 17.12',
    run: (ctx) => hits(ctx.resHeaders.all('server'), (l) => SERVER_VERSION_DISCLOSED_RE.test(l.value)),
  },
  {
    id: 'framework-disclosed',
    level: 'info',
    category: 'security',
    scope: 'response',
    fields: ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version'],
    summary: 'A header reveals the application framework (X-Powered-By, X-AspNet-Version).',
    detail: 'These fields serve no client purpose and tell attackers what stack to target. Most frameworks can turn them off.',
    reference: 'RFC 9110, Section 17.12; OWASP Secure Headers, https://owasp.org/www-project-secure-headers/',
    run: (ctx) =>
      ['x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version'].flatMap((n) => ctx.resHeaders.all(n)).map((l) => ({ subject: headerSubject(l) })),
  },

  // Status line
  {
    id: 'status-unregistered',
    level: 'info',
    category: 'status',
    scope: 'response',
    summary: 'The status code is not registered with IANA.',
    detail: 'Generic clients treat an unregistered code like the x00 code of its class.',
    reference: 'RFC 9110, Section 15',
    applies: (s) => statusCode(s.status)?.registered === false,
    run: (ctx) => {
      const s = ctx.res ? statusCode(ctx.status) : undefined;
      return s && !s.registered ? [{ subject: 'status', summary: `${s.code} is not registered (${s.origin ?? 'vendor-specific'}).` }] : [];
    },
  },
  {
    id: 'status-unknown',
    level: 'warning',
    category: 'status',
    scope: 'response',
    summary: 'The status code is neither registered nor a known vendor code.',
    detail: 'Clients must understand the class of any status code and treat an unknown one as the x00 code of that class.',
    reference: 'RFC 9110, Section 15',
    applies: (s) => s.status >= 100 && s.status <= 599 && !statusCode(s.status),
    run: (ctx) => (ctx.res && ctx.status >= 100 && ctx.status <= 599 && !statusCode(ctx.status) ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'status-out-of-range',
    level: 'bad',
    category: 'status',
    scope: 'response',
    summary: 'The status code is outside 100–599.',
    detail: 'Status codes are three digits and the first must be 1 to 5; other values are not valid HTTP.',
    reference: 'RFC 9110, Section 15',
    applies: (s) => !(s.status >= 100 && s.status <= 599),
    run: (ctx) => (ctx.res && (ctx.status < 100 || ctx.status > 599) ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'status-reason-nonstandard',
    level: 'info',
    category: 'status',
    scope: 'response',
    summary: 'The reason phrase differs from the registered one.',
    detail: 'The reason phrase is only a hint for humans and clients must ignore it, but an odd one can point to a misconfigured server.',
    reference: 'RFC 9112, Section 4',
    applies: REGISTERED_STATUS,
    run: (ctx) => {
      const s = ctx.res ? statusCode(ctx.status) : undefined;
      if (!s || !s.registered || !ctx.res || s.name.startsWith('(')) return NOTHING;
      // The registered phrase itself (most responses) needs no normalising.
      if (ctx.res.reason === s.name) return NOTHING;
      const norm = (x: string): string => x.toLowerCase().replace(/[^a-z]/g, '');
      const ok =
        norm(ctx.res.reason) === norm(s.name) ||
        ctx.res.reason === '' ||
        (ctx.status === 413 && norm(ctx.res.reason) === 'payloadtoolarge') ||
        (ctx.status === 422 && norm(ctx.res.reason) === 'unprocessableentity') ||
        (ctx.status === 302 && norm(ctx.res.reason) === 'movedtemporarily') ||
        (ctx.status === 414 && norm(ctx.res.reason) === 'requesturitoolong') ||
        (ctx.status === 416 && norm(ctx.res.reason) === 'requestedrangenotsatisfiable');
      return ok ? NOTHING : [{ subject: 'status', summary: `Reason "${ctx.res.reason}" for ${s.code}; registered name is "${s.name}".` }];
    },
  },
  {
    id: 'status-deprecated',
    level: 'warning',
    category: 'status',
    scope: 'response',
    summary: 'The status code is deprecated or reserved (305, 306).',
    detail: '305 Use Proxy was deprecated for security reasons and 306 is reserved; clients will not act on them.',
    reference: 'RFC 9110, Section 15.4.6',
    applies: (s) => s.status === 305 || s.status === 306,
    run: (ctx) => (ctx.status === 305 || ctx.status === 306 ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'status-final-1xx',
    level: 'bad',
    category: 'status',
    scope: 'response',
    summary: 'A 1xx interim status ended the exchange.',
    detail: 'Interim responses must be followed by a final (2xx–5xx) response on the same request.',
    reference: 'RFC 9110, Section 15.2',
    applies: (s) => s.status >= 100 && s.status < 200 && s.status !== 101,
    run: (ctx) => (ctx.res && ctx.status >= 100 && ctx.status < 200 && ctx.status !== 101 ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'server-error',
    level: 'warning',
    category: 'status',
    scope: 'response',
    summary: 'The server reported an error (5xx).',
    detail: 'The request may have been valid; the failure is on the server or an upstream it depends on. Retrying later may succeed.',
    reference: 'RFC 9110, Section 15.6',
    applies: (s) => s.status >= 500 && s.status <= 599,
    run: (ctx) => (ctx.status >= 500 && ctx.status <= 599 ? [{ subject: 'status', summary: `The server answered ${ctx.status}.` }] : NOTHING),
  },
  {
    id: 'http-1-0-response',
    level: 'info',
    category: 'connection',
    scope: 'response',
    summary: 'The server answered with HTTP/1.0.',
    detail: 'HTTP/1.0 has no chunked encoding and no persistent connections by default; it usually means an old server or proxy.',
    reference: 'RFC 9112, Section 2.3',
    applies: (s) => s.version === '1.0',
    run: (ctx) => (ctx.res?.httpVersion === '1.0' ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'early-hints-without-link',
    level: 'warning',
    category: 'status',
    scope: 'response',
    summary: 'A 103 Early Hints response carried no Link header.',
    detail: 'Early Hints exists to send Link preload/preconnect hints ahead of the final response; without them it does nothing.',
    reference: 'RFC 8297, Section 2',
    applies: (s) => s.interim,
    run: (ctx) =>
      (ctx.res?.interim ?? [])
        .filter((i) => i.status === 103 && !i.headers.some(([n]) => n.toLowerCase() === 'link'))
        .map(() => ({ subject: 'status' })),
  },
  {
    id: 'early-hints-sent',
    level: 'good',
    category: 'status',
    scope: 'response',
    summary: 'The server sent 103 Early Hints with Link headers.',
    detail: 'Browsers can start fetching the hinted resources while the server prepares the final response.',
    reference: 'RFC 8297, Section 2',
    applies: (s) => s.interim,
    run: (ctx) =>
      (ctx.res?.interim ?? [])
        .filter((i) => i.status === 103 && i.headers.some(([n]) => n.toLowerCase() === 'link'))
        .map(() => ({ subject: 'status' })),
  },
];

defineChecks(checks);
