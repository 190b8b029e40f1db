/**
 * Round-trip time estimation as TCP does it (Jacobson/Karels, RFC 6298 section 2): smoothed RTT and its
 * variance, timeout = SRTT + 4·RTTVAR, clamped to the timing template's bounds.
 */
export class RttEstimator {
  srttUs = 0;
  rttvarUs = 0;
  samples = 0;

  update(sampleUs: number): void {
    if (this.samples === 0) {
      this.srttUs = sampleUs;
      this.rttvarUs = sampleUs / 2;
    } else {
      this.rttvarUs = 0.75 * this.rttvarUs + 0.25 * Math.abs(this.srttUs - sampleUs);
      this.srttUs = 0.875 * this.srttUs + 0.125 * sampleUs;
    }
    this.samples++;
  }

  timeoutMs(minMs: number, maxMs: number, initialMs: number): number {
    if (this.samples === 0) return initialMs;
    const t = (this.srttUs + 4 * this.rttvarUs) / 1000;
    return Math.min(maxMs, Math.max(minMs, t));
  }
}
