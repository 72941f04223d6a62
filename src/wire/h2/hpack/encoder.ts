// RFC 7541 encoder for one direction of one HTTP/2 connection. Its choices, recorded per field:
// - indexed when the exact field is in the static or dynamic table;
// - never indexed for fields marked sensitive and for credentials and cookies (RFC 7541 §7.1.3: short cookies
//   are guessable, so every cookie), so no intermediary stores them in a table either;
// - without indexing for fields whose values rarely repeat and would only churn the table (dates, lengths,
//   a `:path` with a query, entries taking more than half the table);
// - with incremental indexing for everything else.
// Names are taken from the static table first (shorter index), then the dynamic one.

import { DynamicTable, ENTRY_OVERHEAD } from './dynamicTable';
import { huffmanEncode, huffmanLength } from './huffman';
import { encodeInteger, integerLength, MAX_HPACK_INTEGER } from './integer';
import { STATIC_TABLE_LENGTH, staticIndexOf, staticNameIndexOf } from './staticTable';
import { HpackField, HpackInputField, HpackRepresentation } from './types';

export interface HpackEncoderOptions {
  /** The peer's SETTINGS_HEADER_TABLE_SIZE at the start (default 4096, the HTTP/2 initial value). */
  maxTableSize?: number;
  /** 'auto' (default): Huffman-code a string when that is shorter. */
  huffman?: 'auto' | 'always' | 'never';
  /**
   * 'auto' (default): the choices above. 'always': incremental indexing for every field that is not sensitive,
   * as the examples of RFC 7541 Appendix C do.
   */
  indexing?: 'auto' | 'always';
  /** Upper bound on the table the encoder keeps, whatever the peer allows (memory is ours). Default 64 KiB. */
  tableSizeCap?: number;
  /** How strings become octets. Default 'utf8', as the HTTP/1.1 engine writes its head. */
  stringEncoding?: 'utf8' | 'latin1';
  /** Lower-case names always sent never-indexed. Default NEVER_INDEXED_NAMES; `sensitive` adds to it per field. */
  neverIndex?: Iterable<string>;
}

/** Never indexed unless the caller says otherwise: credentials and cookies. */
export const NEVER_INDEXED_NAMES: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Fields whose values are (nearly) unique per message: indexing them would only evict useful entries. */
export const UNINDEXED_NAMES: ReadonlySet<string> = new Set([
  'content-length',
  'content-range',
  'date',
  'expires',
  'last-modified',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'age',
  'etag',
  'if-none-match',
  'if-match',
  'range',
  'x-request-id',
  'x-correlation-id',
  'traceparent',
  'tracestate',
]);

interface Plan {
  field: HpackField;
  nameBytes: Uint8Array | null;
  valueBytes: Uint8Array;
  /** Octets of each string as it goes on the wire (Huffman-coded or not). */
  nameLength: number;
  valueLength: number;
  /** First-byte pattern and prefix bits of the representation. */
  flags: number;
  prefix: number;
}

export class HpackEncoder {
  private readonly table: DynamicTable;
  private readonly huffman: 'auto' | 'always' | 'never';
  private readonly indexing: 'auto' | 'always';
  private readonly cap: number;
  private readonly encoding: 'utf8' | 'latin1';
  private readonly neverIndex: ReadonlySet<string>;
  /** Size changes not yet signalled: the smallest since the last block and the latest. */
  private pendingMin: number | null = null;
  private pendingFinal: number | null = null;

  constructor(opts: HpackEncoderOptions = {}) {
    this.cap = checkSize(opts.tableSizeCap ?? 64 * 1024, 'tableSizeCap');
    const initial = checkSize(opts.maxTableSize ?? 4096, 'maxTableSize');
    this.huffman = opts.huffman ?? 'auto';
    this.indexing = opts.indexing ?? 'auto';
    this.encoding = opts.stringEncoding ?? 'utf8';
    this.neverIndex = opts.neverIndex ? new Set(opts.neverIndex) : NEVER_INDEXED_NAMES;
    // The peer's decoder starts at 4096 (RFC 9113 §6.5.2); any other start is announced in the first block.
    this.table = new DynamicTable(4096, true);
    if (Math.min(initial, this.cap) !== 4096) this.setMaxTableSize(initial);
  }

  /** Applies the peer's SETTINGS_HEADER_TABLE_SIZE; the next block opens with the size update(s). */
  setMaxTableSize(n: number): void {
    const size = Math.min(checkSize(n, 'maxTableSize'), this.cap);
    this.pendingMin = this.pendingMin === null ? size : Math.min(this.pendingMin, size);
    this.pendingFinal = size;
  }

  get tableSize(): number {
    return this.table.size;
  }

  get tableMaxSize(): number {
    return this.pendingFinal ?? this.table.maxSize;
  }

  get tableEntries(): Array<[string, string]> {
    return this.table.entries();
  }

  encode(fields: HpackInputField[]): { block: Buffer; fields: HpackField[] } {
    const plans: Plan[] = [];
    const out: HpackField[] = [];
    let total = 0;

    // RFC 7541 §4.2: signal the smallest size reached since the last block, then the final one.
    if (this.pendingFinal !== null) {
      const min = this.pendingMin ?? this.pendingFinal;
      const final = this.pendingFinal;
      this.pendingMin = null;
      this.pendingFinal = null;
      const sizes: number[] = [];
      if (min < final && min < this.table.maxSize) sizes.push(min);
      if (final !== this.table.maxSize || sizes.length > 0) sizes.push(final);
      for (const s of sizes) {
        this.table.setMaxSize(s);
        const len = integerLength(s, 5);
        const f: HpackField = {
          name: '',
          value: '',
          representation: 'size-update',
          index: null,
          table: null,
          huffmanName: false,
          huffmanValue: false,
          encodedLength: len,
          size: 0,
          newTableSize: s,
        };
        plans.push({ field: f, nameBytes: null, valueBytes: EMPTY, nameLength: 0, valueLength: 0, flags: 0x20, prefix: 5 });
        out.push(f);
        total += len;
      }
    }

    for (const input of fields) {
      const plan = this.plan(input);
      plans.push(plan);
      out.push(plan.field);
      total += plan.field.encodedLength;
    }

    const block = Buffer.allocUnsafe(total);
    let pos = 0;
    for (const p of plans) {
      const f = p.field;
      if (f.representation === 'size-update') {
        pos = encodeInteger(block, pos, f.newTableSize ?? 0, 5, 0x20);
      } else if (f.representation === 'indexed') {
        pos = encodeInteger(block, pos, f.index ?? 0, 7, 0x80);
      } else {
        pos = encodeInteger(block, pos, f.index ?? 0, p.prefix, p.flags);
        if (p.nameBytes) pos = writeString(block, pos, p.nameBytes, f.huffmanName, p.nameLength);
        pos = writeString(block, pos, p.valueBytes, f.huffmanValue, p.valueLength);
      }
    }
    return { block, fields: out };
  }

  /** Decides one field's representation (updating the table as the decoder will) and measures it. */
  private plan(input: HpackInputField): Plan {
    const { name, value } = input;
    const nameBytes = Buffer.from(name, this.encoding);
    const valueBytes = Buffer.from(value, this.encoding);
    const size = nameBytes.length + valueBytes.length + ENTRY_OVERHEAD;
    const lower = name.toLowerCase();
    const sensitive = input.sensitive === true || this.neverIndex.has(lower);

    if (!sensitive) {
      const exact = staticIndexOf(name, value) || this.table.indexOf(name, value);
      if (exact > 0) {
        return {
          field: {
            name,
            value,
            representation: 'indexed',
            index: exact,
            table: exact <= STATIC_TABLE_LENGTH ? 'static' : 'dynamic',
            huffmanName: false,
            huffmanValue: false,
            encodedLength: integerLength(exact, 7),
            size,
          },
          nameBytes: null,
          valueBytes,
          nameLength: 0,
          valueLength: 0,
          flags: 0x80,
          prefix: 7,
        };
      }
    }

    let representation: HpackRepresentation;
    if (sensitive) representation = 'literal-never-indexed';
    else if (this.indexing === 'always' || !this.churns(lower, value, size)) representation = 'literal-incremental';
    else representation = 'literal-without-indexing';

    const nameIndex = staticNameIndexOf(name) || this.table.nameIndexOf(name);
    const prefix = representation === 'literal-incremental' ? 6 : 4;
    const flags = representation === 'literal-incremental' ? 0x40 : representation === 'literal-never-indexed' ? 0x10 : 0;
    const valueLength = this.wireLength(valueBytes);
    const huffmanValue = valueLength !== valueBytes.length || this.huffman === 'always';
    let encodedLength = integerLength(nameIndex, prefix) + integerLength(valueLength, 7) + valueLength;
    let huffmanName = false;
    let nameLength = 0;
    if (nameIndex === 0) {
      nameLength = this.wireLength(nameBytes);
      huffmanName = nameLength !== nameBytes.length || this.huffman === 'always';
      encodedLength += integerLength(nameLength, 7) + nameLength;
    }
    // Insert only after the name index was taken: the decoder resolves it before inserting too (RFC 7541 §4.4).
    if (representation === 'literal-incremental') this.table.add(name, value, size);
    return {
      field: {
        name,
        value,
        representation,
        index: nameIndex === 0 ? null : nameIndex,
        table: nameIndex === 0 ? null : nameIndex <= STATIC_TABLE_LENGTH ? 'static' : 'dynamic',
        huffmanName,
        huffmanValue,
        encodedLength,
        size,
      },
      nameBytes: nameIndex === 0 ? nameBytes : null,
      valueBytes,
      nameLength,
      valueLength,
      flags,
      prefix,
    };
  }

  private churns(lowerName: string, value: string, size: number): boolean {
    if (UNINDEXED_NAMES.has(lowerName)) return true;
    if (lowerName === ':path' && value.includes('?')) return true;
    // An entry over half the table would evict most of what is there for one probable use.
    return size * 2 > this.table.maxSize;
  }

  /** Octets the string takes on the wire: Huffman-coded when chosen ('auto': only when strictly shorter). */
  private wireLength(bytes: Uint8Array): number {
    if (this.huffman === 'never') return bytes.length;
    const h = huffmanLength(bytes);
    return this.huffman === 'always' || h < bytes.length ? h : bytes.length;
  }
}

const EMPTY = new Uint8Array(0);

function writeString(out: Uint8Array, pos: number, bytes: Uint8Array, huffman: boolean, len: number): number {
  if (huffman) {
    pos = encodeInteger(out, pos, len, 7, 0x80);
    return huffmanEncode(bytes, out, pos);
  }
  pos = encodeInteger(out, pos, bytes.length, 7, 0);
  out.set(bytes, pos);
  return pos + bytes.length;
}

function checkSize(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_HPACK_INTEGER) throw new RangeError(`${what} must be an integer in 0..2^32-1`);
  return n;
}
