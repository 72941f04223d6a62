// The shapes the HPACK codec hands to the HTTP/2 engine and the record: one entry per representation in a
// header block, saying how it was coded.

export type HpackRepresentation = 'indexed' | 'literal-incremental' | 'literal-without-indexing' | 'literal-never-indexed' | 'size-update';

export interface HpackField {
  name: string;
  value: string;
  representation: HpackRepresentation;
  /** index used for the whole field (indexed) or for the name (literal with indexed name); null when the name was literal */
  index: number | null;
  table: 'static' | 'dynamic' | null;
  huffmanName: boolean;
  huffmanValue: boolean;
  /** bytes this representation took in the block, and the field's uncompressed size (name+value+32 as RFC 7541 counts) */
  encodedLength: number;
  size: number;
  /** for size-update entries: the new size */
  newTableSize?: number;
}

export interface HpackInputField {
  name: string;
  value: string;
  /** Never index this field, anywhere along the path (RFC 7541 §6.2.3). */
  sensitive?: boolean;
}
