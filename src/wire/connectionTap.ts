// The events of one HTTP/1.x connection, listened to once for its whole life and handed to whoever holds it now:
// the exchange on it, or the pool while it is idle. Adding and removing four listeners on every request and on
// every return to the pool cost more than a reused request's parsing does.
import type * as net from 'node:net';
import type { ReadHook } from './connect';

export interface TapHandlers {
  /** `chunk` may be a view of the shared read buffer (`borrowed`): valid only during this call. */
  data(chunk: Buffer, borrowed: boolean): void;
  end(): void;
  close(): void;
  error(e: NodeJS.ErrnoException): void;
}

export class ConnectionTap {
  private handlers: TapHandlers | null = null;
  /** Reads that came while nobody held the connection (a server talking first), copied. */
  private pending: Buffer[] = [];

  /** Plain reads arrive through the socket's read hook (see connect.ts), any other through 'data'. */
  constructor(
    readonly socket: net.Socket,
    readonly hook?: ReadHook,
  ) {
    if (hook) hook.attach((chunk) => this.data(chunk, true));
    else socket.on('data', (chunk: Buffer) => this.data(chunk, false));
    socket.on('end', () => this.handlers?.end());
    socket.on('close', () => this.handlers?.close());
    // Always listened to: an error while nobody holds the connection is the end of it (the socket is destroyed).
    socket.on('error', (e: NodeJS.ErrnoException) => this.handlers?.error(e));
  }

  /** Hands the connection's events to `handlers`; reads held back are delivered first. */
  hold(handlers: TapHandlers): void {
    this.handlers = handlers;
    if (this.pending.length === 0) return;
    const held = this.pending;
    this.pending = [];
    for (const b of held) {
      if (this.handlers !== handlers) {
        this.pending.push(b);
        continue;
      }
      handlers.data(b, false);
    }
  }

  /** Nobody holds the connection: reads are kept until the next holder. */
  release(): void {
    this.handlers = null;
  }

  private data(chunk: Buffer, borrowed: boolean): void {
    if (this.handlers) this.handlers.data(chunk, borrowed);
    else this.pending.push(borrowed ? Buffer.from(chunk) : chunk);
  }
}
