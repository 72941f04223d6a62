// What a view of exchanges offers the send commands (the panel implements it; tests may too). Plain types, so the
// editor's commands and the panel depend on this contract instead of on each other.
import type { Exchange, Progress } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';

export interface ExchangeView {
  pending(request: ResolvedRequest, onCancel: () => void, onRerun: () => void): {
    progress(p: Progress): void;
    done(exchange: Exchange): void;
  };
  /** Lets the view send a request again by itself (a panel restored after a reload). */
  attach?(run: (request: ResolvedRequest) => Promise<Exchange>): void;
}
