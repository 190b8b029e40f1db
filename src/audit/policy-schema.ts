import { z } from 'zod';
import { parseCidr } from './cidr.js';

/**
 * The audit policy (docs/audit.md): which ports may be open on which hosts, to whom, owned by whom, and
 * which findings are knowingly ignored until when. This zod schema is the single source: the loader
 * validates with it and docs/schema/policy.schema.json is generated from it (json-schemas.ts).
 */

const SCOPES = ['public', 'loopback', 'interface'] as const;
const SCOPE_SHAPE = /^(public|loopback|interface|[0-9A-Fa-f:.]+(\/\d{1,3})?)$/;

/** `public` (any address), `loopback` (127.0.0.0/8, ::1), `interface` (one specific address), or a CIDR. */
export const ScopeSchema = z
  .string()
  .regex(SCOPE_SHAPE, 'expected public, loopback, interface or a CIDR such as 192.0.2.0/24')
  // The regex (which the JSON Schema carries) checks the shape; this checks the address. One issue per value.
  .refine((s) => !SCOPE_SHAPE.test(s) || (SCOPES as readonly string[]).includes(s) || parseCidr(s) !== null, {
    message: 'expected public, loopback, interface or a CIDR such as 192.0.2.0/24',
  })
  .describe('Who may reach the port: public, loopback, interface (a socket bound to one address), or a CIDR the bound/scanned address must lie in.');

const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s).min(1)]);

export const PortRuleSchema = z
  .strictObject({
    port: z.number({ error: 'expected a port 0-65535' }).int('expected a port 0-65535').min(0, 'expected a port 0-65535').max(65535, 'expected a port 0-65535'),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    to: oneOrMany(ScopeSchema).default('public').describe('Allowed exposure; a list allows the union.'),
    required: z.boolean().default(true).describe('A closed port is a finding (allowed-but-closed); false: the port may be closed.'),
    process: oneOrMany(z.string().min(1)).optional().describe('Allowed process names (/proc/PID/comm or the command basename).'),
    user: oneOrMany(z.string().min(1)).optional().describe('Allowed owning users (name or numeric uid).'),
    listener: z.boolean().default(true).describe('false: the port is reachable without a local listener on purpose (DNAT, container proxy).'),
    note: z.string().optional(),
  })
  .describe('One port that may be open.');

export const HostSchema = z.strictObject({
  name: z.string().min(1).optional(),
  match: oneOrMany(z.string().min(1)).describe('"local" (this machine), addresses, CIDRs or names as given on the command line.'),
  ports: z.array(PortRuleSchema).default([]),
});

/** The finding types of issue 6, in the order docs/audit.md explains them. */
export const FindingTypeSchema = z.enum([
  'open-not-allowed',
  'allowed-but-closed',
  'exposure-wider-than-allowed',
  'listening-but-filtered',
  'reachable-without-listener',
  'unexpected-owner',
  'deleted-executable',
]);

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

export type Scope = z.infer<typeof ScopeSchema>;
export type PortRule = z.infer<typeof PortRuleSchema>;
export type HostPolicy = z.infer<typeof HostSchema>;
export type IgnoreRule = z.infer<typeof IgnoreSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type FindingType = z.infer<typeof FindingTypeSchema>;
export const FINDING_TYPES = FindingTypeSchema.options;

/** Source positions of rules, for evidence and SARIF locations: `ports[2]` → line 12. */
export type PolicyLines = Map<string, number>;
