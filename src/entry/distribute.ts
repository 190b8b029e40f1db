/**
 * The coordinator's subset of `portscope/fleet` (start, follow, cancel, list distributed scans), for the
 * CLI's `scan --distribute`: without the inside-view and audit modules it loads ~0.2 s faster, which is
 * part of a distributed scan's fixed overhead (bench/RESULTS.md, "Distributed scans, round 2").
 */
export { OptionError } from '../model/index.js';
export {
  startDistributedScan,
  followDistributedScan,
  cancelDistributedScan,
  listDistributedScans,
  sampleMerge,
  FleetError,
  type DistributeOptions,
  type FollowResult,
  type FollowUpdate,
  type MergedScan,
  type ScanListRow,
  type VantageDifference,
  type DistState,
} from '../api/distribute.js';
