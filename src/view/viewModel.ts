// Prepares an Exchange for the webview: cuts bodies and raw bytes to what the panel can show quickly, masks
// secrets in the request, and attaches the knowledge base's meanings. Plain Node: no vscode import.
import { headerField, statusCode } from '../annotate/knowledge';
import { bodyByteLength, bodyBytes, withBody } from '../shared/body';
import type { Exchange, ExchangeRequest, HeaderPair } from '../shared/exchange';
import type { BodyView, ExchangeViewModel, HopView, Meaning } from '../shared/protocol';
import type { ResolvedRequest } from '../shared/request';
import { base64Bytes, base64ToBytes, latin1, sliceBase64, sliceText } from './bytes';
import { explainError, explainTlsFailure } from './errors';
import { maskSecrets, maskSecretsLatin1 } from './mask';
import { bodyKind, languageFor, mediaType } from './tokenize';

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Bytes of a textual body's base64 posted for the hex view (the text itself goes up to the threshold). */
export const HEX_VIEW_BYTES = 64 * 1024;
/** Bytes of raw body shown in the raw exchange section. */
export const RAW_VIEW_BYTES = 64 * 1024;

export interface ViewOptions {
  maxBodyBytes?: number;
  secrets?: readonly string[];
}

const CLASS_MEANINGS: Record<number, Meaning> = {
  1: { summary: 'Informational: the request was received and the process continues.', reference: 'RFC 9110, Section 15.2' },
  2: { summary: 'Successful: the request was received, understood and accepted.', reference: 'RFC 9110, Section 15.3' },
  3: { summary: 'Redirection: further action is needed to complete the request.', reference: 'RFC 9110, Section 15.4' },
  4: { summary: 'Client error: the request contains an error or cannot be fulfilled.', reference: 'RFC 9110, Section 15.5' },
  5: { summary: 'Server error: the server failed to fulfil an apparently valid request.', reference: 'RFC 9110, Section 15.6' },
};

export function statusMeaning(code: number): Meaning | null {
  const s = statusCode(code);
  if (s) return { summary: `${s.name}: ${s.description}`, detail: s.clientAction, reference: s.reference };
  const c = CLASS_MEANINGS[Math.floor(code / 100)];
  return c ? { ...c, summary: `Unregistered code. ${c.summary}` } : null;
}

export function headerMeaning(name: string): Meaning | null {
  const h = headerField(name);
  if (!h) return null;
  return { summary: h.description, detail: h.detail, syntax: h.syntax, reference: h.reference, deprecated: h.deprecated };
}

export function findHeader(headers: HeaderPair[], name: string): string | null {
  const lower = name.toLowerCase();
  const h = headers.find(([n]) => n.toLowerCase() === lower);
  return h ? h[1] : null;
}

/** Index of the blank line ending an HTTP head, as a byte offset past it; -1 when there is none. */
export function headEnd(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 3] === 0x0d) return i + 1;
  }
  return -1;
}

/** The request body bytes (what follows the head in `request.rawBase64`). */
export function requestBodyBytes(req: ExchangeRequest): Uint8Array {
  const raw = base64ToBytes(req.rawBase64);
  const end = headEnd(raw);
  return end < 0 ? new Uint8Array(0) : raw.subarray(end);
}

function bytesToBase64(s: string): string {
  return btoa(s);
}

function maskRequest(req: ExchangeRequest, secrets: readonly string[] | undefined, limit: number): { request: ExchangeRequest; shown: number; total: number } {
  const total = base64Bytes(req.rawBase64);
  const longest = Math.max(0, ...(secrets ?? []).map((s) => s.length * 4));
  const cut = base64ToBytes(sliceBase64(req.rawBase64, limit + longest));
  let text = maskSecretsLatin1(latin1(cut), secrets);
  text = text.slice(0, limit);
  return {
    request: {
      ...req,
      url: maskSecrets(req.url, secrets),
      headers: req.headers.map(([n, v]) => [n, maskSecrets(v, secrets)]),
      rawBase64: bytesToBase64(text),
    },
    shown: text.length,
    total,
  };
}

/** Phases that end an exchange before the request is written to the socket. */
const BEFORE_SEND = new Set(['resolve', 'dns', 'connect', 'tls']);

function hopView(ex: Exchange, opts: ViewOptions): HopView {
  const max = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { request, shown: reqShown, total: reqTotal } = maskRequest(ex.request, opts.secrets, RAW_VIEW_BYTES);
  // Notes and error messages may quote request values (a URL, a header): they are masked like the request.
  const mask = (t: string): string => maskSecrets(t, opts.secrets);
  const out: Exchange = {
    ...ex,
    request,
    redirects: [],
    notes: ex.notes.map((n) => ({ ...n, summary: mask(n.summary), detail: mask(n.detail) })),
    error: ex.error ? { ...ex.error, message: mask(ex.error.message) } : null,
  };
  let body: BodyView | null = null;
  let rawShown = 0;
  let rawTotal = 0;
  const r = ex.response;
  if (r) {
    const contentType = findHeader(r.headers, 'content-type');
    const kind = bodyKind(contentType, r.body.size, r.body.text);
    const text = r.body.text === null ? null : sliceText(r.body.text, max);
    // Images need all their bytes (up to the threshold); every other body needs base64 only for the hex view.
    // From the engine's bytes when it holds them: the whole body's base64 is never built for a view of its start.
    const limit = kind === 'image' ? max : Math.min(max, HEX_VIEW_BYTES);
    const held = bodyBytes(r.body);
    const b64 = held ? held.subarray(0, limit).toString('base64') : sliceBase64(r.body.base64, limit);
    const shownBytes = base64Bytes(b64);
    rawTotal = r.receivedBytes ?? base64Bytes(r.rawBase64);
    const rawB64 = sliceBase64(r.rawBase64, (r.headSize ?? 16 * 1024) + RAW_VIEW_BYTES);
    rawShown = base64Bytes(rawB64);
    const textCut = text !== null && r.body.text !== null && text.length < r.body.text.length;
    body = {
      kind,
      mediaType: mediaType(contentType),
      language: languageFor(kind, contentType),
      shownBytes,
      shownChars: text === null ? null : text.length,
      totalBytes: r.body.size,
      cut: r.body.truncated || textCut || (r.body.text === null && shownBytes < bodyByteLength(r.body)),
    };
    out.response = { ...r, body: withBody(r.body, { text, base64: b64 }), rawBase64: rawB64 };
  }
  return {
    exchange: out,
    status: r ? statusMeaning(r.status) : null,
    headers: r ? r.headers.map(([n]) => headerMeaning(n)) : [],
    trailers: r ? r.trailers.map(([n]) => headerMeaning(n)) : [],
    requestHeaders: request.headers.map(([n]) => headerMeaning(n)),
    body,
    rawShownBytes: rawShown,
    rawTotalBytes: rawTotal,
    requestRawShownBytes: reqShown,
    requestRawTotalBytes: reqTotal,
    requestNotSent: ex.error !== null && BEFORE_SEND.has(ex.error.phase),
    error: ex.error ? explainError(ex.error) : null,
    tlsFailure: explainTlsFailure(ex.connection?.tls?.authorizationError ?? null),
  };
}

export function buildViewModel(id: number, ex: Exchange, opts: ViewOptions = {}): ExchangeViewModel {
  return {
    id,
    hop: hopView(ex, opts),
    redirects: ex.redirects.map((h) => hopView(h, opts)),
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    masked: (opts.secrets ?? []).some((s) => s.length > 0),
  };
}

/** The pending view of a request: headers and the start of the body, secrets masked. */
export function pendingView(req: ResolvedRequest, startedAt: number): { method: string; url: string; startedAt: number; headers: HeaderPair[]; bodyPreview: string | null } {
  let bodyPreview: string | null = null;
  if (req.body && req.body.length > 0) {
    const parts: string[] = [];
    let size = 0;
    for (const p of req.body) {
      if (size > 4096) break;
      if (p.kind === 'file') parts.push(`< ${p.path}`);
      else {
        const chunk = new TextDecoder('utf-8').decode(p.data.subarray(0, 4096));
        parts.push(chunk);
        size += chunk.length;
      }
    }
    bodyPreview = maskSecrets(sliceText(parts.join(''), 4096), req.secrets);
  }
  return {
    method: req.method,
    url: maskSecrets(req.url, req.secrets),
    startedAt,
    headers: req.headers.map(([n, v]) => [n, maskSecrets(v, req.secrets)]),
    bodyPreview,
  };
}
