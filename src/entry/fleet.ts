/** `portscope/fleet`: the fleet's inside view and distributed scans on a PostgreSQL queue (a subset of src/index.ts). */
export * from '../model/index.js';
export { saveListening, fleetAudit, type SaveListeningOptions, type FleetAuditOptions, type FleetAuditResult, type FleetFinding } from '../api/fleet.js';
export {
  startDistributedScan,
  followDistributedScan,
  cancelDistributedScan,
  listDistributedScans,
  FleetError,
  type DistributeOptions,
  type FollowResult,
  type FollowUpdate,
  type MergedScan,
  type ScanListRow,
  type VantageDifference,
  type DistState,
} from '../api/distribute.js';
export { runWorker, type WorkerOptions } from '../api/worker.js';
