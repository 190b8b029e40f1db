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
export { diffScans, type ScanDiff } from './history/diff-model.js';
export { expandPorts, parseScanDocument, readScanFile, type ExpandedPort } from './history/readers/index.js';
