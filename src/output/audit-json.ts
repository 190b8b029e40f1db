import type { AuditReportDoc as AuditReport } from '../model/index.js';

/** The audit report as JSON (docs/schema/audit.schema.json). */
export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
