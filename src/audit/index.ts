/** The audit domain: policy, evaluation, findings, remediation (docs/audit.md). */
export { evaluateHost, type HostView, type OutsideResult } from './evaluate.js';
export { applyIgnores } from './ignore.js';
export { loadPolicyFile, parsePolicy, PolicyError, type LoadedPolicy } from './policy-load.js';
export { FINDING_TYPES, PolicySchema, type FindingType, type Policy, type PortRule } from './policy-schema.js';
export { AuditReportSchema, SEVERITIES, severityRank, type AuditReport, type Finding, type Severity } from './report-schema.js';
export { starterPolicy } from './init-policy.js';
