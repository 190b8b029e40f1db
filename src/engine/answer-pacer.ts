/**
 * Pacing a host's TCP probes to the rate at which it answers: hosts that rate-limit their RSTs.
 *
 * FreeBSD and macOS cap the RSTs they send to closed ports with the ICMP limiter (`net.inet.icmp.icmplim`,
 * 200/s by default; tcp_respond via badport_bandlim, sys/netinet/ip_icmp.c). A connect scan that sends
 * faster gets a burst of RSTs, then R per second, and silence for the rest: those closed ports look lost
 * or filtered, are retried, and most retries meet the same empty bucket. Probing faster than R buys
 * nothing; probing at R gets every RST the first time.
 *
 * The signature, measured per host in buckets of BUCKET_MS: most probes end silent, yet many ports that
 * were silent answer `closed` on a retry (late answers), and closed answers arrive at a steady rate that
 * does not follow our sending. Random loss has a small silent share; a firewall's silence never turns into
 * late answers. R is the closed-answer rate in the buckets where probes also went unanswered (demand above
 * supply). The host is then paced to MARGIN · R / closedShare probes per second (probes to open ports
 * spend no RST), and the attempts made so far are forgotten: their silence was the limit, not the port.
 * Like the UDP phase's ICMP pacer (icmp-pacer.ts), but for the answers of a TCP connect scan.
 */
const BUCKET_MS = 250;
const WINDOW_BUCKETS = 8;
/** Below the measured rate: timer jitter and the target's bucket granularity must not make us overshoot. */
const MARGIN = 0.9;
/** Evidence needed before pacing: enough silence, mostly silence, and many ports that answered late. */
const MIN_SILENT = 30;
const MIN_LATE = 20;
const MIN_LATE_SHARE = 0.3;
/** Pace tuning per bucket (see adjust). */
const CLIMB = 1.15;
const QUIET_SHARE = 0.05;
const OVER_SHARE = 0.1;

interface Bucket {
  slot: number;
  closed: number;
  silent: number;
}

export class AnswerPacer {
  /** Probes per second to this host; 0 = not paced. */
  rate = 0;
  /** The answer rate measured when pacing started (for `-d`). */
  measuredRate = 0;
  private closedTotal = 0;
  private openTotal = 0;
  private readonly buckets: Bucket[] = [];
  private tokens = 0;
  private last = 0;
  private closedShare = 1;
  /** The pace the flood measurement allows; the pace never drops below it. */
  private floor = 0;
  /** A pace that proved too fast: the climb stops below it. */
  private ceiling = Infinity;
  /** The bucket pacing started in: it and the next still hold the flood's silence (timeouts, retries). */
  private pacedSlot = 0;

  // The clock is read by the caller, once per batch of answers, and only when it needs it: these run for
  // every probe, and a performance.now() per answer cost a loopback -p- scan ~10 ms (bench/RESULTS.md,
  // "Issue 12 paired re-measure"). A default parameter would read the clock even when it is not used.
  noteClosed(now: number): void {
    this.closedTotal++;
    this.bucket(now).closed++;
  }

  noteOpen(): void {
    this.openTotal++;
  }

  noteSilent(now: number): void {
    this.bucket(now).silent++;
  }

  /**
   * Start pacing when the host shows the signature; `late` and `answered` are its ports that answered only
   * on a retry, and all that answered. True when pacing starts now (the caller forgets earlier attempts).
   */
  check(late: number, answered: number, at?: number): boolean {
    if (this.rate > 0 || late < MIN_LATE || late < MIN_LATE_SHARE * answered) return false;
    const now = at ?? performance.now();
    const current = Math.floor(now / BUCKET_MS);
    let silent = 0;
    let closed = 0;
    let limitedClosed = 0;
    let limitedBuckets = 0;
    for (const b of this.buckets) {
      if (b.slot === current || b.slot < current - WINDOW_BUCKETS) continue;
      silent += b.silent;
      closed += b.closed;
      if (b.silent > 0) {
        limitedClosed += b.closed;
        limitedBuckets++;
      }
    }
    if (silent < MIN_SILENT || silent <= closed || limitedBuckets === 0) return false;
    this.measuredRate = Math.max(1, limitedClosed / ((limitedBuckets * BUCKET_MS) / 1000));
    this.closedShare = Math.max(0.05, this.closedTotal / Math.max(1, this.closedTotal + this.openTotal));
    this.floor = (MARGIN * this.measuredRate) / this.closedShare;
    this.rate = this.floor;
    this.pacedSlot = current;
    this.tokens = 1;
    this.last = now;
    return true;
  }

  /** Whole probes this host may be sent now (Infinity when not paced). */
  available(at?: number): number {
    if (this.rate <= 0) return Infinity;
    const now = at ?? performance.now();
    const burst = Math.max(1, this.rate / 20);
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    return Math.floor(this.tokens);
  }

  spend(count: number): void {
    if (this.rate > 0) this.tokens -= count;
  }

  /** Milliseconds until the next whole probe (at least 1); see SendPacer.msUntilToken. */
  msUntilToken(): number {
    if (this.rate <= 0) return 1;
    return Math.max(1, (Math.max(0, 1 - this.tokens) / this.rate) * 1000);
  }

  private bucket(now: number): Bucket {
    const slot = Math.floor(now / BUCKET_MS);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.slot !== slot) {
      if (b && this.rate > 0 && b.slot > this.pacedSlot + 1) this.adjust(b);
      b = { slot, closed: 0, silent: 0 };
      this.buckets.push(b);
      if (this.buckets.length > WINDOW_BUCKETS + 2) this.buckets.shift();
    }
    return b;
  }

  /**
   * While paced, each finished bucket tunes the pace. Measured while we flooded, the answer rate comes out
   * low (in the lab, about 70/s from a host limited to 200/s), so it is only the floor: a bucket with
   * almost no silence lets the pace climb by CLIMB; one with clear silence (probes beyond the limit draw no
   * RST) steps it back and caps the climb there. Silence from filtered ports stops the climb too, which
   * leaves the host at the floor: slower, never wrong.
   */
  private adjust(b: Bucket): void {
    const n = b.closed + b.silent;
    if (n < 10) return;
    const silentShare = b.silent / n;
    if (silentShare < QUIET_SHARE) this.rate = Math.min(this.rate * CLIMB, this.ceiling * MARGIN);
    else if (silentShare > OVER_SHARE) {
      this.ceiling = Math.min(this.ceiling, this.rate);
      this.rate = Math.max(this.floor, this.rate / CLIMB);
    }
  }
}
