// The HTTP/1.1 request writer: the head, then each body part (bytes, or a file streamed in 64 KiB reads), with
// back-pressure from the socket, and the bytes kept for the record (up to RAW_REQUEST_CAP; beyond, counted).
import * as fs from 'node:fs';
import type * as net from 'node:net';
import type { ExchangeRequest } from '../shared/exchange';
import { RAW_REQUEST_CAP } from './limits';
import type { PreparedRequest } from './requestBytes';

export interface WriterHooks {
  /** True once the hop ended: nothing more is written. */
  stopped(): boolean;
  /** A body part was handed over (the send timer restarts). */
  progressed(): void;
  /**
   * The last write was queued: the whole request is on its way, in order before anything written after it. The
   * response can complete before the write callback runs (often over TLS), and the connection may be kept then.
   */
  queued(): void;
  /** The last byte was handed to the kernel. */
  sent(): void;
}

export class RequestWriter {
  private readonly raw: Buffer[];
  /** Bytes written (head as sent included), and body bytes alone. */
  private rawLen: number;
  private bodySent = 0;
  private corked = false;

  /** `recordHead`: the head as the record shows it (it may differ from the bytes sent, e.g. a masked proxy line). */
  constructor(
    private readonly sock: net.Socket,
    private readonly prepared: PreparedRequest,
    recordHead: Buffer,
    private readonly hooks: WriterHooks,
  ) {
    this.raw = [recordHead];
    this.rawLen = prepared.head.length;
  }

  /** Writes everything; rejects only when a body file cannot be read (socket failures are 'error' events). */
  async send(): Promise<void> {
    const { sock, prepared, hooks } = this;
    // A failed write calls back with its error (the 'error' event follows): that is not the end of sending.
    const sent = (err?: Error | null): void => {
      if (!err && !hooks.stopped()) hooks.sent();
    };
    const parts = prepared.body;
    // A request without a body is one write; its callback marks the end of sending.
    if (parts.length === 0) {
      sock.write(prepared.head, sent);
      hooks.queued();
      return;
    }
    // The head goes out with the first body bytes (one writev). Every write started from here after the server
    // closed fails at once (EPIPE) and takes the socket down before an early answer (a 413) can be read, so the
    // last part carries the end-of-sending callback instead of an extra empty write.
    sock.cork();
    this.corked = true;
    sock.write(prepared.head);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const last = i === parts.length - 1;
      if (hooks.stopped()) return this.uncork();
      if (part.kind === 'bytes') {
        await this.write(Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength), last ? sent : undefined);
        if (last && !hooks.stopped()) hooks.queued();
        continue;
      }
      const rs = fs.createReadStream(part.path, { highWaterMark: 64 * 1024 });
      try {
        for await (const c of rs) {
          if (hooks.stopped()) break;
          await this.write(c as Buffer);
        }
      } finally {
        rs.destroy();
        this.uncork();
      }
      if (last && !hooks.stopped()) {
        // The callback of an empty write runs once everything before it was handed to the kernel.
        sock.write(Buffer.alloc(0), sent);
        hooks.queued();
      }
    }
  }

  /** Body bytes handed to the socket so far. */
  get bodyBytesWritten(): number {
    return this.bodySent;
  }

  /** What the record says was sent: the bytes kept, the body size, whether the bytes were cut. */
  record(req: ExchangeRequest): void {
    // Only the head was written: the record already has its bytes (set when the request was prepared).
    if (this.raw.length === 1 && this.bodySent === 0 && req.rawBase64 !== '') {
      req.bodySize = 0;
      return;
    }
    const rawOut = Buffer.concat(this.raw);
    req.rawBase64 = rawOut.toString('base64');
    req.bodySize = this.bodySent;
    if (this.rawLen > rawOut.length || this.bodySent > rawOut.length - this.prepared.head.length) req.rawTruncated = true;
  }

  private async write(b: Buffer, cb?: (err?: Error | null) => void): Promise<void> {
    if (this.hooks.stopped()) return this.uncork();
    this.rawLen += b.length;
    if (this.rawLen - b.length < RAW_REQUEST_CAP) this.raw.push(b.subarray(0, RAW_REQUEST_CAP - (this.rawLen - b.length)));
    this.bodySent += b.length;
    this.hooks.progressed();
    const ok = this.sock.write(b, cb);
    // Corked writes are only flushed by uncork: never wait for a drain while corked.
    this.uncork();
    if (!ok) await drained(this.sock);
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.sock.uncork();
  }
}

/** Resolves when the socket can take more (or closed: the caller then sees the hop ended). */
export function drained(sock: net.Socket): Promise<void> {
  return new Promise((res) => {
    const done = (): void => {
      sock.off('drain', done);
      sock.off('close', done);
      res();
    };
    sock.once('drain', done);
    sock.once('close', done);
  });
}
