import { z } from 'zod';

/**
 * The parts of a finding that do not depend on which finding types exist: severities, evidence and
 * remediation. Split from report-schema.ts so the check modules (checks/) can use them without a cycle.
 */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);

export const ProcessEvidence = z.object({
  pid: z.number().int(),
  name: z.string(),
  command: z.string(),
  user: z.string(),
  /** /proc/PID/exe target, without the " (deleted)" suffix. */
  exe: z.string().optional(),
  exeDeleted: z.boolean().optional(),
  /** systemd unit from /proc/PID/cgroup. */
  unit: z.string().optional(),
  userUnit: z.boolean().optional(),
});

export const SocketEvidence = z.object({
  protocol: z.enum(['tcp', 'udp']),
  address: z.string(),
  port: z.number().int(),
  exposure: z.enum(['loopback', 'all-interfaces', 'interface']),
  dualStack: z.boolean().optional(),
  interface: z.string().optional(),
});

export const ScanEvidence = z.object({
  address: z.string(),
  state: z.string(),
  reason: z.string(),
});

/** The firewall rule that decides a new connection from outside to the port (docs/firewall.md). */
export const FirewallRuleEvidence = z.object({
  backend: z.string(),
  family: z.string(),
  table: z.string(),
  chain: z.string(),
  handle: z.number().int().optional(),
  line: z.number().int().optional(),
  text: z.string(),
  comment: z.string().optional(),
  ufwNumber: z.number().int().optional(),
});

export const FirewallHints = z.object({
  nftables: z.string(),
  iptables: z.string(),
  ufw: z.string(),
  firewalld: z.string(),
});

export const RemediationSchema = z.object({
  /** One sentence a person can act on. */
  summary: z.string(),
  /** Concrete commands or edits, most specific first. */
  steps: z.array(z.string()),
  unit: z.string().optional(),
  config: z.object({ file: z.string(), directive: z.string() }).optional(),
  firewall: FirewallHints.optional(),
});

export type Severity = z.infer<typeof SeveritySchema>;
export type Remediation = z.infer<typeof RemediationSchema>;
export type ProcessFacts = z.infer<typeof ProcessEvidence>;
export type ScanFact = z.infer<typeof ScanEvidence>;
export type FirewallRuleFact = z.infer<typeof FirewallRuleEvidence>;

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
