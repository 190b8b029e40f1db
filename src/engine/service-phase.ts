import type { HostReport, ServiceInfo } from '../model/index.js';
import type { StreamDialer } from '../net/index.js';
import type { HostJob } from './host-job.js';
import { pacedDialer, Slots } from './paced-dialer.js';
import type { Timing } from './timing.js';
import type { SendGate } from './udp-runner.js';

/**
 * The -sV part of a plan. The api injects how a port is identified (the probe table lives in probes/, the
 * engine knows only this function) and the dialer its connections go through (direct or --proxy).
 */
export interface ServicePlan {
  /** The service on address:port, dialing only through `dialer`; undefined keeps `previous`. */
  identify(address: string, port: number, previous: ServiceInfo | undefined, dialer: StreamDialer, signal: AbortSignal): Promise<ServiceInfo | undefined>;
  dialer: StreamDialer;
  /** Ports identified at once across the scan. */
  maxParallel: number;
}

export interface ServicePhaseHooks {
  timing: Timing;
  /** --max-rate / --scan-delay: the scan's one send budget, shared with TCP and UDP probes. */
  gate: SendGate;
  /** One connection opened (counted as a probe sent). */
  onSend(): void;
  /** The port table's name for a port: what detection falls back to (as HostJob.report names it). */
  serviceName(port: number): string | undefined;
}

interface HostDetections {
  /** One controller per port, so no signal collects a listener per probe (MaxListenersExceededWarning). */
  readonly controllers: Set<AbortController>;
  readonly started: Set<number>;
  readonly results: Map<number, ServiceInfo>;
  pending: number;
  onIdle: (() => void) | undefined;
}

/**
 * Service detection as a phase of each host (docs/service-detection.md): a port starts being identified as
 * soon as it is found open; the host is reported once its ports are identified (or when it is interrupted or
 * times out, with what was identified by then). Connections are paced and bounded like every other probe.
 */
export class ServicePhase {
  private readonly hosts = new Map<HostJob, HostDetections>();
  private readonly ports: Slots;
  private readonly dialer: StreamDialer;

  constructor(
    private readonly plan: ServicePlan,
    private readonly hooks: ServicePhaseHooks,
  ) {
    this.ports = new Slots(Math.max(1, plan.maxParallel));
    this.dialer = pacedDialer(plan.dialer, new Slots(Math.max(1, hooks.timing.maxParallelism)), hooks.gate, hooks.onSend);
  }

  /** Start identifying an open TCP port of `job` (once per port). */
  add(job: HostJob, port: number): void {
    let h = this.hosts.get(job);
    if (!h) {
      h = { controllers: new Set(), started: new Set(), results: new Map(), pending: 0, onIdle: undefined };
      this.hosts.set(job, h);
    }
    if (h.started.has(port)) return;
    h.started.add(port);
    h.pending++;
    const host = h;
    const controller = new AbortController();
    host.controllers.add(controller);
    void this.identify(job, port, controller.signal).then((svc) => {
      host.controllers.delete(controller);
      if (svc && !controller.signal.aborted) host.results.set(port, svc);
      host.pending--;
      if (host.pending === 0 && host.onIdle && this.hosts.get(job) === host) {
        const onIdle = host.onIdle;
        host.onIdle = undefined;
        onIdle();
      }
    });
  }

  /** True while `job` has ports still being identified; `then` runs once they are all done. */
  waitFor(job: HostJob, then: () => void): boolean {
    const h = this.hosts.get(job);
    if (!h || h.pending === 0) return false;
    h.onIdle = then;
    return true;
  }

  /**
   * Put the identified services into the host's report; detections still running are cut off. False when
   * some were (interrupt, host timeout): the host's report is then incomplete.
   */
  merge(job: HostJob, report: HostReport): boolean {
    const h = this.hosts.get(job);
    if (!h) return true;
    this.hosts.delete(job);
    const complete = h.pending === 0;
    for (const c of h.controllers) c.abort();
    for (const r of report.ports) {
      if (r.protocol !== 'tcp') continue;
      const svc = h.results.get(r.port);
      if (svc) r.service = svc;
    }
    return complete;
  }

  private async identify(job: HostJob, port: number, signal: AbortSignal): Promise<ServiceInfo | undefined> {
    try {
      await this.ports.acquire(signal);
    } catch {
      return undefined;
    }
    try {
      const name = this.hooks.serviceName(port);
      const previous: ServiceInfo | undefined = name ? { name, method: 'table', conf: 3 } : undefined;
      return await this.plan.identify(job.target.address, port, previous, this.dialer, signal);
    } catch {
      // A detection that failed outright leaves the table guess in place.
      return undefined;
    } finally {
      this.ports.release();
    }
  }
}
