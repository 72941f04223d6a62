// The shape of an exchange: the few facts (status, method, versions, TLS, which field names) that decide which
// checks can find anything at all. Exchanges of one shape come again and again (a run of requests to one API), so
// the registry chooses the checks once per shape and keeps the choice (see `applies` in registry.ts).
import type { CheckContext, Fields } from './context';

export interface Shape {
  /** The response side is judged (the exchange has a response). */
  response: boolean;
  /** The response status (0 without a response). */
  status: number;
  method: string;
  /** The response's HTTP version ('1.1', '1.0', '2'), '' without a response. */
  version: string;
  /** `ctx.isHttps`: an https URL or a TLS connection. */
  https: boolean;
  /** The connection record has TLS facts. */
  tls: boolean;
  /** The exchange has a connection record. */
  connection: boolean;
  /** The response has interim (1xx) responses. */
  interim: boolean;
  /** The response has trailer lines. */
  trailers: boolean;
  /** An unsent request from an .http block. */
  draft: boolean;
  /** Lowercased field names of the request, and of the response (pseudo-header fields excluded). */
  reqNames: ReadonlySet<string>;
  resNames: ReadonlySet<string>;
}

const F_RESPONSE = 1;
const F_HTTPS = 2;
const F_TLS = 4;
const F_CONNECTION = 8;
const F_INTERIM = 16;
const F_TRAILERS = 32;
const F_DRAFT = 64;

function flags(ctx: CheckContext, response: boolean): number {
  const res = response ? ctx.res : null;
  const conn = ctx.exchange.connection;
  return (
    (response ? F_RESPONSE : 0) |
    (ctx.isHttps ? F_HTTPS : 0) |
    (conn?.tls != null ? F_TLS : 0) |
    (conn != null ? F_CONNECTION : 0) |
    ((res?.interim?.length ?? 0) > 0 ? F_INTERIM : 0) |
    ((res?.trailers?.length ?? 0) > 0 ? F_TRAILERS : 0) |
    (ctx.req.draft ? F_DRAFT : 0)
  );
}

/**
 * A string that differs between any two different shapes, or null for a record that has no ordinary shape (a name
 * holding the separator, a method or version that is not a string: hostile or broken records). Those get their
 * checks chosen afresh, by field names only, as every check copes with them (or fails alone) by itself.
 */
export function shapeKey(ctx: CheckContext, response: boolean): string | null {
  const req = ctx.req.headers;
  const res = ctx.resHeaders;
  if (req.namesHaveNul || (response && res.namesHaveNul)) return null;
  const method: unknown = ctx.req.method;
  const version: unknown = response ? (ctx.res?.httpVersion ?? '') : '';
  if (typeof method !== 'string' || typeof version !== 'string' || (response && typeof ctx.res?.status !== 'number')) return null;
  // Lengths first make the method and version unambiguous; a remembered head layout stands for its names by its
  // id (#), any other head by its names, each followed by a NUL, after their count (n).
  return `${flags(ctx, response)} ${response ? ctx.status : 0} ${method.length}:${method}${version.length}:${version}${names(req)}${response ? names(res) : ''}`;
}

export interface ShapeNumbers {
  /** The request layout's id and the response layout's (0 without a response). */
  layouts: number;
  /** The flags and the status. */
  flagsStatus: number;
  method: string;
  version: string;
}

/** Layout ids fit in 22 bits each, so that the pair is one exact number. */
const ID_LIMIT = 1 << 22;

/**
 * The shape as numbers and two short strings, for a registry look-up that builds no key: when both heads have
 * remembered layouts and the status is a three-digit number (or less). Null otherwise (then shapeKey).
 */
export function shapeNumbers(ctx: CheckContext, response: boolean): ShapeNumbers | null {
  const req = ctx.req.headers.layoutId;
  const res = response ? ctx.resHeaders.layoutId : 0;
  if (req <= 0 || req >= ID_LIMIT || res >= ID_LIMIT || (response && res <= 0)) return null;
  const method: unknown = ctx.req.method;
  const version: unknown = response ? (ctx.res?.httpVersion ?? '') : '';
  const status = response ? ctx.status : 0;
  if (typeof method !== 'string' || typeof version !== 'string' || !Number.isInteger(status) || status < 0 || status > 999) return null;
  return { layouts: req * ID_LIMIT + res, flagsStatus: flags(ctx, response) * 1000 + status, method, version };
}

function names(f: Fields): string {
  const id = f.layoutId;
  return id > 0 ? `#${id}` : `n${f.count}:${f.namesKey}`;
}

export function shapeOf(ctx: CheckContext, response: boolean): Shape {
  const f = flags(ctx, response);
  return {
    response,
    status: response ? ctx.status : 0,
    method: ctx.req.method,
    version: response ? (ctx.res?.httpVersion ?? '') : '',
    https: (f & F_HTTPS) !== 0,
    tls: (f & F_TLS) !== 0,
    connection: (f & F_CONNECTION) !== 0,
    interim: (f & F_INTERIM) !== 0,
    trailers: (f & F_TRAILERS) !== 0,
    draft: (f & F_DRAFT) !== 0,
    reqNames: new Set(ctx.req.headers.names()),
    resNames: new Set(response ? ctx.resHeaders.names() : []),
  };
}
