/** `portscope diff`'s formats, of scans and of audits (see registry.ts). */
import type { AuditDiff, ScanDiff } from '../model/index.js';
import { formatAuditDiffJson, formatAuditDiffText } from './diff-audit-text.js';
import { formatDiffJson } from './diff-json.js';
import { formatDiffText } from './diff-text.js';
import type { FormatDescriptor } from './format-descriptor.js';

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
