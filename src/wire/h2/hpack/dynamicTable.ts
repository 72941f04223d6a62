// RFC 7541 §2.3.2 and §4: the dynamic table, newest entry first, evicted oldest first so that the sum of entry
// sizes (name octets + value octets + 32) never exceeds the current maximum.

import { STATIC_TABLE_LENGTH } from './staticTable';

/** RFC 7541 §4.1: the per-entry overhead counted in an entry's size. */
export const ENTRY_OVERHEAD = 32;

interface Entry {
  name: string;
  value: string;
  size: number;
  /** Insertion number, for the encoder's look-ups. */
  id: number;
}

export class DynamicTable {
  private ring: Array<Entry | undefined> = new Array<Entry | undefined>(16);
  /** Ring position of the oldest entry. */
  private head = 0;
  private count = 0;
  private bytes = 0;
  private max: number;
  private inserted = 0;
  /** Encoder only: newest insertion number per field (name, then value) and per name. */
  private readonly byField: Map<string, Map<string, number>> | null;
  private readonly byName: Map<string, number> | null;

  constructor(maxSize: number, indexed = false) {
    this.max = maxSize;
    this.byField = indexed ? new Map() : null;
    this.byName = indexed ? new Map() : null;
  }

  get size(): number {
    return this.bytes;
  }

  get maxSize(): number {
    return this.max;
  }

  get length(): number {
    return this.count;
  }

  /** Changes the maximum size, evicting as needed (RFC 7541 §4.3). */
  setMaxSize(max: number): void {
    this.max = max;
    this.evictTo(max);
  }

  /**
   * Adds an entry (RFC 7541 §4.4): evicts until it fits; an entry larger than the maximum empties the table and is
   * not added. `size` is the entry's octet size (name + value + 32).
   */
  add(name: string, value: string, size: number): void {
    if (size > this.max) {
      this.evictTo(0);
      return;
    }
    this.evictTo(this.max - size);
    if (this.count === this.ring.length) this.grow();
    const id = this.inserted++;
    this.ring[(this.head + this.count) % this.ring.length] = { name, value, size, id };
    this.count++;
    this.bytes += size;
    if (this.byField && this.byName) {
      let values = this.byField.get(name);
      if (!values) this.byField.set(name, (values = new Map()));
      values.set(value, id);
      this.byName.set(name, id);
    }
  }

  /** Entry at HPACK index `index` (62 = newest), or undefined when out of range. */
  get(index: number): Entry | undefined {
    const i = index - STATIC_TABLE_LENGTH - 1;
    if (i < 0 || i >= this.count) return undefined;
    return this.ring[(this.head + this.count - 1 - i) % this.ring.length];
  }

  /** Encoder: HPACK index of the newest entry equal to the field, or 0. */
  indexOf(name: string, value: string): number {
    const id = this.byField?.get(name)?.get(value);
    return id === undefined ? 0 : this.indexOfId(id);
  }

  /** Encoder: HPACK index of the newest entry with this name, or 0. */
  nameIndexOf(name: string): number {
    const id = this.byName?.get(name);
    return id === undefined ? 0 : this.indexOfId(id);
  }

  /** Entries newest first, as [name, value]. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; i < this.count; i++) {
      const e = this.ring[(this.head + this.count - 1 - i) % this.ring.length] as Entry;
      out.push([e.name, e.value]);
    }
    return out;
  }

  private indexOfId(id: number): number {
    return STATIC_TABLE_LENGTH + 1 + (this.inserted - 1 - id);
  }

  private evictTo(limit: number): void {
    while (this.bytes > limit && this.count > 0) {
      const e = this.ring[this.head] as Entry;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.ring.length;
      this.count--;
      this.bytes -= e.size;
      if (this.byField && this.byName) {
        // Only the newest insertion of a key is mapped; if that is the one leaving, no copy is left.
        const values = this.byField.get(e.name);
        if (values && values.get(e.value) === e.id) {
          values.delete(e.value);
          if (values.size === 0) this.byField.delete(e.name);
        }
        if (this.byName.get(e.name) === e.id) this.byName.delete(e.name);
      }
    }
    if (this.count === 0) this.head = 0;
  }

  private grow(): void {
    const bigger = new Array<Entry | undefined>(this.ring.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = bigger;
    this.head = 0;
  }
}
