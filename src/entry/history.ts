/** `portscope/history`: stored scans and audits (a subset of src/index.ts; diff, import, watch have their own). */
export { history, auditHistory, saveScanRun, saveAuditRun, type AuditSaveMeta, type AuditListing, type HistoryOptions, type HistoryResult, type PortTimeline } from '../api/history.js';
export * from '../model/index.js';
