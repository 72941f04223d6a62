// What scripts and `??` asserts see of a socket block (TCP, TLS, UDP, WebSocket): the messages in order, and the
// received data as one text (`?? body contains …`). A TCP stream is one byte stream, so its received chunks are
// joined as they came; UDP datagrams and WebSocket data messages are separate messages, joined by newlines.
import type { Exchange, SocketMessage } from '../shared/exchange';

/** One message as a script sees it (`response.messages[i]`, `onEachMessage`). */
export interface ScriptMessage {
  direction: 'sent' | 'received';
  /** Milliseconds from the start of the exchange. */
  at: number;
  /** `data` (TCP), `datagram` (UDP), or the WebSocket opcode name (`text`, `binary`, `close`, `ping`, `pong`). */
  type: string;
  /** The bytes as UTF-8 text, or null when they are not text (then `base64` holds them). */
  text: string | null;
  base64: string | null;
  size: number;
  closeCode?: number | null;
}

export interface SocketResponse {
  kind: 'websocket' | 'tcp' | 'udp';
  messages: ScriptMessage[];
  /** The received data as one text: what `?? body` and a handler's body read. */
  received: string;
}

const CONTROL = new Set(['close', 'ping', 'pong']);

function isData(m: SocketMessage): boolean {
  return m.opcodeName === undefined || !CONTROL.has(m.opcodeName);
}

function textOf(m: SocketMessage): string {
  return m.text ?? Buffer.from(m.base64, 'base64').toString('utf8');
}

/** Null for an HTTP exchange. */
export function socketResponse(ex: Exchange): SocketResponse | null {
  const kind = ex.kind;
  if (kind !== 'websocket' && kind !== 'tcp' && kind !== 'udp') return null;
  const all = ex.messages ?? [];
  const messages = all.map((m): ScriptMessage => ({
    direction: m.direction,
    at: m.at,
    type: m.opcodeName ?? (kind === 'udp' ? 'datagram' : 'data'),
    text: m.text,
    base64: m.text === null ? m.base64 : null,
    size: m.size,
    ...(m.opcodeName === 'close' ? { closeCode: m.closeCode ?? null } : {}),
  }));
  const received = all.filter((m) => m.direction === 'received' && isData(m)).map(textOf);
  return { kind, messages, received: received.join(kind === 'tcp' ? '' : '\n') };
}
