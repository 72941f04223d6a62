// Prepares an Exchange for the webview: cuts bodies and raw bytes to what the panel can show quickly, masks
// secrets in the request, and attaches the knowledge base's meanings. Plain Node: no vscode import.
import { headerField, statusCode } from '../annotate/knowledge';
import { bodyByteLength, bodyBytesHead, bytesBase64, withBody } from '../shared/body';
import { headerValue, requestHeadSize, requestWasSent } from '../shared/access';
import type { Exchange, ExchangeRequest, HeaderPair } from '../shared/exchange';
import type { BodyView, ExchangeSnapshot, ExchangeViewModel, HopView, LegSnapshot, Meaning, TestsView } from '../shared/protocol';
import { testsView, type RunExtras } from './testReport';
import type { ResolvedRequest } from '../shared/request';
import { base64Bytes, base64ToBytes, latin1, sliceBase64, sliceText } from './bytes';
import { explainError, explainTlsFailure } from './errors';
import { maskExchange, maskSecrets, maskSecretsLatin1 } from './mask';
import { bodyKind, languageFor, mediaType } from './tokenize';
import { transcriptView } from './transcript';

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Bytes of a textual body's base64 posted for the hex view (the text itself goes up to the threshold). */
export const HEX_VIEW_BYTES = 64 * 1024;
/** Bytes of raw body shown in the raw exchange section. */
export const RAW_VIEW_BYTES = 64 * 1024;

/** Header lines of each list (response, request, trailers, each interim) sent to the webview; the rest counted. */
export const MAX_PANEL_HEADERS = 1000;
/** Notes sent to the webview (most severe first); the rest counted. */
export const MAX_PANEL_NOTES = 1000;

export interface ViewOptions {
  maxBodyBytes?: number;
  secrets?: readonly string[];
  /** What the run model adds beside the exchange's tests: script logs, globals set, why scripts did not run. */
  run?: RunExtras;
  /** A socket connection still open (the live transcript). */
  live?: boolean;
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

function bytesToBase64(s: string): string {
  return btoa(s);
}

function maskRequest(
  req: ExchangeRequest,
  secrets: readonly string[] | undefined,
  limit: number,
): { request: ExchangeRequest; shown: number; total: number } {
  const total = base64Bytes(req.rawBase64);
  const longest = Math.max(0, ...(secrets ?? []).map((s) => s.length * 4));
  const cut = base64ToBytes(sliceBase64(req.rawBase64, limit + longest));
  let text = maskSecretsLatin1(latin1(cut), secrets);
  text = text.slice(0, limit);
  // Masking changes lengths: the head's size is the masked head's.
  const head = requestHeadSize(req);
  const headSize = Math.min(text.length, maskSecretsLatin1(latin1(cut.subarray(0, head)), secrets).length);
  return {
    request: {
      ...req,
      headSize,
      url: maskSecrets(req.url, secrets),
      headers: req.headers.map(([n, v]) => [n, maskSecrets(v, secrets)]),
      rawBase64: bytesToBase64(text),
    },
    shown: text.length,
    total,
  };
}

/** Byte-for-byte masking of binary HTTP/2 bytes: frame offsets must stay where they are. */
function maskBytesInPlace(bytes: Uint8Array, secrets: readonly string[]): void {
  const enc = new TextEncoder();
  for (const s of secrets) {
    if (s.length === 0) continue;
    const needle = enc.encode(s);
    for (let i = 0; i + needle.length <= bytes.length; i++) {
      let hit = true;
      for (let j = 0; j < needle.length && hit; j++) hit = bytes[i + j] === needle[j];
      if (hit) {
        bytes.fill(0x2a, i, i + needle.length);
        i += needle.length - 1;
      }
    }
  }
}

/** An HTTP/2 request for the panel: field values masked in the record and the frames, and every sent header
 * block blanked in the bytes when it carried a secret (HPACK may have Huffman-coded it past plain matching). */
function maskH2(
  ex: Exchange,
  secrets: readonly string[] | undefined,
  limit: number,
): { request: ExchangeRequest; frames: Exchange['frames']; shown: number; total: number } {
  const total = base64Bytes(ex.request.rawBase64);
  const bytes = base64ToBytes(sliceBase64(ex.request.rawBase64, limit)).slice();
  const list = (secrets ?? []).filter((x) => x.length > 0);
  let frames = ex.frames;
  if (list.length > 0) {
    maskBytesInPlace(bytes, list);
    const carried = (ex.frames ?? []).some((f) => f.direction === 'sent' && f.fields?.some((x) => maskSecrets(x.value, list) !== x.value));
    if (carried) {
      for (const f of ex.frames ?? []) {
        if (f.direction !== 'sent' || (f.type !== 'HEADERS' && f.type !== 'CONTINUATION')) continue;
        bytes.fill(0x2a, Math.min(bytes.length, f.offset + 9), Math.min(bytes.length, f.offset + 9 + f.length));
      }
    }
    frames = (ex.frames ?? []).map((f) => (f.fields ? { ...f, fields: f.fields.map((x) => ({ ...x, value: maskSecrets(x.value, list) })) } : f));
  }
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return {
    request: {
      ...ex.request,
      url: maskSecrets(ex.request.url, secrets),
      headers: ex.request.headers.map(([n, v]) => [n, maskSecrets(v, secrets)]),
      rawBase64: bytesToBase64(bin),
    },
    frames,
    shown: bytes.length,
    total,
  };
}

function hopView(original: Exchange, opts: ViewOptions): HopView {
  // A server can echo a credential (in a header, the body or its raw bytes): the response is masked as well.
  const ex: Exchange =
    original.response && (opts.secrets?.length ?? 0) > 0
      ? { ...original, response: maskExchange({ ...original, redirects: [] }, opts.secrets).response }
      : original;
  const max = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const h2 = ex.frames ? maskH2(ex, opts.secrets, RAW_VIEW_BYTES) : null;
  const masked = h2 ?? maskRequest(ex.request, opts.secrets, RAW_VIEW_BYTES);
  const { shown: reqShown, total: reqTotal } = masked;
  // Bounded by design: the webview never receives more rows than it can draw at once.
  const omitted = { headers: 0, requestHeaders: 0, trailers: 0, notes: 0 };
  const request = {
    ...masked.request,
    headers: capList(masked.request.headers, (n) => {
      omitted.requestHeaders = n;
    }),
  };
  const notes = ex.notes.length > MAX_PANEL_NOTES ? [...ex.notes].sort(bySeverity).slice(0, MAX_PANEL_NOTES) : ex.notes;
  omitted.notes = ex.notes.length - notes.length;
  // Notes and error messages may quote request values (a URL, a header): they are masked like the request.
  const mask = (t: string): string => maskSecrets(t, opts.secrets);
  // Only what the panel reads: redirect hops are HopViews of their own, socket messages go as transcript rows.
  const out: ExchangeSnapshot = {
    request,
    response: ex.response,
    timings: ex.timings,
    connection: ex.connection,
    notes: notes.map((n) => ({ ...n, summary: mask(n.summary), detail: mask(n.detail) })),
    error: ex.error ? { ...ex.error, message: mask(ex.error.message) } : null,
    ...defined({
      kind: ex.kind,
      frames: h2 ? h2.frames : ex.frames,
      framesOmitted: ex.framesOmitted,
      startedAt: ex.startedAt,
      id: ex.id,
      tunnel: ex.tunnel && legSnapshot(ex.tunnel),
      attempts: ex.attempts?.map(legSnapshot),
    }),
  };
  let body: BodyView | null = null;
  let rawShown = 0;
  let rawTotal = 0;
  const r = ex.response;
  if (r) {
    const contentType = headerValue(r.headers, 'content-type');
    const kind = bodyKind(contentType, r.body.size, r.body.text);
    const text = r.body.text === null ? null : sliceText(r.body.text, max);
    // Images need all their bytes (up to the threshold); every other body needs base64 only for the hex view.
    // From the engine's bytes when it holds them: the whole body's base64 is never built for a view of its start.
    const limit = kind === 'image' ? max : Math.min(max, HEX_VIEW_BYTES);
    const held = bodyBytesHead(r.body, limit);
    const b64 = held ? bytesBase64(held) : sliceBase64(r.body.base64, limit);
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
    out.response = {
      ...r,
      body: withBody(r.body, { text, base64: b64 }),
      rawBase64: rawB64,
      headers: capList(r.headers, (n) => {
        omitted.headers = n;
      }),
      trailers: capList(r.trailers, (n) => {
        omitted.trailers = n;
      }),
      interim: r.interim.slice(0, 64).map((i) => ({ ...i, headers: capList(i.headers, () => undefined) })),
    };
  }
  const shownRes = out.response;
  return {
    exchange: out,
    status: r ? statusMeaning(r.status) : null,
    headers: shownRes ? shownRes.headers.map(([n]) => headerMeaning(n)) : [],
    trailers: shownRes ? shownRes.trailers.map(([n]) => headerMeaning(n)) : [],
    requestHeaders: request.headers.map(([n]) => headerMeaning(n)),
    body,
    rawShownBytes: rawShown,
    rawTotalBytes: rawTotal,
    requestRawShownBytes: reqShown,
    requestRawTotalBytes: reqTotal,
    requestNotSent: !requestWasSent(ex),
    error: ex.error ? explainError(ex.error) : null,
    tlsFailure: explainTlsFailure(ex.connection?.tls?.authorizationError ?? null),
    ...(omitted.headers || omitted.requestHeaders || omitted.trailers || omitted.notes ? { omitted } : {}),
    transcript: transcriptView(ex, { secrets: opts.secrets, live: opts.live }),
  };
}

/** The keys of `o` whose value is not undefined (the snapshot carries no empty optional fields). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function legSnapshot(leg: Exchange): LegSnapshot {
  return { request: leg.request, response: leg.response, timings: leg.timings, error: leg.error };
}

const SEVERITY: Record<string, number> = { bad: 0, warning: 1, info: 2, good: 3 };

function bySeverity(a: { level: string }, b: { level: string }): number {
  return (SEVERITY[a.level] ?? 4) - (SEVERITY[b.level] ?? 4);
}

/** The first MAX_PANEL_HEADERS lines; `cut` is told how many were left out. */
function capList(list: HeaderPair[], cut: (n: number) => void): HeaderPair[] {
  if (list.length <= MAX_PANEL_HEADERS) return list;
  cut(list.length - MAX_PANEL_HEADERS);
  return list.slice(0, MAX_PANEL_HEADERS);
}

export function buildViewModel(id: number, ex: Exchange, opts: ViewOptions = {}): ExchangeViewModel {
  return {
    id,
    hop: hopView(ex, opts),
    redirects: ex.redirects.map((h) => hopView(h, opts)),
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    masked: (opts.secrets ?? []).some((s) => s.length > 0),
    ...testsViewFor(ex, opts),
  };
}

function testsViewFor(ex: Exchange, opts: ViewOptions): { tests?: TestsView } {
  const tests = testsView(ex.tests ?? [], opts.run, opts.secrets);
  return tests ? { tests } : {};
}

/** The pending view of a request: headers and the start of the body, secrets masked. */
export function pendingView(
  req: ResolvedRequest,
  startedAt: number,
): { method: string; url: string; startedAt: number; headers: HeaderPair[]; bodyPreview: string | null } {
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
