import type { FindingType } from '../audit/policy-schema.js';
import type { Severity } from '../audit/report-schema.js';
import { CHECKS } from '../audit/checks/index.js';

/** One description per finding type, for SARIF rules and the HTML legend: taken from the check table. */
export const FINDING_DOCS = Object.fromEntries(CHECKS.map((c) => [c.type, { ...c.describe, severity: c.severity }])) as Record<FindingType, { short: string; full: string; severity: Severity }>;
