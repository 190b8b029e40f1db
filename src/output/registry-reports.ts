/** The audit and diff formats (see registry.ts). */
import type { AuditReport } from '../audit/report-schema.js';
import { renderAuditHtml } from './audit-html.js';
import { renderAuditJson } from './audit-json.js';
import { renderAuditJunit } from './audit-junit.js';
import { renderAuditSarif } from './audit-sarif.js';
import { renderAuditText } from './audit-text.js';
import { formatAuditDiffJson, formatAuditDiffText, type AuditDiff } from './diff-audit.js';
import { formatDiffJson } from './diff-json.js';
import type { ScanDiff } from './diff-model.js';
import { formatDiffText } from './diff-text.js';
import type { FormatDescriptor } from './registry.js';

/** `portscope audit --format NAME`. */
export const AUDIT_FORMATS: readonly FormatDescriptor<(report: AuditReport) => string>[] = [
  { name: 'text', ext: 'txt', help: 'text for a terminal (default)', render: renderAuditText },
  { name: 'json', ext: 'json', help: 'JSON (docs/schema/audit.schema.json)', render: renderAuditJson },
  { name: 'sarif', ext: 'sarif', help: 'SARIF 2.1.0, for code-scanning tools', render: renderAuditSarif },
  { name: 'junit', ext: 'xml', help: 'JUnit XML, for CI test reports', render: renderAuditJunit },
  { name: 'html', ext: 'html', help: 'one self-contained HTML file', render: renderAuditHtml },
];

/** `portscope diff` of two scans (text by default, `--json`). */
export const DIFF_FORMATS: readonly FormatDescriptor<(diff: ScanDiff) => string>[] = [
  { name: 'text', help: 'new, gone and changed ports as text (default)', render: formatDiffText },
  { name: 'json', flag: '--json', ext: 'json', help: 'one JSON document', render: formatDiffJson },
];

/** `portscope diff --audit` of two stored audits. */
export const AUDIT_DIFF_FORMATS: readonly FormatDescriptor<(diff: AuditDiff) => string>[] = [
  { name: 'text', help: 'new, resolved and changed findings as text (default)', render: formatAuditDiffText },
  { name: 'json', flag: '--json', ext: 'json', help: 'one JSON document', render: formatAuditDiffJson },
];
