import { classifyUdpOutcome, type EchoBackend, type EchoBackendFactory, type EchoOutcome, type UdpBackend, type UdpBackendFactory, type UdpOutcome } from '../net/index.js';
import type { HostJob } from './host-job.js';
import type { Timing } from './timing.js';
import type { SendGate } from './udp-runner.js';

/**
 * Host discovery's probes that are not TCP connects (docs/scale.md, "Host discovery"): -PU (a UDP datagram
 * to each ping port: ICMP port-unreachable or any reply proves the host alive) and -PE (ICMP echo: an echo
 * reply proves it). They run beside the TCP connect ping of the same host; the host is up as soon as any
 * probe proves it, as nmap's combined -P* options (nmap(1), "Host Discovery").
 */
export interface PingPlan {
  udp?: { ports: Uint16Array; payload: Buffer; backend: UdpBackendFactory };
  echo?: { backend: EchoBackendFactory };
}

/** How a host's pings ended: a reason it is up, or the best evidence that it is not. */
export type PingVerdict = { up: true; reason: string; rttUs: number } | { up: false; reason: string };

interface Probe {
  kind: 'udp' | 'echo';
  port: number;
  tries: number;
  /** Tries that failed on our side (no socket: EMFILE, ENOBUFS…): retried without counting, a few times. */
  localFailures: number;
}

interface HostPings {
  job: HostJob;
  probes: Probe[];
  pending: number;
  /** An ICMP error (host-unreach, admin-prohibited…): nmap takes it as a sign the host is down. */
  evidence: string | undefined;
  done: (v: PingVerdict) => void;
  over: boolean;
}

export interface PingHooks {
  timing: Timing;
  gate: SendGate;
  onSend(job: HostJob): void;
}

/**
 * Discovery sends few probes per host (one per ping port and one echo), so each is retried up to twice
 * whatever --max-retries says above that (nmap's ping probes are retransmitted as well; one lost answer
 * must not make a host down).
 */
const MAX_PING_TRIES = 2;
/** Local failures one probe may have before it counts as unanswered (a family this machine lacks). */
const MAX_LOCAL_FAILURES = 3;

export class PingPhase {
  private udp: UdpBackend | undefined;
  private echo: EchoBackend | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { host: HostPings; probe: Probe }>();
  private readonly hosts = new Map<HostJob, HostPings>();
  private closed = false;
  /** Pings in flight, and those waiting for room: each is a socket, and TCP connects need descriptors too. */
  private inflight = 0;
  private readonly queue: { host: HostPings; probe: Probe }[] = [];
  private readonly cap: number;

  constructor(
    private readonly plan: PingPlan,
    private readonly hooks: PingHooks,
  ) {
    this.cap = Math.max(16, Math.floor(hooks.timing.maxParallelism / 2));
  }

  /** Ping the host; `done` is called once (not after cancel or close). */
  start(job: HostJob, done: (v: PingVerdict) => void): void {
    const probes: Probe[] = [];
    for (const port of this.plan.udp?.ports ?? []) probes.push({ kind: 'udp', port, tries: 0, localFailures: 0 });
    if (this.plan.echo) probes.push({ kind: 'echo', port: 0, tries: 0, localFailures: 0 });
    const host: HostPings = { job, probes, pending: 0, evidence: undefined, done, over: false };
    this.hosts.set(job, host);
    for (const p of probes) this.send(host, p);
  }

  /** The host is decided otherwise (its TCP ping answered, it timed out): drop its pings. */
  cancel(job: HostJob): void {
    const host = this.hosts.get(job);
    if (host) host.over = true;
    this.hosts.delete(job);
  }

  close(): void {
    this.closed = true;
    this.udp?.close();
    this.echo?.close();
    this.waiting.clear();
    this.hosts.clear();
    this.queue.length = 0;
  }

  private send(host: HostPings, probe: Probe): void {
    host.pending++;
    if (this.inflight >= this.cap) {
      this.queue.push({ host, probe });
      return;
    }
    const wait = this.hooks.gate();
    if (wait > 0) {
      setTimeout(() => {
        host.pending--;
        if (!host.over && !this.closed) this.send(host, probe);
      }, wait);
      return;
    }
    if (host.over || this.closed) return;
    probe.tries++;
    this.inflight++;
    this.hooks.onSend(host.job);
    const id = this.nextId++ >>> 0;
    this.waiting.set(id, { host, probe });
    const { address, family } = host.job.target;
    const timeoutMs = host.job.timeoutMs();
    if (probe.kind === 'udp') {
      this.udp ??= this.plan.udp!.backend((o) => this.onUdp(o));
      this.udp.submit(address, family, [{ id, port: probe.port, payload: this.plan.udp!.payload }], timeoutMs);
    } else {
      this.echo ??= this.plan.echo!.backend((o) => this.onEcho(o));
      this.echo.submit(address, [{ id, seq: id & 0xffff }], timeoutMs);
    }
  }

  private onUdp(o: UdpOutcome): void {
    const w = this.take(o.id);
    if (!w) return;
    const v = classifyUdpOutcome(o.code, o.icmp);
    if (v.kind === 'local') this.localFailure(w.host, w.probe);
    // nmap(1) -PU: a port unreachable from a closed port, or any datagram back, proves the host up.
    if (v.kind === 'settled' && v.reason === 'port-unreach') this.up(w.host, 'port-unreach', o.rttUs);
    else if (v.kind === 'settled' && v.state === 'open') this.up(w.host, 'udp-response', o.rttUs);
    else if (v.kind !== 'local') this.silent(w.host, w.probe, v.kind === 'settled' ? v.reason : undefined);
    this.drain();
  }

  private onEcho(o: EchoOutcome): void {
    const w = this.take(o.id);
    if (!w) return;
    if (o.code === 0) this.up(w.host, 'echo-reply', o.rttUs);
    else {
      // An ICMP error about the echo (host unreachable, admin prohibited): classified as for UDP.
      const v = o.code > 0 ? classifyUdpOutcome(o.code, o.icmp) : undefined;
      if (v?.kind === 'local') this.localFailure(w.host, w.probe);
      else this.silent(w.host, w.probe, v?.kind === 'settled' ? v.reason : undefined);
    }
    this.drain();
  }

  /** Our side failed: try again without spending a try, unless it keeps failing (then it is unanswered). */
  private localFailure(host: HostPings, probe: Probe): void {
    if (++probe.localFailures <= MAX_LOCAL_FAILURES) {
      probe.tries--;
      this.send(host, probe);
    } else this.silent(host, probe, undefined);
  }

  /** Start queued pings while there is room. */
  private drain(): void {
    while (this.inflight < this.cap && this.queue.length > 0 && !this.closed) {
      const q = this.queue.shift()!;
      q.host.pending--;
      if (!q.host.over) this.send(q.host, q.probe);
    }
  }

  private take(id: number): { host: HostPings; probe: Probe } | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    this.inflight--;
    w.host.pending--;
    if (!w.host.over) return w;
    this.drain();
    return undefined;
  }

  private up(host: HostPings, reason: string, rttUs: number): void {
    this.end(host, { up: true, reason, rttUs });
  }

  /** No proof from this probe: an ICMP error is final for it (nmap: a sign of a down host), silence is retried. */
  private silent(host: HostPings, probe: Probe, icmpReason: string | undefined): void {
    if (icmpReason !== undefined) host.evidence = icmpReason;
    else if (probe.tries < Math.min(MAX_PING_TRIES, this.hooks.timing.maxRetries + 1)) {
      this.send(host, probe);
      return;
    }
    if (host.pending === 0) this.end(host, { up: false, reason: host.evidence ?? 'no-response' });
  }

  private end(host: HostPings, v: PingVerdict): void {
    if (host.over) return;
    host.over = true;
    this.hosts.delete(host.job);
    host.done(v);
  }
}
