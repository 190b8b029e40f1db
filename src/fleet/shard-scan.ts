/**
 * THE one place a shard becomes a scan: issue 13's seeded walk over host × port, slice `index` of `count`
 * (disjoint slices of the same walk, together the whole scan; docs/scale.md). Every shard of a
 * distributed scan gets the same seed, stored with the scan.
 */
import { scan, type ScanOptions, type ScanRun } from '../api/scan.js';

export interface Shard {
  index: number;
  count: number;
}

/** The scan of one shard (the walk skips hosts without pairs in this slice). */
export async function scanShard(options: ScanOptions, shard: Shard, seed: string | number): Promise<ScanRun | null> {
  return scan({ ...options, seed, shard });
}
