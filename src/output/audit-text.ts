import type { AuditReportDoc as AuditReport, AuditFinding as Finding } from '../model/index.js';
import { escapeTerminalText } from '../model/index.js';

/** The readable report: findings by severity with evidence and the first remediation steps. */
export function renderAuditText(report: AuditReport): string {
  const out: string[] = [];
  out.push(`portscope ${report.version} audit at ${report.generatedAt}${report.policy.path ? ` against ${report.policy.path}` : ' (no policy: everything open is a finding)'}`);
  for (const h of report.hosts) {
    const outside = h.outside.from === 'none' ? 'no outside view' : `outside: ${h.outside.ports} tcp ports at ${h.outside.addresses.join(', ')}${h.outside.from === 'this-machine' ? ' (scanned from this machine)' : ''}`;
    out.push(`host ${h.host}: ${h.inside ? 'inside view (listening sockets), ' : ''}${outside}`);
  }
  out.push('');
  if (report.findings.length === 0) out.push('No findings.');
  for (const f of report.findings) out.push(...findingLines(f), '');
  if (report.ignored.length > 0) {
    out.push(`Ignored (${report.ignored.length}):`);
    for (const i of report.ignored) out.push(`  ${i.finding.id}: ${i.reason} (until ${i.expires}, ${i.rule})`);
    out.push('');
  }
  if (report.expiredIgnores.length > 0) {
    out.push('Expired ignore rules (no longer applied):');
    for (const e of report.expiredIgnores) out.push(`  ${e.rule}${e.line ? ` (line ${e.line})` : ''}: expired ${e.expires}: ${e.reason}`);
    out.push('');
  }
  if (report.limits.length > 0) {
    out.push('Limits of this audit:');
    for (const l of report.limits) out.push(`  - ${l}`);
    out.push('');
  }
  const s = report.summary;
  const counts = (['critical', 'high', 'medium', 'low', 'info'] as const).filter((k) => s.bySeverity[k]).map((k) => `${s.bySeverity[k]} ${k}`);
  out.push(`${s.total} finding${s.total === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''}; fail on ${s.failOn} and above: ${s.failed ? 'FAILED' : 'passed'}`);
  // Process names, paths, policy reasons and titles are untrusted: each line is escaped as a whole.
  return `${out.map((l) => escapeTerminalText(l)).join('\n')}\n`;
}

function findingLines(f: Finding): string[] {
  const lines = [`[${f.severity.toUpperCase()}] ${f.type}: ${f.title}`];
  const ev = f.evidence;
  for (const s of ev.sockets) lines.push(`    socket   ${s.protocol} ${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port} (${s.exposure}${s.interface ? ` ${s.interface}` : ''})`);
  for (const p of ev.processes) lines.push(`    process  ${p.name}[${p.pid}] user ${p.user || '?'}${p.unit ? ` unit ${p.unit}` : ''}${p.exeDeleted ? ` exe ${p.exe} (deleted)` : ''}`);
  for (const s of ev.scan) lines.push(`    scan     ${s.address} ${f.protocol}/${f.port} ${s.state} (${s.reason})`);
  if (ev.rule) lines.push(`    policy   ${ev.rule.path}${ev.rule.line ? ` (line ${ev.rule.line})` : ''}: to ${ev.rule.to.join(', ')}`);
  if (ev.firewalls && ev.firewalls.length > 0) lines.push(`    firewall ${ev.firewalls.join('; ')}`);
  lines.push(`    fix      ${f.remediation.summary}`);
  for (const step of f.remediation.steps) lines.push(`             - ${step}`);
  return lines;
}
