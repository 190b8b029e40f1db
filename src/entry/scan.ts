/** `portscope/scan`: scanning and the scan output formats (a subset of src/index.ts; see README.md here). */
export { scan, type ScanOptions, type ScanRun, type BackendChoice } from '../api/scan.js';
export type { TimingOptions } from '../engine/timing.js';
export * from '../model/index.js';
export { VERSION } from '../version.js';
export { formats } from '../output/index.js';
export type { OutputOptions, OutputWriter, OutputFactory } from '../output/types.js';
export { SCAN_FORMATS, formatNamed, type FormatDescriptor } from '../output/registry.js';
export { splitTargetList } from '../targets/index.js';
export type { saveScanRun } from '../api/history.js';
export { addonStatus, type AddonSource, type AddonStatus } from '../net/addon.js';
export { planShards, type ShardPlan, type ShardPlanOptions } from '../api/shards.js';
export { mergeScanResults, mergeHostReports, type ScanResults } from '../api/merge-results.js';
export { readResumeFile, resumeStateText, type ResumeState } from '../api/resume.js';
export { dryRunResolver } from '../net/resolver.js';
