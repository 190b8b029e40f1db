/**
 * How many attempts a silent port needs before it may be called filtered.
 *
 * Silence has two causes that look alike per packet: a firewall that drops everything (filtered) and a
 * network that loses some packets (loss). Ports that answered only on a retry measure the loss: each such
 * port lost (tries - 1) attempts before one got through. With loss rate p, a port that would answer stays
 * silent after k attempts with probability p^k; with A answering ports, expected misclassifications are about
 * A·p^k. We pick the smallest k that brings that under TARGET_ERRORS, using an upper confidence bound for p
 * so that a lucky early estimate does not cut retries short. Without any evidence of loss (no port needed a
 * retry to answer) the same bound still applies to the sample we have: 3000 loss-free answers justify nmap's
 * 2 attempts, but 26 loss-free answers do not rule out 10% loss (in the lab, 10% loss on a 40-port host
 * left one answering port silent after 2 attempts in about 6% of scans). Without loss evidence the attempts
 * are capped at NO_EVIDENCE_MAX_ATTEMPTS, so a mostly-filtered host is not retried ten times on the strength
 * of a tiny sample. 10% loss over 3000 answering ports needs about 6.
 */
const TARGET_ERRORS = 0.01;
export const MIN_ATTEMPTS = 2;
export const NO_EVIDENCE_MAX_ATTEMPTS = 4;

/** Upper bound (about 97.5%) for the per-attempt loss rate from `lost` lost attempts and `answered` answers. */
export function lossUpperBound(lost: number, answered: number): number {
  if (answered === 0) return 1;
  const p = (lost + 2 + 2 * Math.sqrt(lost + 1)) / (lost + answered + 2);
  return Math.min(0.95, p);
}

export function requiredAttempts(lost: number, answered: number, maxAttempts: number): number {
  if (answered === 0) return Math.min(MIN_ATTEMPTS, maxAttempts);
  const p = lossUpperBound(lost, answered);
  const k = Math.ceil(Math.log(TARGET_ERRORS / answered) / Math.log(p));
  const cap = lost === 0 ? Math.min(NO_EVIDENCE_MAX_ATTEMPTS, maxAttempts) : maxAttempts;
  return Math.max(Math.min(MIN_ATTEMPTS, maxAttempts), Math.min(cap, Number.isFinite(k) ? k : cap));
}

/** The loss rate point estimate shown to users. */
export function lossEstimate(lost: number, answered: number): number {
  return lost + answered === 0 ? 0 : lost / (lost + answered);
}
