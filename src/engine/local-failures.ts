/**
 * Failures on our own side (no ephemeral port, no descriptor, no buffer, the proxy down) are not answers
 * from the target. Each batch with one shrinks the scan-wide parallelism by a quarter; a long unbroken run
 * of them ends the scan instead of spinning on a machine that cannot open connections.
 */

/** Consecutive local failures (no socket, proxy down) after which the scan gives up. */
const LOCAL_FAILURE_LIMIT = 2000;

export class LocalFailures {
  private consecutive = 0;
  private lastErrno = '';

  /** A real answer arrived: the run of failures is broken. */
  answered(): void {
    this.consecutive = 0;
  }

  failed(errno: string): void {
    this.lastErrno = errno;
    this.consecutive++;
  }

  /** The message to end the scan with once the limit is reached, else undefined. */
  fatalMessage(): string | undefined {
    if (this.consecutive < LOCAL_FAILURE_LIMIT) return undefined;
    return `cannot open connections (${this.lastErrno}); giving up`;
  }

  /** The parallelism cap after a batch with local failures: three quarters, never below the minimum. */
  static backOff(cap: number, minParallelism: number): number {
    return Math.max(minParallelism, Math.floor(cap * 0.75));
  }
}
