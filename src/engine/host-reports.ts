import type { HostReport, ScanEvent } from '../model/index.js';
import type { EventQueue } from './event-queue.js';

/**
 * Emits finished hosts' reports, after an optional PTR lookup. Lookups finish in any order, so the count
 * of reports still waiting for one tells the scheduler whether the run may end (`onEmitted` re-checks).
 */
export class HostReports {
  private waiting = 0;

  constructor(
    private readonly events: EventQueue<ScanEvent>,
    private readonly reverseDns: ((address: string) => Promise<string | undefined>) | undefined,
    private readonly onEmitted: () => void,
  ) {}

  /** Reports still waiting for their reverse-DNS answer. */
  get pending(): number {
    return this.waiting;
  }

  /** Emit now, or after the PTR lookup when `lookupName` is set, the host is up and a resolver is given. */
  emit(report: HostReport, lookupName: boolean): void {
    if (lookupName && report.status === 'up' && this.reverseDns) {
      this.waiting++;
      void this.reverseDns(report.address).then(
        (name) => this.push(report, name, true),
        () => this.push(report, undefined, true),
      );
    } else this.push(report, undefined, false);
  }

  private push(report: HostReport, ptr: string | undefined, waited: boolean): void {
    if (waited) this.waiting--;
    if (ptr) report.hostnames.push({ name: ptr, type: 'PTR' });
    this.events.push({ kind: 'host', host: report });
    this.onEmitted();
  }
}
