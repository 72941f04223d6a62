// Plain-words explanations of the socket engines' failure codes (TCP, UDP, WebSocket).
interface Entry { title: string; causes: string[] }

const VIOLATION = ['The server (or a proxy in between) does not implement RFC 6455 correctly.', 'Wire Lens closed the connection with 1002 (protocol error), as the RFC requires; everything received is kept above.'];

export const SOCKET_ERRORS: Record<string, Entry> = {
  WL_WS_HANDSHAKE_STATUS: { title: 'The server did not switch to WebSocket (no 101 Switching Protocols).', causes: ['The path does not serve WebSocket, or needs authentication.', 'A proxy answered instead of the server.'] },
  WL_WS_HANDSHAKE_UPGRADE: { title: 'The 101 response lacks Upgrade: websocket.', causes: ['The server upgraded to another protocol, or is not a WebSocket server.'] },
  WL_WS_HANDSHAKE_CONNECTION: { title: 'The 101 response lacks Connection: Upgrade.', causes: ['A non-conforming server or proxy.'] },
  WL_WS_HANDSHAKE_ACCEPT: { title: 'Sec-WebSocket-Accept does not match the key sent.', causes: ['A caching or misbehaving proxy replayed an old handshake.', 'The server computes the accept value wrongly (SHA-1 of key + GUID, base64).'] },
  WL_WS_HANDSHAKE_PROTOCOL: { title: 'The server chose a subprotocol the request did not offer.', causes: ['The server ignores Sec-WebSocket-Protocol, or the request offered another name.'] },
  WL_WS_HANDSHAKE_EXTENSION: { title: 'The server accepted an extension (or parameter) that was not offered.', causes: ['A non-conforming server; RFC 6455 Section 9.1 says the client must fail the connection.'] },
  WL_WS_MASKED_FRAME: { title: 'The server sent a masked frame; servers must not mask (RFC 6455, Section 5.1).', causes: VIOLATION },
  WL_WS_RSV_BITS: { title: 'A frame has reserved bits set that no negotiated extension defines.', causes: VIOLATION },
  WL_WS_INVALID_UTF8: { title: 'A text message (or close reason) is not valid UTF-8.', causes: ['The server sent binary data in a text frame.', ...VIOLATION.slice(1)] },
  WL_WS_CONTROL_TOO_LARGE: { title: 'A control frame (close, ping, pong) carries more than 125 bytes.', causes: VIOLATION },
  WL_WS_CONTROL_FRAGMENTED: { title: 'A control frame is fragmented (FIN not set).', causes: VIOLATION },
  WL_WS_BAD_CONTINUATION: { title: 'A continuation frame arrived out of place.', causes: ['A continuation with no fragmented message to continue, or a new text/binary frame in the middle of one.', ...VIOLATION.slice(1)] },
  WL_WS_UNKNOWN_OPCODE: { title: 'A frame uses an opcode RFC 6455 reserves.', causes: VIOLATION },
  WL_WS_BAD_LENGTH: { title: 'A frame declares an impossible payload length.', causes: VIOLATION },
  WL_WS_BAD_CLOSE: { title: 'The close frame is malformed (one-byte payload, or a code that may not be sent).', causes: VIOLATION },
  WL_WS_FRAME_TOO_LARGE: { title: 'A frame is larger than the frame limit.', causes: ['A server that streams very large frames; the limit protects memory.'] },
  WL_WS_MESSAGE_TOO_LARGE: { title: 'A message is larger than the message limit.', causes: ['A very large (or endlessly fragmented, or decompression-bomb) message; the limit protects memory.'] },
  WL_WS_INFLATE: { title: 'A compressed message (permessage-deflate) does not inflate.', causes: ['The server compresses wrongly, or uses a context it said it would not keep.'] },
  WL_WS_CLOSE_TIMEOUT: { title: 'The server did not answer the close frame.', causes: ['The server ignores close frames; the connection was closed from this side.'] },
  WL_WAIT_TIMEOUT: { title: 'The server sent nothing while `=== wait-for-server` waited.', causes: ['The server waits for more input first.', 'The timeout (# @timeout) is shorter than the server takes.'] },
  WL_UDP_TOO_LARGE: { title: 'The datagram is larger than UDP can carry.', causes: ['Send less per message: one message is one datagram.'] },
  EMSGSIZE: { title: 'The datagram is too large to send.', causes: ['It exceeds the path MTU or the socket\'s limit; send less per message.'] },
};
