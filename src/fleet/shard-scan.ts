/**
 * THE one place a shard becomes a scan. The network-scale work (issue 13) gives `scan()` a seeded walk
 * with `seed` and `shard: {index, count}` (disjoint slices, together the whole scan); when it lands this
 * function becomes `return scan({ ...options, seed, shard })`. Until then: the targets' addresses are
 * dealt round-robin to the shards (host-level slices, also disjoint and complete); names go whole to
 * one shard.
 */
import { scan, type ScanOptions, type ScanRun } from '../api/scan.js';
import type { Resolver } from '../model/index.js';
import { expandTargets, parseTargetSpec } from '../targets/index.js';

export interface Shard {
  index: number;
  count: number;
}

/** The scan of one shard, or null when the shard holds no target (more shards than hosts). */
export async function scanShard(options: ScanOptions, shard: Shard, _seed: string): Promise<ScanRun | null> {
  const mine: string[] = [];
  let position = 0;
  const literal: string[] = [];
  for (const [i, spec] of (options.targets ?? []).entries()) {
    if (parseTargetSpec(spec).kind === 'name') {
      if (i % shard.count === shard.index) mine.push(spec);
    } else literal.push(spec);
  }
  // Literal specs need no resolver; an exclusion given as a name is left to each shard's own scan.
  const refuse: Resolver = { lookup: () => Promise.reject(new Error('names are resolved by the shard scans')) };
  const exclude = (options.exclude ?? []).filter((s) => parseTargetSpec(s).kind !== 'name');
  for await (const item of expandTargets(literal, { exclude, resolver: refuse })) {
    if (item.kind !== 'target') continue;
    if (position++ % shard.count === shard.index) mine.push(item.target.address);
  }
  if (mine.length === 0) return null;
  return scan({ ...options, targets: mine });
}
