import type { Timing } from './timing.js';

/**
 * The scan-wide send budget behind --max-rate and --scan-delay: a token bucket shared by TCP connects and
 * UDP datagrams (the limits are per scan, not per host or protocol). Refilled from elapsed time; the bucket
 * holds at most 1/20 s worth of sends, so time spent idle does not turn into a burst.
 */
export class SendPacer {
  private readonly rate: number;
  private tokens = 0;
  private lastRefill = 0;

  private readonly rateNow: (() => number) | undefined;

  /** `rateNow`: a --max-rate that changes during the scan (a fleet worker's share, src/fleet/worker.ts), read at every refill. */
  constructor(timing: Timing, rateNow?: () => number) {
    // --scan-delay wins over --max-rate when both are given; rate <= 0 means no limit.
    this.rate = timing.scanDelayMs > 0 ? 1000 / timing.scanDelayMs : timing.maxRate;
    if (timing.scanDelayMs <= 0) this.rateNow = rateNow;
  }

  private current(): number {
    const r = this.rateNow?.();
    return r !== undefined && r > 0 ? r : this.rate;
  }

  /** Begin pacing now with one token, so the first probe goes out at once. */
  start(): void {
    this.lastRefill = performance.now();
    this.tokens = 1;
  }

  /** Whole sends allowed right now (Infinity without a rate limit). */
  available(): number {
    const rate = this.current();
    if (rate <= 0) return Infinity;
    const now = performance.now();
    const burst = Math.max(1, rate / 20);
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    return Math.floor(this.tokens);
  }

  /** Record `count` sends taken from what available() allowed. */
  spend(count: number): void {
    if (Number.isFinite(this.tokens)) this.tokens -= count;
  }

  /** One send token for a UDP datagram: 0 = go, else ms to wait. */
  takeOne(): number {
    if (this.available() >= 1) {
      this.spend(1);
      return 0;
    }
    return Math.max(1, ((1 - this.tokens) / this.current()) * 1000);
  }

  /**
   * Milliseconds until the next whole token, at least 1: when to try again after the budget ran out. It
   * must not decide *whether* to try again (the caller's reading of available() does): it may find a
   * token already there, and then the retry simply comes 1 ms later.
   */
  msUntilToken(): number {
    const rate = this.current();
    if (rate <= 0) return 1;
    return Math.max(1, (Math.max(0, 1 - this.tokens) / rate) * 1000);
  }
}
