// The one error HPACK decoding raises. HTTP/2 treats every decoding failure as a connection error of type
// COMPRESSION_ERROR (RFC 9113 §4.3), except a header list over our limit, after which the decoder has kept its
// dynamic table in step and the connection can go on (`recoverable`).

export type HpackErrorReason =
  | 'truncated'
  | 'integer-overflow'
  | 'index-zero'
  | 'index-out-of-range'
  | 'size-update-over-limit'
  | 'size-update-misplaced'
  | 'size-update-missing'
  | 'size-update-flood'
  | 'huffman-eos'
  | 'huffman-padding'
  | 'string-too-long'
  | 'header-list-too-large'
  | 'decoder-failed';

export class HpackError extends Error {
  readonly code = 'H2_COMPRESSION_ERROR' as const;
  /** Offset in the header block of the representation (or byte) that failed. */
  readonly offset: number;
  readonly reason: HpackErrorReason;
  /** True when the decoder's dynamic table is still in step with the peer's (header list too large only). */
  readonly recoverable: boolean;

  constructor(reason: HpackErrorReason, message: string, offset: number, recoverable = false) {
    super(message);
    this.name = 'HpackError';
    this.reason = reason;
    this.offset = offset;
    this.recoverable = recoverable;
  }
}
