import type { ScanProgress, ScanSummary } from '../model/index.js';
import type { HostJob } from './host-job.js';
import type { UdpPhase } from './udp-phase.js';

/**
 * One progress snapshot. The target list is lazy, so the total is not known: `portsKnown` counts ports
 * settled so far plus those still to settle in hosts already started (TCP main phase and their UDP ports).
 * `tcpPortsDone` is the count of TCP main-phase answers the scheduler has seen, reported hosts included.
 */
export function measureProgress(hosts: readonly (HostJob | undefined)[], tcpPortsDone: number, udp: UdpPhase | undefined, summary: ScanSummary): ScanProgress {
  let done = tcpPortsDone;
  let known = tcpPortsDone;
  const active: HostJob[] = [];
  for (const job of hosts) {
    if (job?.phase !== 'main') continue;
    active.push(job);
    known += job.set.size - job.set.settled;
  }
  if (udp) {
    const u = udp.progress(active);
    done += u.done;
    known += u.done + u.remaining;
  }
  return {
    hostsDone: summary.hostsUp + summary.hostsDown,
    hostsActive: active.length,
    portsDone: done,
    portsKnown: known,
    elapsedMs: Date.now() - summary.startTime,
  };
}
