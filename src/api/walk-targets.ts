/**
 * Targets of a walk-mode scan (a seed, shards, --randomize-hosts or --resume): the host space built once,
 * then each host handed to the engine with its share of ports — the pairs of the seeded host × port walk
 * that this shard owns and that a resumed scan has not settled yet. docs/scale.md.
 */
import type { Resolver } from '../model/index.js';
import type { TargetEntry, TargetItem } from '../engine/scheduler.js';
import { ExclusionSet, HostOrder, HostSpace, loadBlocklist, PairWalk, readTargetFile, type ShardSpec } from '../targets/index.js';

export interface WalkSource {
  specs: AsyncIterable<string> | Iterable<string>;
  exclude: string[];
  excludeFile?: string;
  resolver: Resolver;
  resolveAll: boolean;
  /** null = --no-blocklist; undefined file = the default list. */
  blocklist: { file?: string } | null;
}

export interface WalkPlan {
  seed: number;
  shard: ShardSpec;
  /** TCP ports sorted ascending: the walk's port axis (stable whatever the probe order). */
  sortedPorts: Uint16Array;
  /**
   * -sU: UDP ports sorted ascending, the port axis's second part: port index j < P_tcp is TCP port
   * sortedPorts[j], j ≥ P_tcp is UDP port sortedUdpPorts[j − P_tcp]. Absent or empty: the TCP-only walk.
   */
  sortedUdpPorts?: Uint16Array;
  /** -r: each host's ports ascending instead of in the walk's order. */
  sequentialPorts: boolean;
  /** Hosts a resumed scan finished: not probed again. */
  finished?: ReadonlySet<string>;
  /** Ports already settled per address of a resumed scan's unfinished hosts (TCP, UDP), and why the host was up. */
  settled?: ReadonlyMap<string, { ports: ReadonlySet<number>; udpPorts?: ReadonlySet<number>; upReason: string }>;
  /** Told the number of hosts once the space is built (progress ETA). */
  onSize?: (hosts: number) => void;
}

/** Build the host space of a walk from target specs, exclusions and the blocklist. */
export async function buildSpace(src: WalkSource): Promise<{ space: HostSpace; problems: { spec: string; message: string }[] }> {
  const exclude = [...src.exclude];
  if (src.excludeFile !== undefined) for await (const spec of readTargetFile(src.excludeFile)) exclude.push(spec);
  const exclusions = await ExclusionSet.build(exclude, src.resolver);
  const blocklist = src.blocklist ? await loadBlocklist(src.blocklist.file) : null;
  return HostSpace.build(src.specs, { exclusions, blocklist, resolver: src.resolver, resolveAll: src.resolveAll });
}

/**
 * Hosts in the order the pair walk first reaches them, each with its ports in the walk's order (ascending
 * with -r). Host h enters at position k when k is the smallest of this shard's positions holding one of h's
 * pairs: O(1) state (no "seen" set over the hosts), exact, and each host enters exactly once. Telling a
 * first visit from a later one costs a few inverse-cipher steps (below). docs/scale.md "Engine order".
 */
export async function* walkTargets(src: WalkSource, plan: WalkPlan): AsyncGenerator<TargetItem> {
  const { space, problems } = await buildSpace(src);
  plan.onSize?.(space.size);
  for (const problem of problems) yield { kind: 'problem', problem };
  const tcp = plan.sortedPorts;
  const udp = plan.sortedUdpPorts ?? new Uint16Array(0);
  const pt = tcp.length;
  const order = new HostOrder(new PairWalk(space.size, pt + udp.length, plan.seed, plan.shard));
  // Unsharded, every host is admitted by about position N·ln(H)/P: stop there, not at N.
  const all = plan.shard.count === 1 ? space.size : Infinity;
  for (let n = 0; n < order.walk.shardPairs && order.admitted < all; n++) {
    const h = order.firstVisit(n);
    if (h < 0) continue;
    const target = space.targetAt(h);
    if (plan.finished?.has(target.address)) continue;
    const partial = plan.settled?.get(target.address);
    const owned = order.portsOf(plan.sequentialPorts);
    // One pass splits the owned indices by protocol (walk order kept within each), dropping settled ports.
    const tcpList = new Uint16Array(owned.length);
    const udpList = new Uint16Array(owned.length);
    let nt = 0;
    let nu = 0;
    for (let i = 0; i < owned.length; i++) {
      const j = owned[i]!;
      if (j < pt) {
        const port = tcp[j]!;
        if (!partial?.ports.has(port)) tcpList[nt++] = port;
      } else {
        const port = udp[j - pt]!;
        if (!partial?.udpPorts?.has(port)) udpList[nu++] = port;
      }
    }
    if (nt + nu === 0) continue;
    const item: TargetEntry = { kind: 'target', target, ports: tcpList.subarray(0, nt) };
    if (udp.length > 0) item.udpPorts = udpList.subarray(0, nu);
    // A resumed host was found up before the interrupt: discovery is not repeated.
    if (partial) item.knownUp = partial.upReason;
    yield item;
  }
}
