import type { ResolvedTarget, ScanStart, TargetProblem } from '../model/index.js';
import type { BackendFactory, ReverseDns } from '../net/index.js';
import type { PingPlan } from './ping-phase.js';
import type { ServicePlan } from './service-phase.js';
import type { Timing } from './timing.js';
import type { UdpPlan } from './udp-phase.js';

/**
 * `ports`: this host's own TCP ports (a shard's or a resumed scan's share), in probe order; default
 * `plan.ports`. `udpPorts`: the same for UDP (default `plan.udp.ports`). `knownUp`: the host was found up
 * earlier (a resumed scan): no discovery, this reason.
 */
export interface TargetEntry {
  kind: 'target';
  target: ResolvedTarget;
  ports?: Uint16Array;
  udpPorts?: Uint16Array;
  knownUp?: string;
}
export type TargetItem = TargetEntry | { kind: 'problem'; problem: TargetProblem };

/** Everything one scan needs, decided before it starts. The engine knows no CLI and no output format. */
export interface EnginePlan {
  start: ScanStart;
  targets: AsyncIterable<TargetItem>;
  /** TCP ports in the order to probe them (the caller shuffles unless -r). */
  ports: Uint16Array;
  timing: Timing;
  /** Ports of the connect ping (empty with only -PU/-PE); null = no host discovery (-Pn). */
  discoveryPorts: Uint16Array | null;
  /** Discovery's UDP (-PU) and ICMP echo (-PE) probes, beside the connect ping (ping-phase.ts). */
  ping?: PingPlan;
  backend: BackendFactory;
  isLoopback: (address: string) => boolean;
  serviceName: (port: number) => string | undefined;
  /** PTR names of hosts that are up (cancelled when the scan is interrupted). */
  reverseDns?: ReverseDns;
  signal?: AbortSignal;
  wildcard: { minPorts: number; openRatio: number };
  progressIntervalMs: number;
  /** Whether the kernel holds a live link-layer neighbour for an address (arp-response); off when absent. */
  neighbourUp?: (address: string) => Promise<boolean>;
  /** Hosts in the whole scan, once known (for progress ETA). */
  hostsTotal?: () => number | undefined;
  /** --max-rate-per-host: probes per second to any one host (0 = no cap). */
  maxRatePerHost?: number;
  /** A --max-rate that may change while the scan runs (read at every refill of the send budget; ≤ 0: timing.maxRate). */
  maxRateNow?: () => number;
  /** UDP ports (-sU), scanned per host after its TCP ports (docs/udp.md). */
  udp?: UdpPlan;
  /** -sV: open TCP ports are identified before their host is reported (docs/service-detection.md). */
  service?: ServicePlan;
}
