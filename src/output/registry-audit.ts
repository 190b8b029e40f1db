/** `portscope audit`'s report formats (see registry.ts). */
import type { AuditReportDoc as AuditReport, FindingDoc } from '../model/index.js';
import { renderAuditHtml } from './audit-html.js';
import { renderAuditJson } from './audit-json.js';
import { renderAuditJunit } from './audit-junit.js';
import { renderAuditSarif } from './audit-sarif.js';
import { renderAuditText } from './audit-text.js';
import type { FormatDescriptor } from './format-descriptor.js';

/** `portscope audit --format NAME`. */
/** `docs` are the finding types' descriptions (FINDING_DOCS, from the audit check table). */
export type AuditRender = (report: AuditReport, docs: Readonly<Record<string, FindingDoc>>) => string;

export const AUDIT_FORMATS: readonly FormatDescriptor<AuditRender>[] = [
  { name: 'text', ext: 'txt', help: 'text for a terminal (default)', render: renderAuditText },
  { name: 'json', ext: 'json', help: 'JSON (docs/schema/audit.schema.json)', render: renderAuditJson },
  { name: 'sarif', ext: 'sarif', help: 'SARIF 2.1.0, for code-scanning tools', render: renderAuditSarif },
  { name: 'junit', ext: 'xml', help: 'JUnit XML, for CI test reports', render: renderAuditJunit },
  { name: 'html', ext: 'html', help: 'one self-contained HTML file', render: renderAuditHtml },
];
