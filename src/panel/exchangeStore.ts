// The exchanges the panel can still act on (Open in Editor, Save Body, Copy…): the newest few, within a memory
// budget, never one an open panel shows. Plain TypeScript, no vscode: unit-tested on its own.
import { bodyByteLength } from '../shared/body';
import type { Exchange } from '../shared/exchange';
import type { HopRef } from '../shared/protocol';

export interface ExchangeRecord {
  exchange: Exchange;
  /** Secret values of the request, masked wherever the exchange is shown or saved. */
  secrets: string[];
  /** Sent without certificate verification (Copy as cURL adds -k). */
  insecure: boolean;
  /** The .http document the exchange came from (URI string), for the Tests section's line links. */
  source?: string | null;
}

export interface StoreLimits {
  /** How many records stay, at most, besides pinned ones. */
  records: number;
  /** About how many bytes of base64 and text they may hold. */
  bytes: number;
}

/** How many full exchanges stay in memory for Open in Editor / Save Body / Copy, and about how many bytes. */
export const DEFAULT_STORE_LIMITS: StoreLimits = { records: 8, bytes: 256 * 1024 * 1024 };

/** Rough memory held by an exchange: its base64 and text strings dominate. */
export function exchangeWeight(e: Exchange): number {
  const one = (x: Exchange): number =>
    x.request.rawBase64.length +
    (x.response ? x.response.rawBase64.length + Math.ceil(bodyByteLength(x.response.body) / 3) * 4 + 2 * (x.response.body.text?.length ?? 0) : 0);
  return one(e) + e.redirects.reduce((n, h) => n + one(h), 0);
}

export class ExchangeStore {
  private readonly records = new Map<number, ExchangeRecord>();
  private nextId = 1;

  constructor(
    private readonly limits: StoreLimits = DEFAULT_STORE_LIMITS,
    private readonly weight: (e: Exchange) => number = exchangeWeight,
  ) {}

  /**
   * Keeps a record and returns its id. Evicts oldest first until within the limits, never the one just added
   * nor a pinned one (those an open panel shows): a few 64 MB bodies must not pile up.
   */
  add(record: ExchangeRecord, pinned: Iterable<number | null> = []): number {
    const id = this.nextId++;
    this.records.set(id, record);
    const keep = new Set<number | null>([...pinned, id]);
    let total = [...this.records.values()].reduce((n, r) => n + this.weight(r.exchange), 0);
    for (const [key, rec] of [...this.records]) {
      if (this.records.size <= this.limits.records && total <= this.limits.bytes) break;
      if (keep.has(key)) continue;
      this.records.delete(key);
      total -= this.weight(rec.exchange);
    }
    return id;
  }

  get(id: number): ExchangeRecord | undefined {
    return this.records.get(id);
  }

  /** The newest record's id, 0 when there is none. */
  latestId(): number {
    return Math.max(0, ...this.records.keys());
  }

  /** The exchange of record `id`, or of one of its redirect hops (HopRef: -1 the final exchange, else the hop). */
  hop(id: number, hop: HopRef): Exchange | undefined {
    const ex = this.records.get(id)?.exchange;
    if (!ex) return undefined;
    return hop < 0 ? ex : ex.redirects[hop];
  }

  get size(): number {
    return this.records.size;
  }
}
