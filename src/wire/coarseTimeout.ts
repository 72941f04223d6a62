// Timeouts of many seconds that every request sets, restarts and clears (the send, wait and idle timeouts; 30 s by
// default): one shared clock ticking while any is running, instead of a Node timer inserted into and taken out of
// the timer lists on every request and read. A coarse timeout fires up to TICK_MS late, which matters nothing
// past COARSE_FROM_MS; shorter timeouts keep Node's exact timers (see hopTimers.ts).

const TICK_MS = 250;
/** Timeouts from this long on may fire up to TICK_MS late (5 % at most). */
export const COARSE_FROM_MS = 5000;

export class CoarseTimeout {
  private static readonly running = new Set<CoarseTimeout>();
  private static clock: NodeJS.Timeout | null = null;
  private deadline = 0;

  constructor(private readonly fire: () => void) {}

  /** (Re)starts it: it fires `ms` from now unless stopped or started again before. */
  start(ms: number): void {
    this.deadline = performance.now() + ms;
    CoarseTimeout.running.add(this);
    // The clock never keeps a process alive: whatever a timeout waits for (a socket) does.
    if (!CoarseTimeout.clock) {
      CoarseTimeout.clock = setInterval(() => CoarseTimeout.tick(), TICK_MS);
      CoarseTimeout.clock.unref();
    }
  }

  stop(): void {
    CoarseTimeout.running.delete(this);
  }

  get active(): boolean {
    return CoarseTimeout.running.has(this);
  }

  /** Fires what is due; the clock stops when nothing runs. */
  private static tick(): void {
    const now = performance.now();
    for (const t of CoarseTimeout.running) {
      if (t.deadline > now) continue;
      CoarseTimeout.running.delete(t);
      t.fire();
    }
    if (CoarseTimeout.running.size === 0 && CoarseTimeout.clock) {
      clearInterval(CoarseTimeout.clock);
      CoarseTimeout.clock = null;
    }
  }
}
