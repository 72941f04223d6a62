// Figures about one header block for the Frames view: what HPACK saved and how (RFC 7541 counts sizes with
// 32 octets of overhead per field; `plainOctets` is the plainer figure of names and values alone).

import { ENTRY_OVERHEAD } from './dynamicTable';
import { HpackField } from './types';

export interface HpackBlockStats {
  /** Header fields (size updates not counted). */
  fields: number;
  /** Octets of the block as sent. */
  encodedOctets: number;
  /** Octets of the names and values themselves. */
  plainOctets: number;
  /** The header list size as SETTINGS_MAX_HEADER_LIST_SIZE counts it (name + value + 32 per field). */
  listSize: number;
  indexedStatic: number;
  indexedDynamic: number;
  /** Literals whose name came from a table. */
  literalNameIndexed: number;
  literalIncremental: number;
  literalWithoutIndexing: number;
  literalNeverIndexed: number;
  sizeUpdates: number;
  /** Strings (names and values) sent Huffman-coded. */
  huffmanStrings: number;
}

export function hpackBlockStats(fields: readonly HpackField[]): HpackBlockStats {
  const s: HpackBlockStats = {
    fields: 0,
    encodedOctets: 0,
    plainOctets: 0,
    listSize: 0,
    indexedStatic: 0,
    indexedDynamic: 0,
    literalNameIndexed: 0,
    literalIncremental: 0,
    literalWithoutIndexing: 0,
    literalNeverIndexed: 0,
    sizeUpdates: 0,
    huffmanStrings: 0,
  };
  for (const f of fields) {
    s.encodedOctets += f.encodedLength;
    if (f.representation === 'size-update') {
      s.sizeUpdates++;
      continue;
    }
    s.fields++;
    s.listSize += f.size;
    s.plainOctets += f.size - ENTRY_OVERHEAD;
    if (f.huffmanName) s.huffmanStrings++;
    if (f.huffmanValue) s.huffmanStrings++;
    switch (f.representation) {
      case 'indexed':
        if (f.table === 'static') s.indexedStatic++;
        else s.indexedDynamic++;
        break;
      case 'literal-incremental':
        s.literalIncremental++;
        break;
      case 'literal-without-indexing':
        s.literalWithoutIndexing++;
        break;
      case 'literal-never-indexed':
        s.literalNeverIndexed++;
        break;
    }
    if (f.representation !== 'indexed' && f.index !== null) s.literalNameIndexed++;
  }
  return s;
}
