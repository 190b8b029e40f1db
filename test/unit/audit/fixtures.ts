import { SEVERITIES, type AuditReport, type Finding } from '../../../src/audit/report-schema.js';

/** A finding with hostile text in every free-form field (HTML, XML, quotes, control characters). */
export function hostileFinding(overrides: Partial<Finding> = {}): Finding {
  const evil = `<script>alert("x")</script> & ' \u0001 ]]> --`;
  return {
    id: 'open-not-allowed:local:tcp/8080',
    type: 'open-not-allowed',
    severity: 'high',
    title: `tcp/8080 is listening but not in the policy ${evil}`,
    host: 'local',
    protocol: 'tcp',
    port: 8080,
    evidence: {
      sockets: [{ protocol: 'tcp', address: '0.0.0.0', port: 8080, exposure: 'all-interfaces' }],
      processes: [{ pid: 42, name: `evil${evil}`, command: `/tmp/x ${evil}`, user: 'app', exe: `/tmp/${evil}`, exeDeleted: true, unit: 'app.service' }],
      scan: [{ address: '192.0.2.2', state: 'open', reason: 'syn-ack' }],
      rule: { path: 'ports[1]', line: 7, to: ['loopback'] },
    },
    remediation: { summary: `stop it ${evil}`, steps: [`kill 42 ${evil}`], firewall: { nftables: 'nft …', iptables: 'iptables …', ufw: 'ufw deny 8080/tcp', firewalld: 'firewall-cmd …' } },
    ...overrides,
  };
}

export function report(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  return {
    tool: 'portscope',
    version: '0.1.0',
    generatedAt: '2026-11-25T12:00:00.000Z',
    policy: { path: 'policies/my policy.yaml' },
    hosts: [{ host: 'local', kind: 'local', inside: true, outside: { addresses: ['192.0.2.2'], ports: 1000, from: 'this-machine' } }],
    findings,
    ignored: [],
    expiredIgnores: [{ rule: 'ignore[0]', line: 12, reason: 'old <b>exception</b>', expires: '2020-01-01' }],
    limits: ['scanned from this machine'],
    summary: { total: findings.length, bySeverity: Object.fromEntries(SEVERITIES.map((sev) => [sev, findings.filter((f) => f.severity === sev).length])) as AuditReport['summary']['bySeverity'], failOn: 'low', failed: findings.length > 0 },
    ...extra,
  };
}
