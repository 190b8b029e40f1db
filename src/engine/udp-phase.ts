import type { HostReport, PortResult } from '../model/index.js';
import type { UdpBackendFactory } from '../net/index.js';
import type { HostJob } from './host-job.js';
import type { Timing } from './timing.js';
import { UdpHostScan, type UdpHostResult, type UdpProbeSet } from './udp-host.js';
import type { SendGate } from './udp-runner.js';

/** The UDP part of a plan (-sU): ports, how datagrams are sent, and what each port is sent. */
export interface UdpPlan {
  ports: Uint16Array;
  backend: UdpBackendFactory;
  probes: UdpProbeSet;
  /** -S: local addresses to send from in turn; each host uses those of its own family (docs/udp.md). */
  sources?: readonly string[];
}

/** What the UDP phase needs from the scheduler that runs it. */
export interface UdpPhaseHooks {
  timing: Timing;
  /** --max-rate / --scan-delay: the scan's one send budget, shared with TCP probes. */
  gate: SendGate;
  /** An open port, as soon as it answered (the CLI's "Discovered open port" with -v). */
  onOpen(address: string, result: PortResult): void;
  /** The host's UDP scan ended by itself: the scheduler finalizes the host now (as it would have without UDP). */
  onDone(job: HostJob, lookupNames: boolean): void;
  onFailed(job: HostJob, err: Error): void;
}

/**
 * The UDP phase of each host (docs/udp.md): started once the host's TCP ports are done, run by one
 * UdpHostScan per host, merged into the host's report when it ends. Kept out of the scheduler, which
 * only asks whether a host still has UDP work and hands over the report.
 */
export class UdpPhase {
  private readonly scans = new Map<HostJob, UdpHostScan>();
  private readonly results = new Map<HostJob, UdpHostResult>();
  /** UDP ports settled in hosts already reported (for the progress line). */
  private portsReported = 0;

  constructor(
    private readonly plan: UdpPlan,
    private readonly hooks: UdpPhaseHooks,
  ) {}

  /** The host's UDP ports: its own share in a walk (shards, resume), else the plan's. */
  private portsOf(job: HostJob): Uint16Array {
    return job.udpPorts ?? this.plan.ports;
  }

  /** True when `job` still has UDP ports to scan (never started): the scheduler may not finalize it yet. */
  wants(job: HostJob): boolean {
    return this.portsOf(job).length > 0 && !this.scans.has(job);
  }

  /** Start the host's UDP scan; its end calls hooks.onDone (or onFailed). `lookupNames` is handed back. */
  start(job: HostJob, lookupNames: boolean): void {
    const address = job.target.address;
    const { plan, hooks } = this;
    const family = job.target.family;
    const sources = (plan.sources ?? []).filter((a) => (a.includes(':') ? 6 : 4) === family);
    const u = new UdpHostScan(address, family, this.portsOf(job), hooks.timing, plan.backend, plan.probes, (r) => hooks.onOpen(address, r), hooks.gate, sources);
    this.scans.set(job, u);
    void u.run().then(
      (r) => {
        if (!this.scans.has(job)) return; // already merged (interrupt, host timeout)
        this.results.set(job, r);
        hooks.onDone(job, lookupNames);
      },
      (err: unknown) => hooks.onFailed(job, err as Error),
    );
  }

  /** Add the host's UDP ports and stats to its report (stopping a scan still running); probes sent. */
  merge(job: HostJob, report: HostReport): number {
    const u = this.scans.get(job);
    if (!u) return 0;
    let r = this.results.get(job);
    if (!r) {
      u.stop();
      r = u.result();
    }
    this.scans.delete(job);
    this.results.delete(job);
    this.portsReported += r.ports.length;
    report.ports.push(...r.ports);
    report.complete &&= r.complete;
    report.stats.probesSent += r.stats.probesSent;
    report.stats.udp = r.stats;
    return r.stats.probesSent;
  }

  /** UDP ports settled so far, and ports still to settle in `active` hosts (running or not yet started). */
  progress(active: Iterable<HostJob>): { done: number; remaining: number } {
    let done = this.portsReported;
    let remaining = 0;
    for (const job of active) {
      const u = this.scans.get(job);
      const total = this.portsOf(job).length;
      if (!u) {
        remaining += total;
        continue;
      }
      const settled = u.settledCount();
      done += settled;
      remaining += total - settled;
    }
    return { done, remaining };
  }
}
