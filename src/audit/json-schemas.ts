import { z } from 'zod';
import { PolicySchema } from './policy-schema.js';
import { AuditReportSchema } from './report-schema.js';

/**
 * The published JSON Schemas, generated from the zod schemas that the code validates with, so the two
 * cannot drift: docs/schema/policy.schema.json (what a policy file may contain, as written: defaults
 * optional) and docs/schema/audit.schema.json (the JSON report). A unit test fails when the files differ
 * from this output (test/unit/audit/schema-files.test.ts, which also rewrites them with UPDATE_SCHEMAS=1).
 * Checks zod does refinements for (a CIDR's syntax, a calendar date) are not expressible here.
 */
export function policyJsonSchema(): Record<string, unknown> {
  const gen = z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-2020-12' });
  return { $schema: gen.$schema, $id: 'urn:portscope:schema:audit-policy:1', title: 'portscope audit policy, version 1 (docs/audit.md)', ...gen };
}

export function auditJsonSchema(): Record<string, unknown> {
  const gen = z.toJSONSchema(AuditReportSchema, { io: 'output', target: 'draft-2020-12' });
  return { $schema: gen.$schema, $id: 'urn:portscope:schema:audit:1', title: 'portscope audit report (--format json, docs/audit.md)', ...gen };
}

export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
