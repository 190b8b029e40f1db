/** `portscope/history`: stored scans and audits, diffs, import and watch (a subset of src/index.ts). */
export { history, auditHistory, saveScanRun, saveAuditRun, type AuditSaveMeta, type AuditListing, type HistoryOptions, type HistoryResult, type PortTimeline } from '../api/history.js';
export { diff, diffStoredAudits, type DiffOptions } from '../api/diff.js';
export { importScans, type ImportOptions } from '../api/import.js';
export { watch, type WatchOptions, type WatchRound } from '../api/watch.js';
export * from '../model/index.js';
export { DIFF_FORMATS, AUDIT_DIFF_FORMATS } from '../output/registry-reports.js';
export { formatNamed, type FormatDescriptor } from '../output/registry.js';
export { diffJsonDocument } from '../output/diff-json.js';
export { formatDiffText } from '../output/diff-text.js';
export type { AuditDiff } from '../output/diff-audit.js';
export type { ScanDiff } from '../output/diff-model.js';
