import type { HostReport, ScanEvent } from '../model/index.js';
import type { ReverseDns } from '../net/index.js';
import type { EventQueue } from './event-queue.js';

/**
 * Emits finished hosts' reports, after an optional PTR lookup. Lookups finish in any order, so the count
 * of reports still waiting for one tells the scheduler whether the run may end (`onEmitted` re-checks).
 */
export class HostReports {
  private readonly waiting = new Set<HostReport>();

  constructor(
    private readonly events: EventQueue<ScanEvent>,
    private readonly reverseDns: ReverseDns | undefined,
    private readonly onEmitted: () => void,
  ) {}

  /** Reports still waiting for their reverse-DNS answer. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Emit now, or after the PTR lookup when `lookupName` is set, the host is up and a resolver is given. */
  emit(report: HostReport, lookupName: boolean): void {
    if (lookupName && report.status === 'up' && this.reverseDns) {
      this.waiting.add(report);
      const answered = (name: string | undefined): void => {
        if (this.waiting.delete(report)) this.push(report, name); // else already emitted by flush()
      };
      void this.reverseDns.lookup(report.address).then(answered, () => answered(undefined));
    } else this.push(report, undefined);
  }

  /** Interrupted: cancel the lookups and emit every waiting report now, without its name. */
  flush(): void {
    this.reverseDns?.cancel();
    const reports = [...this.waiting];
    this.waiting.clear();
    for (const report of reports) this.push(report, undefined);
  }

  private push(report: HostReport, ptr: string | undefined): void {
    if (ptr) report.hostnames.push({ name: ptr, type: 'PTR' });
    this.events.push({ kind: 'host', host: report });
    this.onEmitted();
  }
}
