// What the TCP, UDP and WebSocket engines share: the transcript (bounded), the inbox that `=== wait-for-server`
// and `@until` wait on, the live-session hooks, and the end-of-exchange rule.
import type { ExchangeError, SocketMessage } from '../shared/exchange';
import type { SocketStep, UntilRule } from '../shared/request';
import { SOCK } from './socketErrors';

/** Default silence that ends an exchange whose block names no `@until` (the "2 s of silence"). */
export const DEFAULT_IDLE_MS = 2000;
/** Messages kept in one record, and payload bytes kept over all of them; past these, messages are counted only. */
export const MAX_MESSAGES = 10_000;
export const MAX_KEPT_BYTES = 32 * 1024 * 1024;

/** What the editor holds while a connection stays open: send another message, close it. */
export interface SocketControl {
  readonly kind: 'tcp' | 'udp' | 'websocket';
  /** Sends bytes (WebSocket: a text frame when `text`, else binary). False when the connection is no longer open. */
  send(data: Uint8Array, text: boolean): boolean;
  /** Closes from this side (WebSocket: with this close code and reason; default 1000). */
  close(code?: number, reason?: string): void;
}

export interface SocketHooks {
  /**
   * Keep the connection open after the block's messages until the peer closes or `control.close()` is called
   * (the editor's live panel). An explicit `# @until` still ends it. The CLI leaves this off.
   */
  live?: boolean;
  /** The connection is open (WebSocket: after the handshake); `snapshot` is the record so far (do not keep it). */
  onOpen?(control: SocketControl, snapshot: import('../shared/exchange').Exchange): void;
  /** Every message added to the transcript, as it happens. */
  onMessage?(message: SocketMessage, index: number): void;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text of bytes, or null when they are not UTF-8 (or hold control bytes other than whitespace: binary). */
export function textOf(bytes: Uint8Array, binaryControls = true): string | null {
  try {
    const t = UTF8.decode(bytes);
    if (binaryControls && /[\x00-\x08\x0e-\x1f\x7f]/.test(t)) return null;
    return t;
  } catch {
    return null;
  }
}

export class Transcript {
  readonly messages: SocketMessage[] = [];
  bytesSent = 0;
  bytesReceived = 0;
  dropped = 0;
  private kept = 0;

  constructor(
    private readonly startedAt: number,
    private readonly onMessage?: SocketHooks['onMessage'],
  ) {}

  now(): number {
    return performance.now() - this.startedAt;
  }

  /** Adds a message; its bytes are kept while the record is within its limits. */
  add(direction: SocketMessage['direction'], data: Uint8Array, extra: Partial<SocketMessage> = {}, text?: string | null): SocketMessage | null {
    if (direction === 'sent') this.bytesSent += data.length;
    else this.bytesReceived += data.length;
    if (this.messages.length >= MAX_MESSAGES) {
      this.dropped++;
      return null;
    }
    const room = Math.max(0, MAX_KEPT_BYTES - this.kept);
    const keep = data.length <= room ? data : data.subarray(0, room);
    this.kept += keep.length;
    const cut = keep.length < data.length;
    const m: SocketMessage = {
      direction,
      at: this.now(),
      base64: Buffer.from(keep.buffer, keep.byteOffset, keep.length).toString('base64'),
      size: data.length,
      text: text !== undefined ? (cut && text !== null ? text.slice(0, keep.length) : text) : textOf(keep),
      ...extra,
    };
    if (cut) m.truncated = true;
    this.messages.push(m);
    this.onMessage?.(m, this.messages.length - 1);
    return m;
  }
}

export type WaitOutcome = 'met' | 'closed' | 'idle' | 'timeout' | 'aborted';

/** What has arrived, for the waits: messages, bytes, the text seen so far (a bounded tail), and the close. */
export class Inbox {
  count = 0;
  bytes = 0;
  closed = false;
  /** Ended from this side (the panel's Close, a cancel): the waits stop. */
  stopped = false;
  private lastActivity = performance.now();
  private tail = '';
  private readonly waiters = new Set<() => void>();
  /** `@until "TEXT"` (as latin1, byte for byte): true once it arrived, possibly split across reads. */
  private wanted: string | null = null;
  seen = false;

  watchText(text: string): void {
    this.wanted = text;
  }

  received(data: Uint8Array): void {
    this.count++;
    this.bytes += data.length;
    if (this.wanted !== null && !this.seen) {
      // Only the last (length − 1) bytes of earlier reads can be part of a match that this read completes.
      this.tail += Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
      if (this.tail.includes(this.wanted)) this.seen = true;
      this.tail = this.tail.slice(-(this.wanted.length - 1) || this.tail.length);
      if (this.wanted.length === 1) this.tail = '';
    }
    this.activity();
  }

  activity(): void {
    this.lastActivity = performance.now();
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  stop(): void {
    this.stopped = true;
    this.notify();
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Waits until `cond` holds, the connection closes, `idleMs` pass without activity (0: no idle rule) or
   * `timeoutMs` pass (0: none).
   */
  wait(cond: () => boolean, opts: { idleMs?: number; timeoutMs?: number; signal?: AbortSignal }): Promise<WaitOutcome> {
    return new Promise<WaitOutcome>((resolve) => {
      let idleTimer: NodeJS.Timeout | undefined;
      let overall: NodeJS.Timeout | undefined;
      const finish = (o: WaitOutcome): void => {
        clearTimeout(idleTimer);
        clearTimeout(overall);
        this.waiters.delete(check);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(o);
      };
      const onAbort = (): void => finish('aborted');
      const armIdle = (): void => {
        clearTimeout(idleTimer);
        if (!opts.idleMs) return;
        const left = this.lastActivity + opts.idleMs - performance.now();
        idleTimer = setTimeout(
          () => {
            if (performance.now() - this.lastActivity >= opts.idleMs! - 1) finish('idle');
            else armIdle();
          },
          Math.max(1, left),
        );
      };
      const check = (): void => {
        if (cond()) finish('met');
        else if (this.closed || this.stopped) finish('closed');
        else armIdle();
      };
      if (opts.signal?.aborted) {
        finish('aborted');
        return;
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
      if (opts.timeoutMs && opts.timeoutMs > 0) overall = setTimeout(() => finish('timeout'), opts.timeoutMs);
      check();
    });
  }
}

export interface UntilResult {
  outcome: WaitOutcome;
  /** Why the exchange ended, in words for the record. */
  reason: string;
  /** The rule asked for something that did not come (bytes, text) before the close or the timeout. */
  unmet: boolean;
}

/** Applies the block's end rule once its messages are sent. */
export async function awaitUntil(
  inbox: Inbox,
  rule: UntilRule | null,
  opts: { live: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<UntilResult> {
  const { signal } = opts;
  if (rule === null && opts.live) {
    const outcome = await inbox.wait(() => false, { signal });
    return { outcome, reason: inbox.stopped ? 'closed from the panel' : 'the peer closed the connection', unmet: false };
  }
  if (rule === null || rule.kind === 'idle') {
    const ms = rule?.kind === 'idle' ? rule.ms : DEFAULT_IDLE_MS;
    const outcome = await inbox.wait(() => false, { idleMs: ms, signal });
    return {
      outcome,
      reason: outcome === 'idle' ? `${ms} ms of silence` : inbox.stopped ? 'closed from the panel' : 'the peer closed the connection',
      unmet: false,
    };
  }
  if (rule.kind === 'close') {
    const outcome = await inbox.wait(() => false, { timeoutMs: opts.timeoutMs, signal });
    return {
      outcome,
      reason: outcome === 'timeout' ? `@until close: the peer did not close within ${opts.timeoutMs} ms` : 'the peer closed the connection',
      unmet: outcome === 'timeout',
    };
  }
  const cond = rule.kind === 'bytes' ? (): boolean => inbox.bytes >= rule.bytes : (): boolean => inbox.seen;
  const what = rule.kind === 'bytes' ? `@until bytes ${rule.bytes}` : `@until ${JSON.stringify(rule.text)}`;
  const outcome = await inbox.wait(cond, { timeoutMs: opts.timeoutMs, signal });
  if (outcome === 'met') return { outcome, reason: `${what} reached`, unmet: false };
  if (outcome === 'closed') return { outcome, reason: `the peer closed the connection before ${what} was reached`, unmet: !inbox.stopped };
  return { outcome, reason: `${what} not reached within ${opts.timeoutMs} ms`, unmet: outcome === 'timeout' };
}

/**
 * Plays a block's steps in order: each send through `send` (false stops the block: the socket is gone), each
 * `=== wait-for-server` until one more message than the waits before it has come. Returns the error of a wait
 * that timed out (`nothing` says what did not come: "nothing from the server", "no datagram"), else null.
 */
export async function playSteps(
  steps: readonly SocketStep[],
  inbox: Inbox,
  opts: { timeoutMs: number; signal?: AbortSignal; nothing: string },
  send: (step: Extract<SocketStep, { kind: 'send' }>) => boolean | Promise<boolean>,
): Promise<ExchangeError | null> {
  let waited = 0;
  for (const step of steps) {
    if (inbox.closed || inbox.stopped) break;
    if (step.kind === 'wait') {
      const target = ++waited;
      const outcome = await inbox.wait(() => inbox.count >= target, { timeoutMs: opts.timeoutMs, signal: opts.signal });
      if (outcome === 'timeout')
        return {
          code: SOCK.WAIT_TIMEOUT,
          message: `=== wait-for-server (line ${step.line + 1}): ${opts.nothing} within ${opts.timeoutMs} ms`,
          phase: 'wait',
        };
      if (outcome !== 'met') break;
      continue;
    }
    // A message that came before its wait counts for that wait: the waits count messages, not moments.
    waited = Math.max(waited, inbox.count);
    if (!(await send(step))) break;
  }
  return null;
}
