/** `portscope/diff`: what changed between two scans or two stored audits, and its formats (a subset of src/index.ts). */
export { diff, diffStoredAudits, type DiffOptions } from '../api/diff.js';
export * from '../model/index.js';
export { DIFF_FORMATS, AUDIT_DIFF_FORMATS } from '../output/registry-diff.js';
export { formatNamed, type FormatDescriptor } from '../output/format-descriptor.js';
export type { AuditDiff } from '../history/diff-audit.js';
export type { ScanDiff } from '../history/diff-model.js';
