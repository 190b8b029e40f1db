import type { AuditReportDoc as AuditReport } from '../model/index.js';
import { xmlAttr } from './xml-escape.js';

/**
 * JUnit XML as CI systems read it (the de-facto schema of Ant's JUnit report, as used by Jenkins, GitLab
 * and GitHub test reporters): one testsuite per host, one testcase per finding (a failure at or above
 * --fail-on, otherwise a passed case with the finding in system-out), one passing case for a clean host.
 */
export function renderAuditJunit(report: AuditReport): string {
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  const failOn = rank.indexOf(report.summary.failOn);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = report.findings.filter((f) => rank.indexOf(f.severity) >= failOn).length;
  const hosts = report.hosts.length > 0 ? report.hosts.map((h) => h.host) : ['local'];
  const tests = hosts.reduce((n, h) => n + Math.max(report.findings.filter((f) => f.host === h).length, 1), 0);
  out.push(`<testsuites name="portscope audit" tests="${tests}" failures="${failures}" errors="0" timestamp="${xmlAttr(report.generatedAt)}">`);
  for (const host of hosts) {
    const findings = report.findings.filter((f) => f.host === host);
    const fails = findings.filter((f) => rank.indexOf(f.severity) >= failOn).length;
    out.push(`  <testsuite name="${xmlAttr(`audit ${host}`)}" tests="${Math.max(findings.length, 1)}" failures="${fails}" errors="0" skipped="0">`);
    if (findings.length === 0) out.push(`    <testcase classname="${xmlAttr(`portscope.audit.${host}`)}" name="no findings"/>`);
    for (const f of findings) {
      out.push(`    <testcase classname="${xmlAttr(`portscope.audit.${host}`)}" name="${xmlAttr(`${f.type} ${f.protocol}/${f.port}`)}">`);
      const detail = [
        f.title,
        ...f.evidence.scan.map((s) => `scan ${s.address}: ${s.state} (${s.reason})`),
        ...f.evidence.processes.map((p) => `process ${p.name}[${p.pid}] user ${p.user}`),
        `fix: ${f.remediation.summary}`,
        ...f.remediation.steps.map((s) => `  - ${s}`),
      ].join('\n');
      if (rank.indexOf(f.severity) >= failOn) out.push(`      <failure type="${xmlAttr(f.type)}" message="${xmlAttr(`[${f.severity}] ${f.title}`)}">${xmlAttr(detail)}</failure>`);
      else out.push(`      <system-out>${xmlAttr(detail)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
