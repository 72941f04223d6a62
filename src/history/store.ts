// The request history: every exchange sent from the editor, kept as files in a directory (the extension's
// workspace storage), bounded by count and bytes, bodies over a size kept in part, secrets masked. Plain Node:
// the editor glue (src/editor/history*.ts) gives it a directory and shows it.
//
// Layout: `index.json` (the list, newest first: what the tree view needs) and `entries/<id>.json` (the exchange).
// Writes go through one queue, and the index is written to a temporary file and renamed, so a crash or two windows
// never leave a half-written index.
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Exchange, ExchangeRequest, ExchangeResponse } from '../shared/exchange';
import { chainTotalMs } from '../shared/timing';
import { maskSecrets, maskSecretsLatin1 } from '../view/mask';

export interface HistoryLimits {
  /** Most entries kept (oldest dropped first). */
  maxEntries: number;
  /** Most bytes of entry files kept in all. */
  maxBytes: number;
  /** Bodies (and raw bytes) larger than this are kept in part. */
  maxBodyBytes: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxEntries: 500, maxBytes: 50 * 1024 * 1024, maxBodyBytes: 256 * 1024 };

/** Where the request came from, to reveal it and send it again. */
export interface HistorySource {
  /** A document URI as a string (file:, untitled:…). */
  uri: string;
  /** 0-based line of the request line. */
  line: number;
  name?: string;
}

/** One row of the list: what the view shows without reading the entry. */
export interface HistoryItem {
  id: string;
  /** ISO time it was sent. */
  sentAt: string;
  method: string;
  /** The URL as written, secrets masked. */
  url: string;
  status: number | null;
  reason: string | null;
  errorCode: string | null;
  /** The whole chain's time (ms), redirects included. */
  totalMs: number | null;
  /** Decoded body size of the final response (bytes). */
  size: number | null;
  source?: HistorySource;
  /** True when secrets were masked in the stored exchange (it cannot be re-sent from the record alone). */
  masked: boolean;
  /** Bytes of the entry file. */
  bytes: number;
}

export interface HistoryEntry extends HistoryItem {
  exchange: Exchange;
}

interface IndexFile {
  version: 1;
  items: HistoryItem[];
}

/** Cuts a base64 field to `max` decoded bytes (on a 3-byte boundary). */
function cutBase64(b64: string, max: number): { value: string; cut: boolean } {
  const chars = Math.floor(max / 3) * 4;
  return b64.length <= chars ? { value: b64, cut: false } : { value: b64.slice(0, chars), cut: true };
}

function maskBase64(b64: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || b64 === '') return b64;
  return Buffer.from(maskSecretsLatin1(Buffer.from(b64, 'base64').toString('latin1'), secrets), 'latin1').toString('base64');
}

function keptRequest(r: ExchangeRequest, secrets: readonly string[], max: number): ExchangeRequest {
  const raw = cutBase64(maskBase64(r.rawBase64, secrets), max);
  return {
    ...r,
    url: maskSecrets(r.url, secrets),
    headers: r.headers.map(([n, v]) => [n, maskSecrets(v, secrets)]),
    rawBase64: raw.value,
    ...(raw.cut || r.rawTruncated ? { rawTruncated: true } : {}),
  };
}

function keptResponse(r: ExchangeResponse, max: number): ExchangeResponse {
  const body = cutBase64(r.body.base64, max);
  const text = r.body.text !== null && r.body.text.length > max ? r.body.text.slice(0, max) : r.body.text;
  const raw = cutBase64(r.rawBase64, (r.headSize ?? 0) + max);
  return {
    ...r,
    body: { ...r.body, base64: body.value, text, truncated: r.body.truncated || body.cut || text !== r.body.text },
    rawBase64: raw.value,
    ...(raw.cut || r.rawTruncated ? { rawTruncated: true } : {}),
  };
}

/**
 * The exchange as history keeps it: secrets masked in the request (URL, headers, bytes) and in messages,
 * bodies and raw bytes over `maxBodyBytes` cut (marked truncated), every hop, tunnel and attempt alike.
 */
export function exchangeForHistory(ex: Exchange, secrets: readonly string[] = [], maxBodyBytes = DEFAULT_HISTORY_LIMITS.maxBodyBytes): Exchange {
  const s = secrets.filter((x) => x.length > 0);
  const one = (e: Exchange): Exchange => ({
    ...e,
    request: keptRequest(e.request, s, maxBodyBytes),
    response: e.response ? keptResponse(e.response, maxBodyBytes) : null,
    redirects: e.redirects.map(one),
    notes: e.notes.map((n) => ({ ...n, summary: maskSecrets(n.summary, s), detail: maskSecrets(n.detail, s) })),
    error: e.error ? { ...e.error, message: maskSecrets(e.error.message, s) } : null,
    ...(e.tunnel ? { tunnel: one(e.tunnel) } : {}),
    ...(e.attempts ? { attempts: e.attempts.map(one) } : {}),
  });
  return one(ex);
}

export class HistoryStore {
  private items: HistoryItem[] = [];
  private loaded = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dir: string,
    private limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  setLimits(l: HistoryLimits): void {
    this.limits = l;
  }

  /** Called after every change (the tree view refreshes). */
  onDidChange(fn: () => void): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }

  private get indexPath(): string {
    return path.join(this.dir, 'index.json');
  }

  private entryPath(id: string): string {
    // Ids are ours (UUIDs); anything else never reaches the file system.
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`bad history id ${id}`);
    return path.join(this.dir, 'entries', `${id}.json`);
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Reads the index from disk (again): what a new window sees. A damaged index is an empty history. */
  load(): Promise<void> {
    return this.run(async () => {
      try {
        const parsed = JSON.parse(await fsp.readFile(this.indexPath, 'utf8')) as Partial<IndexFile>;
        this.items = Array.isArray(parsed.items) ? parsed.items.filter((i) => typeof i?.id === 'string' && /^[0-9a-f-]{36}$/.test(i.id)) : [];
      } catch {
        this.items = [];
      }
      this.loaded = true;
      this.changed();
    });
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    try {
      const parsed = JSON.parse(await fsp.readFile(this.indexPath, 'utf8')) as Partial<IndexFile>;
      this.items = Array.isArray(parsed.items) ? parsed.items : [];
    } catch {
      this.items = [];
    }
    this.loaded = true;
  }

  private async writeIndex(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    const tmp = `${this.indexPath}.${process.pid}.${Date.now()}.tmp`;
    await fsp.writeFile(tmp, JSON.stringify({ version: 1, items: this.items } satisfies IndexFile));
    await fsp.rename(tmp, this.indexPath);
  }

  /** Newest first. */
  list(): readonly HistoryItem[] {
    return this.items;
  }

  /** Keeps an exchange; returns its item. Secrets are masked and bodies cut before anything is written. */
  add(ex: Exchange, meta: { secrets?: readonly string[]; source?: HistorySource; sentAt?: Date } = {}): Promise<HistoryItem> {
    return this.run(async () => {
      await this.ensureLoaded();
      const kept = exchangeForHistory(ex, meta.secrets ?? [], this.limits.maxBodyBytes);
      const first = (kept.redirects[0] ?? kept).request;
      const text = JSON.stringify(kept);
      const item: HistoryItem = {
        id: randomUUID(),
        sentAt: (meta.sentAt ?? (ex.startedAt ? new Date(ex.startedAt) : new Date())).toISOString(),
        method: first.method,
        url: first.url,
        status: ex.response?.status ?? null,
        reason: ex.response?.reason ?? null,
        errorCode: ex.error?.code ?? null,
        totalMs: chainTotalMs(ex),
        size: ex.response ? ex.response.body.size : null,
        masked: (meta.secrets ?? []).some((s) => s.length > 0),
        bytes: Buffer.byteLength(text),
        ...(meta.source ? { source: meta.source } : {}),
      };
      await fsp.mkdir(path.join(this.dir, 'entries'), { recursive: true });
      await fsp.writeFile(this.entryPath(item.id), text);
      this.items.unshift(item);
      await this.evict();
      await this.writeIndex();
      this.changed();
      return item;
    });
  }

  /** Drops the oldest entries beyond the count and byte limits (the newest always stays). */
  private async evict(): Promise<void> {
    let total = this.items.reduce((s, i) => s + i.bytes, 0);
    while (this.items.length > 1 && (this.items.length > this.limits.maxEntries || total > this.limits.maxBytes)) {
      const old = this.items.pop() as HistoryItem;
      total -= old.bytes;
      await fsp.rm(this.entryPath(old.id), { force: true });
    }
  }

  /** The stored exchange, or null when it is gone (deleted in another window, damaged). */
  async get(id: string): Promise<HistoryEntry | null> {
    await this.queue;
    const item = this.items.find((i) => i.id === id);
    if (!item) return null;
    try {
      const exchange = JSON.parse(await fsp.readFile(this.entryPath(id), 'utf8')) as Exchange;
      return { ...item, exchange };
    } catch {
      return null;
    }
  }

  delete(id: string): Promise<boolean> {
    return this.run(async () => {
      await this.ensureLoaded();
      const i = this.items.findIndex((x) => x.id === id);
      if (i < 0) return false;
      this.items.splice(i, 1);
      await fsp.rm(this.entryPath(id), { force: true });
      await this.writeIndex();
      this.changed();
      return true;
    });
  }

  clear(): Promise<void> {
    return this.run(async () => {
      this.items = [];
      this.loaded = true;
      await fsp.rm(path.join(this.dir, 'entries'), { recursive: true, force: true });
      await this.writeIndex();
      this.changed();
    });
  }
}

/** Day groups for the view, newest first: `Today`, `Yesterday`, then dates (local time). */
export function groupByDay(items: readonly HistoryItem[], now = new Date()): { label: string; items: HistoryItem[] }[] {
  const dayKey = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const today = dayKey(now);
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  const yesterday = dayKey(y);
  const groups = new Map<string, HistoryItem[]>();
  for (const it of items) {
    const k = dayKey(new Date(it.sentAt));
    const list = groups.get(k) ?? [];
    list.push(it);
    groups.set(k, list);
  }
  return [...groups.entries()].map(([k, list]) => ({ label: k === today ? 'Today' : k === yesterday ? 'Yesterday' : k, items: list }));
}

/** Filter text against method, URL, status and error code (case-insensitive, every word must match). */
export function matchesFilter(item: HistoryItem, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${item.method} ${item.url} ${item.status ?? ''} ${item.reason ?? ''} ${item.errorCode ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}
