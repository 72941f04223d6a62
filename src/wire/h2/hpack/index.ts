// HPACK (RFC 7541): header compression for HTTP/2, own code, no dependencies.

export type { HpackField, HpackInputField, HpackRepresentation } from './types';
export { HpackError } from './errors';
export type { HpackErrorReason } from './errors';
export { HpackDecoder, DEFAULT_HEADER_TABLE_SIZE, DEFAULT_MAX_HEADER_LIST_SIZE, MAX_SIZE_UPDATES_PER_BLOCK } from './decoder';
export type { HpackDecoderOptions } from './decoder';
export { HpackEncoder, NEVER_INDEXED_NAMES, UNINDEXED_NAMES } from './encoder';
export type { HpackEncoderOptions } from './encoder';
export { DynamicTable, ENTRY_OVERHEAD } from './dynamicTable';
export { STATIC_TABLE, STATIC_TABLE_LENGTH, staticIndexOf, staticNameIndexOf } from './staticTable';
export { huffmanDecode, huffmanEncode, huffmanLength } from './huffman';
export { HUFFMAN_CODE_TABLE, HUFFMAN_EOS } from './huffmanTable';
export { decodeInteger, encodeInteger, integerLength, MAX_HPACK_INTEGER } from './integer';
export type { IntegerResult } from './integer';
export { hpackBlockStats } from './stats';
export type { HpackBlockStats } from './stats';
