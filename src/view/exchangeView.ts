// What a view of exchanges offers the send commands (the panel implements it; tests may too). Plain types, so the
// editor's commands and the panel depend on this contract instead of on each other.
import type { Exchange, Progress, SocketMessage } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import type { RunExtras } from './testReport';

/** Where a request's tests point (its .http file), and what its scripts logged and set. */
export interface RunDetails extends RunExtras {
  /** The .http document the request came from (a URI string), for links to test lines. */
  source: string | null;
}

export interface ExchangeView {
  pending(
    request: ResolvedRequest,
    onCancel: () => void,
    onRerun: () => void,
  ): {
    progress(p: Progress): void;
    done(exchange: Exchange, run?: RunDetails): void;
    /** A socket block's connection is open and stays live until it closes (the record so far; do not keep it). */
    open?(socket: LiveSocket, snapshot: Exchange): void;
    /** A message of the live connection, as it happens. */
    message?(message: SocketMessage, index: number): void;
  };
  /** Lets the view send a request again by itself (a panel restored after a reload). */
  attach?(run: (request: ResolvedRequest) => Promise<Exchange>): void;
}

/** An open WebSocket, TCP or UDP connection the view may write to and close. */
export interface LiveSocket {
  readonly kind: 'tcp' | 'udp' | 'websocket';
  /** False when the connection is no longer open. */
  send(data: Uint8Array, text: boolean): boolean;
  close(code?: number, reason?: string): void;
}
