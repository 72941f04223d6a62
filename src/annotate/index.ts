// Annotations entry point: the knowledge base, the checks, and per-line explanations for the panel, hover and CLI.
//
// Public API (no vscode import):
//   annotateExchange(exchange)          every note for one hop (pipeline.ts calls it per hop); sorted bad → good
//   annotateRequest({method,url,headers,body})  request-side notes for an unsent .http block
//   explainLine(exchange, side, index)  { name, value, field, notes } for one header/trailer/request-header line
//   notesBySubject(notes)               Map subject → notes ('status', 'header:3', 'request-header:0', 'trailer:1',
//                                       'body', 'connection', 'timing', 'request', 'request-body')
//   freshness(exchange)                 { lifetime, source, age, fresh } as a cache computes it
//   headerField(name) / headerFields() / statusCode(code) / statusCodes() / allChecks() / checkInfo(id)
//   formatHeaderExplanation / formatStatusExplanation / formatNote (text, or { markdown: true })
import type { Exchange, HeaderPair, Note } from '../shared/exchange';
import { CheckContext, computeFreshness, runChecks, type Freshness } from './checks';
import { headerField, type HeaderField } from './knowledge';
import { socketNotes } from './websocket';

export { headerField, headerFields, statusCode, statusCodes } from './knowledge';
export type { HeaderField, StatusCode } from './knowledge';
export { allChecks, checkInfo, formatSeconds, type CheckInfo, type Freshness } from './checks';
export { formatHeaderExplanation, formatStatusExplanation, formatNote } from './format';

const LEVEL_ORDER: Record<Note['level'], number> = { bad: 0, warning: 1, info: 2, good: 3 };

function sortNotes(notes: Note[]): Note[] {
  // Stable sort by level; most lists are already in order (a sort would still compare and copy), and the others
  // are short: an insertion sort in place (stable, as Array.prototype.sort is) allocates nothing.
  if (notes.length > 64) return notes.sort(byLevel);
  for (let i = 1; i < notes.length; i++) {
    const n = notes[i];
    const level = LEVEL_ORDER[n.level];
    let j = i - 1;
    if (LEVEL_ORDER[notes[j].level] <= level) continue;
    while (j >= 0 && LEVEL_ORDER[notes[j].level] > level) {
      notes[j + 1] = notes[j];
      j--;
    }
    notes[j + 1] = n;
  }
  return notes;
}

const byLevel = (a: Note, b: Note): number => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level];

/** Every note for one hop: request-side and response-side checks. Never throws. */
export function annotateExchange(exchange: Exchange): Note[] {
  // TCP and UDP blocks are not HTTP: only their own notes. A WebSocket's handshake is HTTP and gets both.
  if (exchange.kind === 'tcp' || exchange.kind === 'udp') return sortNotes(socketNotes(exchange));
  if (exchange.kind === 'websocket')
    return sortNotes([...runChecks(new CheckContext(exchange), exchange.response ? ['request', 'response'] : ['request']), ...socketNotes(exchange)]);
  const ctx = new CheckContext(exchange);
  return sortNotes(runChecks(ctx, exchange.response ? ['request', 'response'] : ['request']));
}

export interface DraftRequest {
  method: string;
  url: string;
  headers: HeaderPair[];
  body?: string | null;
}

/** Request-side notes for a request that was not sent (an .http block); subjects are `request-header:<i>` etc. */
export function annotateRequest(req: DraftRequest): Note[] {
  return sortNotes(runChecks(new CheckContext(draftExchange(req), true, req.body ?? null), ['request']));
}

/** The record a draft request is checked as: the request alone, nothing sent. */
export function draftExchange(req: DraftRequest): Exchange {
  return {
    request: { method: req.method, url: req.url, httpVersion: '1.1', headers: req.headers, rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
  };
}

export type LineSide = 'response' | 'request' | 'trailer';

export interface LineExplanation {
  name: string;
  value: string;
  /** The knowledge-base entry, when the field is known. */
  field: HeaderField | null;
  /** Notes whose subject is this line. */
  notes: Note[];
}

const SUBJECT_PREFIX: Record<LineSide, string> = { response: 'header', request: 'request-header', trailer: 'trailer' };

/** What the panel shows for one header line: its field entry and the notes tied to it. */
export function explainLine(exchange: Exchange, side: LineSide, index: number): LineExplanation | null {
  const pairs = side === 'request' ? exchange.request.headers : side === 'trailer' ? exchange.response?.trailers : exchange.response?.headers;
  const pair = pairs?.[index];
  if (!pair) return null;
  const subject = `${SUBJECT_PREFIX[side]}:${index}`;
  return { name: pair[0], value: pair[1], field: headerField(pair[0]) ?? null, notes: exchange.notes.filter((n) => n.subject === subject) };
}

/** Notes grouped by subject, for renderers that walk the lines. */
export function notesBySubject(notes: readonly Note[]): Map<string, Note[]> {
  const m = new Map<string, Note[]>();
  for (const n of notes) {
    const list = m.get(n.subject);
    if (list) list.push(n);
    else m.set(n.subject, [n]);
  }
  return m;
}

/** Freshness lifetime and current age of a response as a cache would compute them; null without a response. */
export function freshness(exchange: Exchange): Freshness | null {
  return exchange.response ? computeFreshness(new CheckContext(exchange)) : null;
}
