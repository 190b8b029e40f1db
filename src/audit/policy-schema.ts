import { z } from 'zod';
import { FindingTypeSchema } from './checks/index.js';
import { HostSchema, PortRuleSchema } from './rule-schema.js';

export { HostSchema, PortRuleSchema, ScopeSchema, type HostPolicy, type PortRule, type Scope } from './rule-schema.js';

/**
 * The audit policy (docs/audit.md): which ports may be open on which hosts, to whom, owned by whom, and
 * which findings are knowingly ignored until when. This zod schema is the single source: the loader
 * validates with it and docs/schema/policy.schema.json is generated from it (json-schemas.ts).
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const IgnoreSchema = z.strictObject({
  finding: FindingTypeSchema.optional(),
  host: z.string().min(1).optional().describe('"local", an address or a CIDR; default: every host.'),
  port: z.number().int().min(0).max(65535).optional(),
  protocol: z.enum(['tcp', 'udp']).optional(),
  reason: z.string({ error: 'an ignore rule needs a reason' }).min(1, 'an ignore rule needs a reason'),
  // The YAML loader keeps dates as strings (no timestamp type), so this is always text YYYY-MM-DD.
  expires: z
    .string({ error: 'an ignore rule needs an expiry date (YYYY-MM-DD)' })
    .regex(DATE, 'expected a date YYYY-MM-DD')
    // Date.parse rolls 2026-02-30 over to March; a round trip catches it. Only checked once the shape is right.
    .refine((d) => !DATE.test(d) || new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'expected a real calendar date')
    .describe('Last day (UTC) the rule applies; after it the finding is reported again and the rule is listed as expired.'),
});

export const PolicySchema = z
  .strictObject({
    version: z.literal(1, { error: 'expected 1 (the only policy format version)' }),
    ports: z.array(PortRuleSchema).default([]).describe('Rules for the local machine and for every host no `hosts` entry matches.'),
    hosts: z.array(HostSchema).default([]),
    ignore: z.array(IgnoreSchema).default([]),
  })
  .describe('portscope audit policy (docs/audit.md)');

export type IgnoreRule = z.infer<typeof IgnoreSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export { FINDING_TYPES, FindingTypeSchema, type FindingType } from './checks/index.js';

/** Source positions of rules, for evidence and SARIF locations: `ports[2]` → line 12. */
export type PolicyLines = Map<string, number>;
