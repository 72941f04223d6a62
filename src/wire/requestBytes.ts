// The request as it goes on the wire: request line in origin form, the headers exactly as written, and only the
// missing Host / User-Agent / Content-Length added (Content-Length: 0 on a bodyless POST, PUT or PATCH). CR, LF and NUL cannot reach the head through a variable.
import { promises as fsp } from 'node:fs';
import type { HeaderPair } from '../shared/exchange';
import type { BodyPart, ResolvedRequest } from '../shared/request';
import { WL, WireError } from './errors';

export interface PreparedRequest {
  url: URL;
  method: string;
  httpVersion: string;
  headers: HeaderPair[];
  head: Buffer;
  body: BodyPart[];
  /** Total body bytes (file sizes at stat time). */
  bodyLength: number;
  /** The head as recorded: `head` with proxy credentials masked (same length). */
  recordHead?: Buffer;
}

/** Sending to an HTTP proxy: the request target in absolute form, and the proxy's credentials. */
export interface ForwardOptions {
  proxyAuthorization?: string;
}

/** Credentials replaced by asterisks of the same length, so that the record keeps every offset. */
function maskCredentials(value: string): string {
  const sp = value.indexOf(' ');
  return sp < 0 ? '*'.repeat(value.length) : `${value.slice(0, sp + 1)}${'*'.repeat(value.length - sp - 1)}`;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UNSAFE = /[\r\n\0]/;
/** Methods whose requests are expected to carry content (RFC 9110 section 8.6). */
const EXPECTS_CONTENT = new Set(['POST', 'PUT', 'PATCH']);
/** Methods that are tokens as they are (the token check runs for any other). */
const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Whether a header is there (`name` lowercase); names of another length are not lowercased. */
function has(headers: HeaderPair[], name: string): boolean {
  for (let i = 0; i < headers.length; i++) {
    const n = headers[i][0];
    if (n.length === name.length && n.toLowerCase() === name) return true;
  }
  return false;
}

const NO_BODY: BodyPart[] = [];

/**
 * `parsed`: `req.url` already parsed by the caller (it is parsed once per hop; the URL is not changed here).
 * Synchronous unless the body has file parts (their sizes are read): a reused connection's request then goes out
 * without waiting a turn.
 */
export function prepareRequest(
  req: ResolvedRequest,
  userAgent: string | undefined,
  forward?: ForwardOptions,
  parsed?: URL,
): PreparedRequest | Promise<PreparedRequest> {
  let url: URL;
  try {
    url = parsed ?? new URL(req.url);
  } catch {
    throw new WireError(WL.INVALID_REQUEST, `Not a valid URL: ${req.url}`, 'resolve');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WireError(WL.INVALID_REQUEST, `Unsupported scheme ${url.protocol} (http: and https: only)`, 'resolve');
  const method = req.method;
  if (!COMMON_METHODS.has(method) && !TOKEN.test(method))
    throw new WireError(WL.INVALID_REQUEST, `Invalid method ${JSON.stringify(method)}`, 'resolve');
  // The engine speaks HTTP/1.x; a file that asks for HTTP/2 is sent as HTTP/1.1 (versionNote.ts says so).
  const httpVersion = req.httpVersion === 'HTTP/1.1' || /^HTTP\/1\.[01]$/.test(req.httpVersion) ? req.httpVersion : 'HTTP/1.1';
  // The target as the language layer built it (never normalized); a URL alone gives path and query.
  const target = req.target ?? `${url.pathname || '/'}${url.search}`;
  const bad = /[^\x21-\x7e]/.exec(target);
  if (bad || target === '') {
    throw new WireError(
      WL.INVALID_REQUEST,
      bad
        ? `Request target contains the byte 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()} (only visible ASCII may appear in a request line)`
        : 'Empty request target',
      'resolve',
    );
  }
  const headers: HeaderPair[] = [];
  for (const [n, v] of req.headers) {
    if (!TOKEN.test(n)) throw new WireError(WL.INVALID_REQUEST, `Invalid header name ${JSON.stringify(n)}`, 'resolve');
    if (UNSAFE.test(v)) throw new WireError(WL.INVALID_REQUEST, `Header ${n} contains CR, LF or NUL`, 'resolve');
    const ctl = /[\x00-\x08\x0a-\x1f\x7f]/.exec(v);
    if (ctl)
      throw new WireError(
        WL.INVALID_REQUEST,
        `Header ${n} contains the control byte 0x${ctl[0].charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
        'resolve',
      );
    headers.push([n, v]);
  }
  if (!has(headers, 'host')) headers.unshift(['Host', url.host]);
  if ((url.username || url.password) && !has(headers, 'authorization')) {
    const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.push(['Authorization', `Basic ${Buffer.from(cred, 'utf8').toString('base64')}`]);
  }
  if (userAgent && !has(headers, 'user-agent')) headers.push(['User-Agent', userAgent]);
  const body = req.body ?? NO_BODY;
  let bodyLength = 0;
  let files = false;
  for (const part of body) {
    if (part.kind === 'bytes') bodyLength += part.data.byteLength;
    else files = true;
  }
  if (!files) return withHead(req, url, method, httpVersion, target, headers, body, bodyLength, forward);
  return fileSizes(body).then((fileBytes) => withHead(req, url, method, httpVersion, target, headers, body, bodyLength + fileBytes, forward));
}

/** The sizes of a body's file parts, at stat time; a part that is not a readable regular file fails the send. */
async function fileSizes(body: BodyPart[]): Promise<number> {
  let total = 0;
  for (const part of body) {
    if (part.kind === 'bytes') continue;
    try {
      const st = await fsp.stat(part.path);
      if (!st.isFile()) throw new Error('not a regular file');
      total += st.size;
    } catch (e) {
      throw new WireError(WL.BODY_FILE, `Cannot read body file ${part.path}: ${e instanceof Error ? e.message : String(e)}`, 'send');
    }
  }
  return total;
}

/** The framing headers, the proxy's credentials and the head bytes, once the body's length is known. */
function withHead(
  req: ResolvedRequest,
  url: URL,
  method: string,
  httpVersion: string,
  target: string,
  headers: HeaderPair[],
  body: BodyPart[],
  bodyLength: number,
  forward: ForwardOptions | undefined,
): PreparedRequest {
  if (!has(headers, 'content-length') && !has(headers, 'transfer-encoding')) {
    // RFC 9110 section 8.6: a user agent should send Content-Length: 0 in a request whose method defines a meaning
    // for content (POST, PUT, PATCH) when there is none; some servers answer 411 otherwise. GET, HEAD, DELETE and
    // OPTIONS without a body carry no framing header, as curl and browsers send them.
    if (req.body !== null) headers.push(['Content-Length', String(bodyLength)]);
    else if (EXPECTS_CONTENT.has(method)) headers.push(['Content-Length', '0']);
  }
  // To a proxy the target is in absolute form (RFC 9112 section 3.2.2), without user info.
  const line = forward ? `${url.protocol}//${url.host}${target}` : target;
  let added: number | null = null;
  if (forward?.proxyAuthorization && !has(headers, 'proxy-authorization')) {
    added = headers.length;
    headers.push(['Proxy-Authorization', forward.proxyAuthorization]);
  }
  const headText = (hs: HeaderPair[]): string => {
    let text = `${method} ${line} ${httpVersion}\r\n`;
    for (const [n, v] of hs) text += `${n}: ${v}\r\n`;
    return `${text}\r\n`;
  };
  // Header values are written as UTF-8 (what the user typed); the panel shows the bytes.
  const head = Buffer.from(headText(headers), 'utf8');
  if (added === null) return { url, method, httpVersion, headers, head, body, bodyLength };
  const recorded = headers.map(([n, v], i): HeaderPair => [n, i === added ? maskCredentials(v) : v]);
  return { url, method, httpVersion, headers: recorded, head, recordHead: Buffer.from(headText(recorded), 'utf8'), body, bodyLength };
}
