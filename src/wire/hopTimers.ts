// The timers of one HTTP/1.1 hop: one phase timer (connect is connect.ts's; here sending, waiting for the
// response, idle between reads), refreshed rather than re-created on every read since it runs per socket chunk,
// and the head deadline beside it (from the first byte of each response head to its end).
import type { ErrorPhase, ExchangeError } from '../shared/exchange';
import { COARSE_FROM_MS, CoarseTimeout } from './coarseTimeout';

/** Who is told when a timer runs out. */
export interface TimerOwner {
  fail(e: ExchangeError): void;
}

const firePhase = (t: HopTimers): void => t.firePhase();
const fireHead = (t: HopTimers): void => t.fireHead();

export class HopTimers {
  private timer: NodeJS.Timeout | undefined;
  /** The phase timer when its timeout is long (the usual 30 s): on the shared coarse clock. */
  private coarse: CoarseTimeout | undefined;
  private timerMs = 0;
  private timerPhase: ErrorPhase = 'send';
  private timerWhat = '';
  private headTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `owner.fail` gets the timeout error (ETIMEDOUT with the phase and what was awaited). */
  constructor(
    private readonly headTimeoutMs: number,
    private readonly owner: TimerOwner,
  ) {}

  /** (Re)starts the phase timer: `ms` without `what` in `phase` is a timeout (0 = none). */
  arm(ms: number, phase: ErrorPhase, what: string): void {
    // A failure inside a read (body limit, decoder) ends the hop before the read returns.
    if (this.stopped) return;
    this.timerPhase = phase;
    this.timerWhat = what;
    if (ms === this.timerMs && (this.timer || this.coarse?.active)) {
      if (this.timer) this.timer.refresh();
      else this.coarse?.start(ms);
      return;
    }
    this.disarmPhase();
    this.timerMs = ms;
    if (ms <= 0) return;
    // No closure per arm: the timer gets this object as its argument, the coarse one is made once.
    if (ms >= COARSE_FROM_MS) (this.coarse ??= new CoarseTimeout(() => this.firePhase())).start(ms);
    else this.timer = setTimeout(firePhase, ms, this);
  }

  /** The phase timer ran out. */
  firePhase(): void {
    this.owner.fail({ code: 'ETIMEDOUT', message: `No ${this.timerWhat} within ${this.timerMs} ms`, phase: this.timerPhase });
  }

  /** The head deadline ran out. */
  fireHead(): void {
    this.owner.fail({
      code: 'ETIMEDOUT',
      message: `Response head not complete within ${this.headTimeoutMs} ms of its first byte (the server sends it too slowly)`,
      phase: 'headers',
    });
  }

  /**
   * The first byte of a response head arrived (a final one after a 100 Continue gets a full deadline again);
   * `elapsedMs`: how long ago it arrived, when the timer is armed after that read.
   */
  armHead(elapsedMs = 0): void {
    this.disarmHead();
    if (this.stopped || this.headTimeoutMs <= 0) return;
    this.headTimer = setTimeout(fireHead, Math.max(1, this.headTimeoutMs - elapsedMs), this);
  }

  disarmHead(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  /** Both timers off (a failed hop letting its decoder finish may still end by itself). */
  disarm(): void {
    this.disarmPhase();
    this.disarmHead();
  }

  /** The hop ended: off, and nothing arms them again. */
  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private disarmPhase(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.coarse?.stop();
  }
}
