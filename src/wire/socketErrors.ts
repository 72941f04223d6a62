// Typed failure codes of the socket engines (TCP, TLS, UDP, WebSocket). Socket-level failures keep Node's codes
// (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EMSGSIZE…); these are the engine's own, each with its entry in the
// error-code table (src/shared/errorCodes.ts, group `sockets`).
import type { KnownErrorCode } from '../shared/errorCodes';
export const WS = {
  /** The handshake's answer is not 101 Switching Protocols. */
  HANDSHAKE_STATUS: 'WL_WS_HANDSHAKE_STATUS',
  /** `Upgrade: websocket` missing or wrong in the 101. */
  HANDSHAKE_UPGRADE: 'WL_WS_HANDSHAKE_UPGRADE',
  /** `Connection: Upgrade` missing in the 101. */
  HANDSHAKE_CONNECTION: 'WL_WS_HANDSHAKE_CONNECTION',
  /** `Sec-WebSocket-Accept` missing or not derived from the key sent. */
  HANDSHAKE_ACCEPT: 'WL_WS_HANDSHAKE_ACCEPT',
  /** A subprotocol the client did not offer. */
  HANDSHAKE_PROTOCOL: 'WL_WS_HANDSHAKE_PROTOCOL',
  /** An extension (or extension parameter) the client did not offer. */
  HANDSHAKE_EXTENSION: 'WL_WS_HANDSHAKE_EXTENSION',
  /** A frame from the server with the MASK bit set. */
  MASKED_FRAME: 'WL_WS_MASKED_FRAME',
  /** RSV1/2/3 set without a negotiated extension that defines them. */
  RSV_BITS: 'WL_WS_RSV_BITS',
  /** A text message or close reason that is not UTF-8. */
  INVALID_UTF8: 'WL_WS_INVALID_UTF8',
  /** A control frame with more than 125 bytes of payload. */
  CONTROL_TOO_LARGE: 'WL_WS_CONTROL_TOO_LARGE',
  /** A control frame without FIN. */
  CONTROL_FRAGMENTED: 'WL_WS_CONTROL_FRAGMENTED',
  /** A continuation frame with no message to continue, or a new data frame inside a fragmented message. */
  BAD_CONTINUATION: 'WL_WS_BAD_CONTINUATION',
  /** Opcode 3–7 or B–F. */
  UNKNOWN_OPCODE: 'WL_WS_UNKNOWN_OPCODE',
  /** A 64-bit length with the top bit set, or a length not in its shortest form is tolerated; the first is not. */
  BAD_LENGTH: 'WL_WS_BAD_LENGTH',
  /** A close frame with a one-byte payload, or a code that may not be sent. */
  BAD_CLOSE: 'WL_WS_BAD_CLOSE',
  FRAME_TOO_LARGE: 'WL_WS_FRAME_TOO_LARGE',
  MESSAGE_TOO_LARGE: 'WL_WS_MESSAGE_TOO_LARGE',
  /** permessage-deflate data that does not inflate. */
  INFLATE: 'WL_WS_INFLATE',
} as const satisfies Record<string, KnownErrorCode>;

export const SOCK = {
  /** `=== wait-for-server` waited longer than the timeout. */
  WAIT_TIMEOUT: 'WL_WAIT_TIMEOUT',
  /** `@until bytes N` or `@until "TEXT"` was not met before the peer closed or the timeout. */
  UNTIL_NOT_MET: 'WL_UNTIL_NOT_MET',
} as const satisfies Record<string, KnownErrorCode>;
