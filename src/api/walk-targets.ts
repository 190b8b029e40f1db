/**
 * Targets of a walk-mode scan (a seed, shards, --randomize-hosts or --resume): the host space built once,
 * then each host handed to the engine with its share of ports — the pairs of the seeded host × port walk
 * that this shard owns and that a resumed scan has not settled yet. docs/scale.md.
 */
import type { Resolver } from '../model/index.js';
import type { TargetItem } from '../engine/scheduler.js';
import { ExclusionSet, HostSpace, loadBlocklist, PairWalk, Permutation, readTargetFile, type ShardSpec } from '../targets/index.js';

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
  /** The same ports in the order to probe them. */
  probeOrder: Uint16Array;
  randomizeHosts: boolean;
  /** Hosts a resumed scan finished: not probed again. */
  finished?: ReadonlySet<string>;
  /** Ports already settled per address of a resumed scan's unfinished hosts, and why the host was up. */
  settled?: ReadonlyMap<string, { ports: ReadonlySet<number>; upReason: string }>;
  /** Told the number of hosts once the space is built (progress ETA). */
  onSize?: (hosts: number) => void;
}

/** Distinguishes the host-order permutation from the pair walk of the same seed. */
const HOST_ORDER_TWEAK = 0x5bd1e995;

/** Build the host space of a walk from target specs, exclusions and the blocklist. */
export async function buildSpace(src: WalkSource): Promise<{ space: HostSpace; problems: { spec: string; message: string }[] }> {
  const exclude = [...src.exclude];
  if (src.excludeFile !== undefined) for await (const spec of readTargetFile(src.excludeFile)) exclude.push(spec);
  const exclusions = await ExclusionSet.build(exclude, src.resolver);
  const blocklist = src.blocklist ? await loadBlocklist(src.blocklist.file) : null;
  return HostSpace.build(src.specs, { exclusions, blocklist, resolver: src.resolver, resolveAll: src.resolveAll });
}

export async function* walkTargets(src: WalkSource, plan: WalkPlan): AsyncGenerator<TargetItem> {
  const { space, problems } = await buildSpace(src);
  plan.onSize?.(space.size);
  for (const problem of problems) yield { kind: 'problem', problem };
  const walk = new PairWalk(space.size, plan.sortedPorts.length, plan.seed, plan.shard);
  const order = plan.randomizeHosts ? new Permutation(space.size, plan.seed ^ HOST_ORDER_TWEAK) : null;
  const mine = new Uint8Array(65536);
  for (let i = 0; i < space.size; i++) {
    const h = order ? order.at(i) : i;
    const target = space.targetAt(h);
    if (plan.finished?.has(target.address)) continue;
    const partial = plan.settled?.get(target.address);
    const done = partial?.ports;
    if (walk.shard.count === 1 && !partial) {
      yield { kind: 'target', target, ports: plan.probeOrder };
      continue;
    }
    let n = 0;
    for (let j = 0; j < plan.sortedPorts.length; j++) {
      const port = plan.sortedPorts[j]!;
      const owned = walk.owns(h, j) && !done?.has(port);
      mine[port] = owned ? 1 : 0;
      if (owned) n++;
    }
    if (n === 0) continue;
    const ports = new Uint16Array(n);
    let k = 0;
    for (const port of plan.probeOrder) if (mine[port]) ports[k++] = port;
    // A resumed host was found up before the interrupt: discovery is not repeated.
    yield partial ? { kind: 'target', target, ports, knownUp: partial.upReason } : { kind: 'target', target, ports };
  }
}
