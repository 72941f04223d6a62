// Typed failures of the engine. Codes are stable: Node's socket codes (ECONNREFUSED, ECONNRESET, ETIMEDOUT…),
// TLS verification codes as Node names them (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED,
// ERR_TLS_CERT_ALTNAME_INVALID…), HPE_* from the parser, WL_* for the engine's own, and `cancelled`.
import type { ErrorPhase, ExchangeError } from '../shared/exchange';

export const WL = {
  INVALID_REQUEST: 'WL_INVALID_REQUEST',
  BODY_FILE: 'WL_BODY_FILE',
  BODY_TOO_LARGE: 'WL_BODY_TOO_LARGE',
  /** The body sink (--body-out) could not be written. */
  BODY_OUT: 'WL_BODY_OUT',
  DECODE_FAILED: 'WL_DECODE_FAILED',
  DECOMPRESSION_BOMB: 'WL_DECOMPRESSION_BOMB',
  TOO_MANY_REDIRECTS: 'WL_TOO_MANY_REDIRECTS',
  BAD_REDIRECT: 'WL_BAD_REDIRECT',
  EMPTY_REPLY: 'WL_EMPTY_REPLY',
  INTERNAL: 'WL_INTERNAL',
  /** HTTP/2 was required (`HTTP/2` on an https request) and ALPN picked something else. */
  H2_NOT_NEGOTIATED: 'WL_H2_NOT_NEGOTIATED',
  /** A header HTTP/2 forbids (Connection, Transfer-Encoding, …): refused before sending. */
  H2_FORBIDDEN_HEADER: 'WL_H2_FORBIDDEN_HEADER',
  /** An h2c (prior knowledge) request answered in HTTP/1.x. */
  H2_HTTP1_RESPONSE: 'WL_H2_HTTP1_RESPONSE',
  /** The connection closed before the HTTP/2 stream ended. */
  H2_CONNECTION_CLOSED: 'WL_H2_CONNECTION_CLOSED',
} as const;

export const CANCELLED = 'cancelled';

export class WireError extends Error {
  constructor(readonly code: string, message: string, readonly phase: ErrorPhase) {
    super(message);
  }

  toJSON(): ExchangeError {
    return { code: this.code, message: this.message, phase: this.phase };
  }
}

/** Node errors carry `code`; anything else becomes WL_INTERNAL so the record still has a stable code. */
export function fromUnknown(e: unknown, phase: ErrorPhase): ExchangeError {
  if (e instanceof WireError) return e.toJSON();
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' && code !== '' ? code : WL.INTERNAL, message: e.message, phase };
  }
  return { code: WL.INTERNAL, message: String(e), phase };
}
