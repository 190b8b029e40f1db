/**
 * A model of the target's ICMP error budget. Linux sends ICMP errors to one destination from a token
 * bucket: one token per `icmp_ratelimit` ms (default 1000; IPv6 `icmp/ratelimit`, scaled by route prefix),
 * at most 6 saved up (net/ipv4/inetpeer.c inet_peer_xrlim_allow, XRLIM_BURST_FACTOR), plus a global bucket
 * of `icmp_msgs_per_sec` (1000/s, burst 50). Every ICMP error spends a token, whatever the code; a datagram
 * that meets an empty bucket draws silence, which would look like open|filtered.
 *
 * The engine measures the refill rate, then only trusts silence that happened while the model says a token
 * was there. The model's rate is the measurement times a margin; if a port that was trusted silent later
 * answers with ICMP, the model was too optimistic and the rate is halved (`violation`).
 */
export class IcmpPacer {
  /** Tokens per second in the model (0 until measured or assumed). */
  rate = 0;
  /** Tokens the model lets us count on at once. */
  cap = 1;
  measured = false;
  violations = 0;
  private tokens = 0;
  private last = performance.now();

  /** Margin below the measured rate: jiffy rounding and timer jitter must not make us overestimate. */
  static readonly MARGIN = 0.85;

  setRate(perSecond: number, timeoutMs: number, measured: boolean): void {
    this.rate = perSecond * IcmpPacer.MARGIN;
    this.measured = measured;
    // Count on more than one token only when the rate refills them within one probe timeout anyway.
    this.cap = Math.max(1, Math.min(64, Math.floor((this.rate * timeoutMs) / 1000)));
    this.tokens = Math.min(this.tokens, this.cap);
    this.last = performance.now();
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.cap, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Milliseconds until one whole token is available. */
  waitMs(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    return this.rate > 0 ? ((1 - this.tokens) / this.rate) * 1000 : 1000;
  }

  /** The target sent `n` ICMP errors. */
  spend(n: number): void {
    this.refill();
    this.tokens = Math.max(0, this.tokens - n);
  }

  /** Start counting from an empty bucket (after a burst that drained it). */
  drain(): void {
    this.tokens = 0;
    this.last = performance.now();
  }

  /** Trusted silence turned out to be a starved closed port. */
  violation(timeoutMs: number): void {
    this.violations++;
    this.setRate(this.rate / IcmpPacer.MARGIN / 2, timeoutMs, this.measured);
    this.drain();
  }
}
