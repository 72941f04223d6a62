// The typed message protocol between the panel host (src/panel) and the webview script (media/webview).
// Messages from the webview are untrusted input: the host validates them with `parseWebviewMessage`.
import type { Exchange, HeaderPair, Progress } from './exchange';

export interface PendingRequestView {
  method: string;
  url: string;
  startedAt: number;
  /** Request headers as resolved (secrets masked). */
  headers?: HeaderPair[];
  /** The start of the body as text (secrets masked), or a description such as `< ./file.bin`. */
  bodyPreview?: string | null;
}

/** What the knowledge base says about a status code or header field. */
export interface Meaning {
  summary: string;
  detail?: string;
  syntax?: string;
  reference?: string;
  deprecated?: boolean;
}

export type BodyKindName = 'json' | 'xml' | 'html' | 'text' | 'image' | 'binary' | 'empty';

export interface BodyView {
  kind: BodyKindName;
  /** Media type without parameters ('' when the response has none). */
  mediaType: string;
  /** VS Code language id for Open in Editor. */
  language: string;
  /** Decoded bytes in `exchange.response.body.base64` as posted. */
  shownBytes: number;
  /** Characters of `body.text` as posted (null when not textual). */
  shownChars: number | null;
  /** Decoded size of the whole body. */
  totalBytes: number;
  /** True when the panel received less than the whole body (threshold or engine limit). */
  cut: boolean;
}

/** A proxy's CONNECT leg or an earlier failed attempt, as the connection section shows it. */
export type LegSnapshot = Pick<Exchange, 'request' | 'response' | 'timings' | 'error'>;

/**
 * One exchange as the webview receives it inside a HopView: the record's own facts, cut to what the panel shows
 * and masked. Not a whole Exchange: redirect hops travel as HopViews of their own, socket messages as transcript
 * rows, scripts' results as the tests view. `startedAt` and `id` come back with a restored panel's record.
 */
export interface ExchangeSnapshot extends Pick<
  Exchange,
  'request' | 'response' | 'timings' | 'connection' | 'notes' | 'error' | 'kind' | 'frames' | 'framesOmitted' | 'startedAt' | 'id'
> {
  tunnel?: LegSnapshot;
  attempts?: LegSnapshot[];
}

/** One exchange (the final one or a redirect hop) prepared for the webview: cut to size, secrets masked, explained. */
export interface HopView {
  exchange: ExchangeSnapshot;
  status: Meaning | null;
  headers: (Meaning | null)[];
  trailers: (Meaning | null)[];
  requestHeaders: (Meaning | null)[];
  body: BodyView | null;
  /** Raw response bytes posted / received. */
  rawShownBytes: number;
  rawTotalBytes: number;
  /** Raw request bytes posted / written. */
  requestRawShownBytes: number;
  requestRawTotalBytes: number;
  /** The exchange failed before a byte of the request was written (resolve, DNS, connect or TLS): the raw request is
   * only what would have been sent. */
  requestNotSent?: boolean;
  error: { title: string; phase: string; causes: string[] } | null;
  /** A TLS verification failure in plain words. */
  tlsFailure: string | null;
  /** What the panel was not sent (a hostile head: 60,000 header lines); the full record keeps all of it. */
  omitted?: { headers: number; requestHeaders: number; trailers: number; notes: number };
  /** WebSocket, TCP and UDP: the messages as rows (the exchange's own `messages` are not posted). */
  transcript?: TranscriptView | null;
}

// ---- sockets (issue 12): the transcript, shared by the panel and the CLI (built in src/view/transcript.ts) -----

export interface TranscriptRow {
  index: number;
  direction: 'sent' | 'received';
  /** Milliseconds from the start of the exchange. */
  at: number;
  /** `+12.3 ms`. */
  time: string;
  /** `text`, `binary`, `ping`, `pong`, `close` (WebSocket), `data` (TCP), `datagram` (UDP). */
  type: string;
  size: number;
  /** The message as text when it is text; else null and `hex` holds the dump. */
  text: string | null;
  hex: string[] | null;
  /** Frame facts: FIN, mask key, RSV bits, compression, fragments, automatic replies. */
  details: string[];
  /** A close frame's code explained. */
  close: string | null;
  /** Only part of the message is shown (or kept). */
  cut: boolean;
}

export interface TranscriptView {
  kind: 'websocket' | 'tcp' | 'udp';
  rows: TranscriptRow[];
  /** Messages in the record not made into rows (the row limit). */
  omitted: number;
  /** How the connection went and ended, in lines. */
  summary: string[];
  /** True while the connection is open (the panel's live view: a box sends, a button closes). */
  live: boolean;
}

/** One test or assert in the panel's Tests section. */
export interface TestItemView {
  name: string;
  passed: boolean;
  message: string | null;
  /** 1-based line in the .http file (or in `file`). */
  line: number;
  file?: string;
  expected?: string;
  actual?: string;
  kind: 'test' | 'assert' | 'script';
}

/** The Tests section: results, script logs, the globals scripts set, and why scripts did not run. */
export interface TestsView {
  items: TestItemView[];
  logs: string[];
  globals: [string, string][];
  /** Why the request's scripts were not run (Restricted Mode…), or null. */
  notRun: string | null;
  passed: number;
  failed: number;
}

export interface ExchangeViewModel {
  /** Host-side id of the exchange, for actions on the full record. */
  id: number;
  hop: HopView;
  redirects: HopView[];
  maxBodyBytes: number;
  /** Secrets were masked in the request shown. */
  masked: boolean;
  /** Scripts and asserts of the request, when it has any. */
  tests?: TestsView;
}

export type HostMessage =
  | { type: 'pending'; seq: number; request: PendingRequestView }
  | { type: 'progress'; seq: number; progress: Progress }
  | { type: 'exchange'; seq: number; view: ExchangeViewModel }
  /** A live connection's new message, appended to the transcript shown. */
  | { type: 'socketMessage'; seq: number; row: TranscriptRow };

export interface RenderedSection {
  id: string;
  title: string;
  /** The section's visible text (cut to a few thousand characters). */
  text: string;
  count?: number;
  expanded: boolean;
}

/** What the webview rendered, reported after each render so the host (and tests) can see it. */
export interface RenderReport {
  view: 'empty' | 'pending' | 'exchange';
  /** The `seq` of the host message rendered (0 when restored from saved state). */
  seq: number;
  durationMs: number;
  statusLine: string | null;
  sections: RenderedSection[];
  /** `<script>` elements added since the page loaded, and `<img>` elements: proof that response content added none. */
  scripts: number;
  images: number;
  /** The document's title; response content that ran could change it. */
  documentTitle?: string;
  bodyMode: string | null;
  restored: boolean;
}

/** The exchange an action applies to: -1 for the final exchange, else the redirect hop's index. */
export type HopRef = number;

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'rerun' }
  | { type: 'copyCurl'; hop: HopRef }
  | { type: 'copyResponse'; hop: HopRef }
  | { type: 'copyHeader'; hop: HopRef; index: number; trailer: boolean }
  | { type: 'saveExchange' }
  | { type: 'saveBody'; hop: HopRef }
  | { type: 'openBody'; hop: HopRef }
  | { type: 'rendered'; report: RenderReport }
  /** Go to a test's line in the .http file (or in an external script). */
  | { type: 'revealLine'; line: number; file?: string }
  /** Live connection: send another message (WebSocket: text frame; TCP/UDP: the text's UTF-8 bytes, escapes decoded). */
  | { type: 'socketSend'; text: string }
  /** Live connection: close it (WebSocket: with this code and reason). */
  | { type: 'socketClose'; code: number; reason: string };

const MAX_TEXT = 4000;
const MAX_SECTIONS = 64;

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function int(v: unknown, min: number, max: number): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;
}

function str(v: unknown, max = MAX_TEXT): string | null {
  return typeof v === 'string' ? v.slice(0, max) : null;
}

function parseReport(v: unknown): RenderReport | null {
  const r = obj(v);
  if (!r) return null;
  const view = r.view;
  if (view !== 'empty' && view !== 'pending' && view !== 'exchange') return null;
  const seq = int(r.seq, 0, Number.MAX_SAFE_INTEGER);
  const duration = typeof r.durationMs === 'number' && Number.isFinite(r.durationMs) && r.durationMs >= 0 ? r.durationMs : null;
  const scripts = int(r.scripts, 0, 1e6);
  const images = int(r.images, 0, 1e6);
  if (seq === null || duration === null || scripts === null || images === null) return null;
  if (!Array.isArray(r.sections) || r.sections.length > MAX_SECTIONS) return null;
  const sections: RenderedSection[] = [];
  for (const s of r.sections) {
    const o = obj(s);
    if (!o) return null;
    const id = str(o.id, 100);
    const title = str(o.title, 200);
    const text = str(o.text);
    if (id === null || title === null || text === null || typeof o.expanded !== 'boolean') return null;
    const count = o.count === undefined ? undefined : int(o.count, 0, 1e9);
    if (count === null) return null;
    sections.push({ id, title, text, expanded: o.expanded, ...(count !== undefined ? { count } : {}) });
  }
  const statusLine = r.statusLine === null ? null : str(r.statusLine, 1000);
  if (statusLine === null && r.statusLine !== null) return null;
  const bodyMode = r.bodyMode === null ? null : str(r.bodyMode, 20);
  if (bodyMode === null && r.bodyMode !== null) return null;
  const documentTitle = typeof r.documentTitle === 'string' ? r.documentTitle.slice(0, 200) : undefined;
  return {
    view,
    seq,
    durationMs: duration,
    statusLine,
    sections,
    scripts,
    images,
    bodyMode,
    restored: r.restored === true,
    ...(documentTitle !== undefined ? { documentTitle } : {}),
  };
}

/** Validates a message from the webview; anything malformed or unknown is null (and ignored by the host). */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
  const m = obj(value);
  if (!m) return null;
  const hop = int(m.hop, -1, 1000);
  switch (m.type) {
    case 'ready':
    case 'cancel':
    case 'rerun':
    case 'saveExchange':
      return { type: m.type };
    case 'copyCurl':
    case 'copyResponse':
    case 'saveBody':
    case 'openBody':
      return hop === null ? null : { type: m.type, hop };
    case 'copyHeader': {
      const index = int(m.index, 0, 100_000);
      if (hop === null || index === null || typeof m.trailer !== 'boolean') return null;
      return { type: 'copyHeader', hop, index, trailer: m.trailer };
    }
    case 'socketSend': {
      // One message from the input box; a megabyte is more than anyone types, and bounds what a page can push.
      if (typeof m.text !== 'string' || m.text.length > 1024 * 1024) return null;
      return { type: 'socketSend', text: m.text };
    }
    case 'socketClose': {
      const code = int(m.code, 1000, 4999);
      const reason = typeof m.reason === 'string' ? m.reason : '';
      // RFC 6455: only these codes may be sent, and the reason fits a control frame (123 bytes of UTF-8).
      if (code === null || !((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || code >= 3000)) return null;
      if (new TextEncoder().encode(reason).length > 123) return null;
      return { type: 'socketClose', code, reason };
    }
    case 'rendered': {
      const report = parseReport(m.report);
      return report ? { type: 'rendered', report } : null;
    }
    case 'revealLine': {
      const line = int(m.line, 1, 10_000_000);
      if (line === null) return null;
      if (m.file === undefined) return { type: 'revealLine', line };
      const file = typeof m.file === 'string' && m.file.length <= 1000 ? m.file : null;
      return file === null ? null : { type: 'revealLine', line, file };
    }
    default:
      return null;
  }
}
