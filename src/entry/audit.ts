/** `portscope/audit`: audits, policies and the audit report formats (a subset of src/index.ts). */
export { audit, loadPolicyFile, parsePolicy, PolicyError, type AuditOptions, type AuditResult, type AuditReport, type Finding, type Severity, type LoadedPolicy } from '../api/audit.js';
export { SEVERITIES } from '../audit/report-schema.js';
export { starterPolicy } from '../audit/init-policy.js';
export * from '../model/index.js';
export { AUDIT_FORMATS, type AuditRender } from '../output/registry-audit.js';
export { FINDING_DOCS } from '../audit/checks/index.js';
export { formatNamed, type FormatDescriptor } from '../output/format-descriptor.js';
export type { saveAuditRun, AuditSaveMeta } from '../api/history.js';
