/**
 * The audit report as plain types: what every audit output renders (output/ depends on model/ only). The
 * zod schema that validates and documents it is audit/report-schema.ts, which checks at compile time that
 * its inferred types fit these.
 */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface FindingProcess {
  pid: number;
  name: string;
  command: string;
  user: string;
  exe?: string | undefined;
  exeDeleted?: boolean | undefined;
  unit?: string | undefined;
  userUnit?: boolean | undefined;
}

export interface FindingSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  exposure: 'loopback' | 'all-interfaces' | 'interface';
  dualStack?: boolean | undefined;
  interface?: string | undefined;
}

export interface FindingScanFact {
  address: string;
  state: string;
  reason: string;
}

export interface FindingRemediation {
  summary: string;
  steps: string[];
  unit?: string | undefined;
  config?: { file: string; directive: string } | undefined;
  firewall?: { nftables: string; iptables: string; ufw: string; firewalld: string } | undefined;
}

export interface AuditFinding {
  id: string;
  /** One of the check table's types (audit/checks/index.ts). */
  type: string;
  severity: Severity;
  title: string;
  host: string;
  protocol: 'tcp' | 'udp';
  port: number;
  evidence: {
    sockets: FindingSocket[];
    processes: FindingProcess[];
    scan: FindingScanFact[];
    rule?: { path: string; line?: number | undefined; to: string[] } | undefined;
    firewalls?: string[] | undefined;
  };
  remediation: FindingRemediation;
}

export interface AuditReportDoc {
  tool: 'portscope';
  version: string;
  generatedAt: string;
  policy: { path: string | null };
  hosts: { host: string; kind: 'local' | 'remote'; inside: boolean; outside: { addresses: string[]; ports: number; from: 'this-machine' | 'scanner' | 'none' } }[];
  findings: AuditFinding[];
  ignored: { finding: AuditFinding; reason: string; expires: string; rule: string }[];
  expiredIgnores: { rule: string; line?: number | undefined; reason: string; expires: string }[];
  limits: string[];
  summary: { total: number; bySeverity: Record<Severity, number>; failOn: Severity; failed: boolean };
}

/** How a finding type describes itself (SARIF rules, the HTML legend): from the check table. */
export interface FindingDoc {
  short: string;
  full: string;
  severity: Severity;
}
