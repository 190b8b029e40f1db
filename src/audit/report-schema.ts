import { z } from 'zod';
import type { AuditReportDoc } from '../model/index.js';
import { FindingTypeSchema } from './checks/index.js';
import { ProcessEvidence, RemediationSchema, ScanEvidence, SeveritySchema, SocketEvidence, FirewallRuleEvidence } from './evidence-schema.js';

export { RemediationSchema, SEVERITIES, SeveritySchema, severityRank, type ProcessFacts, type Remediation, type ScanFact, type Severity } from './evidence-schema.js';

/**
 * The audit report: what every output renders and what `--format json` writes. Generated JSON Schema:
 * docs/schema/audit.schema.json (json-schemas.ts); keep docs/audit.md in step.
 */

export const FindingSchema = z.object({
  /** Stable across runs: type, host, protocol and port (and address when the finding is about one). */
  id: z.string(),
  type: FindingTypeSchema,
  severity: SeveritySchema,
  title: z.string(),
  host: z.string(),
  protocol: z.enum(['tcp', 'udp']),
  port: z.number().int(),
  evidence: z.object({
    sockets: z.array(SocketEvidence),
    processes: z.array(ProcessEvidence),
    scan: z.array(ScanEvidence),
    /** The policy rule involved, as `ports[2]` with its line, when one is. */
    rule: z.object({ path: z.string(), line: z.number().int().optional(), to: z.array(z.string()) }).optional(),
    /** Firewall frameworks found on this machine (nftables, iptables, ufw, firewalld). */
    firewalls: z.array(z.string()).optional(),
    /** The firewall's decision for a new connection from outside (IPv4 first), and its deciding rule. */
    firewall: z.object({ verdict: z.string(), predicted: z.string(), rule: FirewallRuleEvidence.nullable() }).optional(),
  }),
  remediation: RemediationSchema,
});

export const AuditReportSchema = z.object({
  tool: z.literal('portscope'),
  version: z.string(),
  generatedAt: z.string(),
  policy: z.object({ path: z.string().nullable() }),
  hosts: z.array(
    z.object({
      host: z.string(),
      kind: z.enum(['local', 'remote']),
      inside: z.boolean(),
      outside: z.object({ addresses: z.array(z.string()), ports: z.number().int(), from: z.enum(['this-machine', 'scanner', 'none']) }),
    }),
  ),
  findings: z.array(FindingSchema),
  ignored: z.array(z.object({ finding: FindingSchema, reason: z.string(), expires: z.string(), rule: z.string() })),
  expiredIgnores: z.array(z.object({ rule: z.string(), line: z.number().int().optional(), reason: z.string(), expires: z.string() })),
  /** What the views could not see (e.g. an outside scan from inside the machine passes its own firewall differently). */
  limits: z.array(z.string()),
  summary: z.object({
    total: z.number().int(),
    bySeverity: z.record(SeveritySchema, z.number().int()),
    failOn: SeveritySchema,
    failed: z.boolean(),
  }),
});

export type Finding = z.infer<typeof FindingSchema>;
export type AuditReport = z.infer<typeof AuditReportSchema>;

// The renderers in output/ take model/'s plain types: a report of this schema must fit them (compile-time check).
const fitsModel = (r: AuditReport): AuditReportDoc => r;
void fitsModel;
