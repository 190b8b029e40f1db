/** portscope's library API. */
export { scan, type ScanOptions, type ScanRun, type BackendChoice } from './api/scan.js';
export type { TimingOptions } from './engine/timing.js';
export * from './model/index.js';
export { formats } from './output/index.js';
export type { OutputOptions, OutputWriter, OutputFactory } from './output/types.js';
export { VERSION } from './version.js';
export { listening, type ListeningOptions } from './api/listening.js';
export { audit, loadPolicyFile, parsePolicy, PolicyError, type AuditOptions, type AuditResult, type AuditReport, type Finding, type Severity, type LoadedPolicy } from './api/audit.js';
export { history, saveScanRun, type HistoryOptions, type HistoryResult, type PortTimeline } from './api/history.js';
export { diff, type DiffOptions } from './api/diff.js';
export { importScans, type ImportOptions } from './api/import.js';
export { watch, type WatchOptions, type WatchRound } from './api/watch.js';
export { HistoryStore, StoreError, type ScanRecord, type ScanListing } from './store/index.js';
export { diffScans, type ScanDiff } from './output/diff-model.js';
// ---- fleet (issue 14) ----
export { saveListening, fleetAudit, type SaveListeningOptions, type FleetAuditOptions, type FleetAuditResult, type FleetFinding } from './api/fleet.js';
// ---- end fleet ----
// ---- distributed scans (issue 14) ----
export { startDistributedScan, followDistributedScan, cancelDistributedScan, listDistributedScans, FleetError, type DistributeOptions, type FollowResult, type FollowUpdate, type MergedScan, type ScanListRow, type VantageDifference, type DistState } from './api/distribute.js';
export { runWorker, type WorkerOptions } from './api/worker.js';
// ---- end distributed ----
// --- network scale (docs/scale.md) ---
export { planShards, type ShardPlan, type ShardPlanOptions } from './api/shards.js';
export { mergeScanResults, mergeHostReports, type ScanResults } from './api/merge-results.js';
export { mergeScanFiles } from './api/merge-files.js';
export { readResumeFile, resumeStateText, type ResumeState } from './api/resume.js';
