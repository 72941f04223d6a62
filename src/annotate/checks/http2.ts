// HTTP/2-specific checks (RFC 9113 §8): what makes a response malformed in HTTP/2 even though an HTTP/1.1 reader
// would accept it. Wire Lens keeps such a response to show it; strict clients (browsers, curl) reject it.
import { defineChecks, NOTHING, type CheckDef, type Finding } from './registry';
import type { CheckContext } from './context';
import type { Shape } from './shape';

const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function isH2(ctx: CheckContext): boolean {
  return ctx.res?.httpVersion === '2';
}

const H2 = (s: Shape): boolean => s.version === '2';

function pairs(ctx: CheckContext): [string, string][] {
  return ctx.res?.headers ?? [];
}

// Patterns of the checks, compiled once: a regex literal inside a function makes a new RegExp object on every call.
const H2_UPPERCASE_NAME_RE = /[A-Z]/;
const DIGITS_RE = /^\d+$/;

const checks: CheckDef[] = [
  {
    id: 'h2-connection-header',
    level: 'bad',
    category: 'connection',
    scope: 'response',
    summary: 'A connection-specific header field in an HTTP/2 response.',
    detail:
      'HTTP/2 manages its connection itself: Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding and Upgrade make an HTTP/2 message malformed, and conforming clients (browsers, curl) reject the response. Usually an HTTP/1.1 backend header passed through a proxy unfiltered.',
    reference: 'RFC 9113, Section 8.2.2',
    applies: H2,
    run: (ctx) =>
      isH2(ctx)
        ? pairs(ctx).flatMap(([n], i): Finding[] =>
            CONNECTION_SPECIFIC.has(n.toLowerCase()) ? [{ subject: `header:${i}`, summary: `${n} is not allowed in HTTP/2.` }] : NOTHING,
          )
        : NOTHING,
  },
  {
    id: 'h2-uppercase-name',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'An HTTP/2 field name contains upper-case letters.',
    detail:
      'HTTP/2 field names must be lower case; a name with upper-case characters makes the message malformed, and conforming clients reject the response.',
    reference: 'RFC 9113, Section 8.2.1',
    applies: H2,
    run: (ctx) =>
      isH2(ctx)
        ? pairs(ctx).flatMap(([n], i): Finding[] =>
            H2_UPPERCASE_NAME_RE.test(n) ? [{ subject: `header:${i}`, summary: `"${n}" is not lower case.` }] : NOTHING,
          )
        : NOTHING,
  },
  {
    id: 'h2-status-missing',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'The HTTP/2 response has no :status pseudo-header.',
    detail:
      'Every HTTP/2 response header block must carry exactly one :status pseudo-header field with a three-digit code; without it there is no status and the response is malformed.',
    reference: 'RFC 9113, Section 8.3.2',
    applies: H2,
    run: (ctx) => (isH2(ctx) && ctx.res?.headersComplete !== false && !pairs(ctx).some(([n]) => n === ':status') ? [{ subject: 'status' }] : NOTHING),
  },
  {
    id: 'h2-pseudo-header-order',
    level: 'bad',
    category: 'syntax',
    scope: 'response',
    summary: 'An HTTP/2 pseudo-header comes after a regular field, or is not one a response may carry.',
    detail:
      'Pseudo-header fields must all come before the regular fields, and a response may carry only :status; anything else makes the message malformed.',
    reference: 'RFC 9113, Section 8.3',
    applies: H2,
    run: (ctx) => {
      if (!isH2(ctx)) return NOTHING;
      const out: Finding[] = [];
      let regular = false;
      pairs(ctx).forEach(([n], i) => {
        if (!n.startsWith(':')) {
          regular = true;
          return;
        }
        if (regular) out.push({ subject: `header:${i}`, summary: `${n} follows a regular field.` });
        else if (n !== ':status') out.push({ subject: `header:${i}`, summary: `${n} is not a response pseudo-header.` });
      });
      return out;
    },
  },
  {
    id: 'h2-content-length-mismatch',
    level: 'bad',
    category: 'content',
    scope: 'response',
    summary: 'Content-Length differs from the bytes of the DATA frames.',
    detail:
      'In HTTP/2 a Content-Length must equal the sum of the DATA frame payloads; a mismatch makes the response malformed, and clients such as browsers and curl reset the stream.',
    reference: 'RFC 9113, Section 8.1.1',
    applies: H2,
    run: (ctx) => {
      const r = ctx.res;
      if (!isH2(ctx) || !r || r.body.truncated || ctx.exchange.error) return NOTHING;
      if (ctx.req.method.toUpperCase() === 'HEAD' || r.status === 204 || r.status === 304) return NOTHING;
      const cl = ctx.resHeaders.first('content-length');
      if (!cl || !DIGITS_RE.test(cl.value.trim())) return NOTHING;
      const n = Number(cl.value.trim());
      return n === r.body.wireSize
        ? NOTHING
        : [{ subject: `header:${cl.index}`, summary: `Content-Length ${n}, but the DATA frames carried ${r.body.wireSize} bytes.` }];
    },
  },
];

defineChecks(checks);
