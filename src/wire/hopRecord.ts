// The pieces of an HTTP/1.x hop's record that do not depend on its state: the empty record it starts from, the
// parser's tolerated deviations as notes, a connection's facts for another exchange on it, and the record of a
// status line that was refused.
import { isoNow } from '../shared/clock';
import { exchangeId } from './exchangeId';
import type { ConnectionInfo, Exchange, ExchangeResponse, Note } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import type { ClientCertificate } from './connect';

const REFERENCE_MESSAGING = 'https://www.rfc-editor.org/rfc/rfc9112';

export function emptyExchange(req: ResolvedRequest): Exchange {
  return {
    // The headers as written until the prepared ones replace them (copied where a failed hop keeps them).
    request: { method: req.method, url: req.url, httpVersion: req.httpVersion || 'HTTP/1.1', headers: req.headers, rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    startedAt: isoNow(),
    id: exchangeId(),
  };
}

export function wireNote(code: string, message: string, subject: string): Note {
  return {
    id: `wire-${code}`,
    subject,
    level: 'warning',
    category: 'wire',
    summary: message,
    detail: `The response deviates from HTTP/1.1 message syntax (${code}); Wire Lens tolerated it, as most clients do, but stricter ones may not.`,
    reference: REFERENCE_MESSAGING,
  };
}

/**
 * A connection's facts for another exchange on it: built field by field, without `newReason` (spreading or
 * deleting costs a microsecond or more on every request). The TLS facts are the connection's and are shared: no
 * one changes them after the handshake.
 */
export function connectionFacts(from: ConnectionInfo, reused: boolean, openedBy: string, requestsBefore: number): ConnectionInfo {
  const c: ConnectionInfo = {
    localAddress: from.localAddress,
    localPort: from.localPort,
    remoteAddress: from.remoteAddress,
    remotePort: from.remotePort,
    family: from.family,
    reused,
    tls: from.tls,
    openedBy,
    requestsBefore,
  };
  if (from.resolvedAddresses !== undefined) c.resolvedAddresses = from.resolvedAddresses;
  if (from.proxy !== undefined) c.proxy = from.proxy;
  return c;
}

/** Whether a client certificate is configured for the URL's host (the keys connect.ts looks up). */
export function hasClientCert(map: Record<string, ClientCertificate> | undefined, url: URL): boolean {
  if (!map) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return map[`${host}:${port}`] !== undefined || map[host] !== undefined || map[url.host] !== undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Head text arrives as latin1 (one char per byte); a reason phrase that is valid UTF-8 is shown as such. */
export function utf8IfValid(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return UTF8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1;
  }
}

/** The record of a response whose status line was refused or cut: the line as received, what it seems to say. */
export function refusedResponse(bytes: Buffer): ExchangeResponse {
  const lf = bytes.indexOf(10);
  const line = bytes
    .subarray(0, Math.min(lf < 0 ? bytes.length : lf, 1024))
    .toString('latin1')
    .replace(/\r$/, '');
  const m = /^([A-Za-z]+\/(\d+(?:\.\d+)?))?\s*(\d{3})(?:\s(.*))?$/.exec(line);
  return {
    httpVersion: m?.[2] ?? '',
    status: m ? Number(m[3]) : 0,
    reason: m ? utf8IfValid(m[4] ?? '') : '',
    headers: [],
    trailers: [],
    interim: [],
    body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
    rawBase64: '',
    headersComplete: false,
    statusLine: line,
  };
}
