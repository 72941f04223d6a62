// RFC 7541 decoder for one direction of one HTTP/2 connection: header blocks are decoded in the order they
// arrived, carrying the dynamic table from block to block.
//
// Bounds: every representation consumes at least one input byte and does O(1) work besides the octets of its
// literal strings, so decoding is linear in the block; the decoded list stops growing at `maxHeaderListSize`
// (an "HPACK bomb" of references to one large entry costs a counter, not memory), and no string is decoded
// beyond `maxStringLength`.

import { DynamicTable, ENTRY_OVERHEAD } from './dynamicTable';
import { HpackError } from './errors';
import { huffmanDecode } from './huffman';
import { decodeInteger, IntegerResult, MAX_HPACK_INTEGER } from './integer';
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from './staticTable';
import { HpackField, HpackRepresentation } from './types';

export interface HpackDecoderOptions {
  /** Our SETTINGS_HEADER_TABLE_SIZE: the largest dynamic table the peer's encoder may use. Default 4096. */
  maxTableSize?: number;
  /** Largest header list (sum of name + value + 32 per field) accepted in one block. Default 64 KiB. */
  maxHeaderListSize?: number;
  /** Largest name or value, in octets after Huffman decoding. Default: `maxHeaderListSize`. */
  maxStringLength?: number;
}

export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/**
 * Size updates accepted at the start of one block. RFC 7541 §4.2 needs two at most (the smallest size reached,
 * then the final one); a block opening with thousands would be a cheap way to make us list thousands of entries.
 */
export const MAX_SIZE_UPDATES_PER_BLOCK = 16;
export const DEFAULT_MAX_HEADER_LIST_SIZE = 64 * 1024;

export class HpackDecoder {
  private readonly table: DynamicTable;
  /** The limit the peer's size updates may not exceed. */
  private limit: number;
  /**
   * Set when our limit dropped below the table's maximum: the next block must open with a size update to at most
   * this (the smallest limit set since the last block, RFC 7541 §4.2); null when none is owed.
   */
  private updateRequired: number | null = null;
  private readonly maxHeaderListSize: number;
  private readonly maxStringLength: number;
  private failed: HpackError | null = null;
  private readonly int: IntegerResult = { value: 0, next: 0 };

  constructor(opts: HpackDecoderOptions = {}) {
    this.limit = checkSize(opts.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE, 'maxTableSize');
    this.maxHeaderListSize = checkSize(opts.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE, 'maxHeaderListSize');
    this.maxStringLength = checkSize(opts.maxStringLength ?? this.maxHeaderListSize, 'maxStringLength');
    this.table = new DynamicTable(this.limit);
  }

  /**
   * Applies a new SETTINGS_HEADER_TABLE_SIZE of ours once the peer has acknowledged it. Lowering it below the
   * table's current maximum obliges the peer to open its next block with a size update (RFC 7541 §4.2); until
   * then the table keeps its size.
   */
  setMaxTableSize(n: number): void {
    this.limit = checkSize(n, 'maxTableSize');
    if (this.table.maxSize > this.limit) {
      this.updateRequired = this.updateRequired === null ? this.limit : Math.min(this.updateRequired, this.limit);
    }
  }

  /** Current dynamic table size in octets (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.table.size;
  }

  /** Current maximum size of the dynamic table, as last set by the peer (or the initial setting). */
  get tableMaxSize(): number {
    return this.table.maxSize;
  }

  /** Dynamic table, newest entry first (index 62 first). */
  get tableEntries(): Array<[string, string]> {
    return this.table.entries();
  }

  /**
   * Decodes one complete header block (HEADERS + CONTINUATION payloads joined). Throws HpackError; after any
   * error that is not `recoverable` the decoder refuses further blocks, as the connection is then unusable.
   */
  decode(block: Uint8Array): HpackField[] {
    if (this.failed) {
      throw new HpackError('decoder-failed', `decoder unusable after an earlier error: ${this.failed.message}`, 0);
    }
    try {
      return this.decodeBlock(block);
    } catch (err) {
      if (err instanceof HpackError && !err.recoverable) this.failed = err;
      throw err;
    }
  }

  private decodeBlock(buf: Uint8Array): HpackField[] {
    const end = buf.length;
    const fields: HpackField[] = [];
    let pos = 0;
    let listSize = 0;
    let overflowAt = -1;
    let fieldSeen = false;
    let sizeUpdates = 0;

    while (pos < end) {
      const start = pos;
      const b = buf[pos];

      if ((b & 0xe0) === 0x20) {
        // Dynamic table size update (RFC 7541 §6.3): only before the first field of a block.
        if (fieldSeen) {
          throw new HpackError('size-update-misplaced', 'dynamic table size update after a header field', start);
        }
        if (++sizeUpdates > MAX_SIZE_UPDATES_PER_BLOCK) {
          throw new HpackError('size-update-flood', `more than ${MAX_SIZE_UPDATES_PER_BLOCK} dynamic table size updates in one header block`, start);
        }
        const n = decodeInteger(buf, pos, end, 5, MAX_HPACK_INTEGER, this.int);
        pos = n.next;
        if (n.value > this.limit) {
          throw new HpackError(
            'size-update-over-limit',
            `dynamic table size update to ${n.value} exceeds SETTINGS_HEADER_TABLE_SIZE ${this.limit}`,
            start,
          );
        }
        this.table.setMaxSize(n.value);
        if (this.updateRequired !== null && n.value <= this.updateRequired) this.updateRequired = null;
        fields.push({
          name: '',
          value: '',
          representation: 'size-update',
          index: null,
          table: null,
          huffmanName: false,
          huffmanValue: false,
          encodedLength: pos - start,
          size: 0,
          newTableSize: n.value,
        });
        continue;
      }

      if (this.updateRequired !== null) {
        throw new HpackError(
          'size-update-missing',
          `header block must open with a dynamic table size update to at most ${this.updateRequired}`,
          start,
        );
      }
      fieldSeen = true;

      let representation: HpackRepresentation;
      let name: string;
      let value: string;
      let index: number | null = null;
      let table: 'static' | 'dynamic' | null = null;
      let huffmanName = false;
      let huffmanValue = false;

      if (b & 0x80) {
        // Indexed header field (RFC 7541 §6.1).
        const n = decodeInteger(buf, pos, end, 7, MAX_HPACK_INTEGER, this.int);
        pos = n.next;
        index = n.value;
        const entry = this.lookup(index, start);
        name = entry[0];
        value = entry[1];
        table = index <= STATIC_TABLE_LENGTH ? 'static' : 'dynamic';
        representation = 'indexed';
      } else {
        let prefix: number;
        if (b & 0x40) {
          representation = 'literal-incremental';
          prefix = 6;
        } else if (b & 0x10) {
          representation = 'literal-never-indexed';
          prefix = 4;
        } else {
          representation = 'literal-without-indexing';
          prefix = 4;
        }
        const n = decodeInteger(buf, pos, end, prefix, MAX_HPACK_INTEGER, this.int);
        pos = n.next;
        if (n.value === 0) {
          if (pos >= end) throw new HpackError('truncated', 'header block ends before a field name', start);
          huffmanName = (buf[pos] & 0x80) !== 0;
          name = this.readString(buf, end, pos);
          pos = this.int.next;
        } else {
          index = n.value;
          name = this.lookup(index, start)[0];
          table = index <= STATIC_TABLE_LENGTH ? 'static' : 'dynamic';
        }
        if (pos >= end) throw new HpackError('truncated', 'header block ends before a field value', start);
        huffmanValue = (buf[pos] & 0x80) !== 0;
        value = this.readString(buf, end, pos);
        pos = this.int.next;
      }

      // Decoded strings are latin1 (one char per octet), so their length is their octet count.
      const size = name.length + value.length + ENTRY_OVERHEAD;
      if (representation === 'literal-incremental') this.table.add(name, value, size);

      if (overflowAt < 0) {
        listSize += size;
        if (listSize > this.maxHeaderListSize) {
          // Keep decoding to keep the table in step with the peer, but collect nothing more.
          overflowAt = start;
          continue;
        }
        fields.push({
          name,
          value,
          representation,
          index,
          table,
          huffmanName,
          huffmanValue,
          encodedLength: pos - start,
          size,
        });
      }
    }

    if (this.updateRequired !== null) {
      // An empty block still had to carry the size update.
      throw new HpackError('size-update-missing', `header block must open with a dynamic table size update to at most ${this.updateRequired}`, 0);
    }
    if (overflowAt >= 0) {
      throw new HpackError(
        'header-list-too-large',
        `header list exceeds ${this.maxHeaderListSize} octets (name + value + 32 per field)`,
        overflowAt,
        true,
      );
    }
    return fields;
  }

  private lookup(index: number, offset: number): readonly [string, string] {
    if (index === 0) throw new HpackError('index-zero', 'index 0 is not a valid table index', offset);
    if (index <= STATIC_TABLE_LENGTH) return STATIC_TABLE[index - 1];
    const entry = this.table.get(index);
    if (!entry) {
      throw new HpackError(
        'index-out-of-range',
        `index ${index} is beyond the tables (static 1..${STATIC_TABLE_LENGTH}, dynamic ${
          this.table.length === 0 ? 'empty' : `${STATIC_TABLE_LENGTH + 1}..${STATIC_TABLE_LENGTH + this.table.length}`
        })`,
        offset,
      );
    }
    return [entry.name, entry.value];
  }

  /** Reads a string literal at `pos`; leaves the position after it in `this.int.next`. */
  private readString(buf: Uint8Array, end: number, pos: number): string {
    const huffman = (buf[pos] & 0x80) !== 0;
    const n = decodeInteger(buf, pos, end, 7, MAX_HPACK_INTEGER, this.int);
    const len = n.value;
    const from = n.next;
    if (len > end - from) {
      throw new HpackError('truncated', `string of ${len} octets runs past the end of the header block`, pos);
    }
    let s: string;
    if (huffman) {
      s = huffmanDecode(buf, from, from + len, this.maxStringLength, pos);
    } else {
      if (len > this.maxStringLength) {
        throw new HpackError('string-too-long', `string of ${len} octets exceeds ${this.maxStringLength}`, pos);
      }
      s = Buffer.from(buf.buffer, buf.byteOffset + from, len).toString('latin1');
    }
    this.int.next = from + len;
    return s;
  }
}

function checkSize(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_HPACK_INTEGER) throw new RangeError(`${what} must be an integer in 0..2^32-1`);
  return n;
}
