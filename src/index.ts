/** portscope's library API. */
export { scan, type ScanOptions, type ScanRun, type BackendChoice } from './api/scan.js';
export type { TimingOptions } from './engine/timing.js';
export * from './model/index.js';
export { formats } from './output/index.js';
export type { OutputOptions, OutputWriter, OutputFactory } from './output/types.js';
export { VERSION } from './version.js';
export { addonStatus, type AddonSource, type AddonStatus } from './net/addon.js';
export { listening, listeningReport, type ListeningOptions, type ListeningReport } from './api/listening.js';
export { FINDING_DOCS } from './audit/checks/index.js';
export { audit, loadPolicyFile, parsePolicy, PolicyError, type AuditOptions, type AuditResult, type AuditReport, type Finding, type Severity, type LoadedPolicy } from './api/audit.js';
export { history, saveScanRun, type HistoryOptions, type HistoryResult, type PortTimeline } from './api/history.js';
export { diff, type DiffOptions } from './api/diff.js';
export { importScans, type ImportOptions } from './api/import.js';
export { redactUrl, watch, type WatchOptions, type WatchRound } from './api/watch.js';
export { HistoryStore, StoreError, type ScanRecord, type ScanListing } from './store/index.js';
export { diffScans, type ScanDiff } from './history/diff-model.js';
export { expandPorts, parseScanDocument, readScanFile, type ExpandedPort } from './history/readers/index.js';

// --- What the CLI uses, so a library user has it too (issue 12 item 1). src/entry/*.ts are subsets of this
// file published as subpaths (portscope/scan, /listening, /audit, /history, /diff, …); the CLI imports only those. ---
export { SCAN_FORMATS, formatNamed, type FormatDescriptor } from './output/registry.js';
export { LISTENING_FORMATS } from './output/registry-listening.js';
export { AUDIT_FORMATS } from './output/registry-audit.js';
export { DIFF_FORMATS, AUDIT_DIFF_FORMATS } from './output/registry-diff.js';
export { splitTargetList } from './targets/index.js';
export { renderListeningTable, type ListeningTableOptions } from './output/listening-table.js';
export type { ListeningReportMeta } from './output/listening-json.js';
export { parsePortList } from './local/filter.js';
export { SEVERITIES } from './audit/report-schema.js';
export { starterPolicy } from './audit/init-policy.js';
export { auditHistory, saveAuditRun, type AuditSaveMeta, type AuditListing } from './api/history.js';
export { diffStoredAudits } from './api/diff.js';
export { diffJsonDocument } from './output/diff-json.js';
export { formatDiffText } from './output/diff-text.js';
export type { AuditDiff } from './history/diff-audit.js';

// ---- fleet (issue 14) ----
export { saveListening, fleetAudit, type SaveListeningOptions, type FleetAuditOptions, type FleetAuditResult, type FleetFinding } from './api/fleet.js';
// ---- end fleet ----
// ---- distributed scans (issue 14) ----
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
} from './api/distribute.js';
export { runWorker, type WorkerOptions } from './api/worker.js';
// ---- end distributed ----
// --- network scale (docs/scale.md) ---
export { planShards, type ShardPlan, type ShardPlanOptions } from './api/shards.js';
export { mergeScanResults, mergeHostReports, type ScanResults } from './api/merge-results.js';
export { mergeScanFiles } from './api/merge-files.js';
export { readResumeFile, resumeStateText, type ResumeState } from './api/resume.js';

export { explain, type ExplainOptions, type ExplainResult, type ExplainedPort } from './api/explain.js';
export { renderExplainText, renderExplainJson } from './output/explain-render.js';
export { RulesetError } from './firewall/index.js';
export { close, type CloseOptions } from './api/close.js';
export { parsePortSpec } from './ports/spec.js';
export { oneLine } from './output/text.js';
export { doctor, type DoctorReport } from './api/doctor.js';
export { dryRunResolver } from './net/resolver.js';
