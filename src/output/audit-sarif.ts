import type { AuditFinding as Finding, AuditReportDoc as AuditReport, FindingDoc, Severity } from '../model/index.js';

/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html): one run, one
 * reportingDescriptor per finding type (§3.49), one result per finding (§3.27) located at the policy rule
 * that applies (§3.28–3.30) or at the policy file, and a logical location `host:proto/port`. The
 * `security-severity` rule property is GitHub code scanning's ranking (a number as text, 0–10).
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** `docs`: each finding type's description (the check table's FINDING_DOCS, exported by the library). */
export function renderAuditSarif(report: AuditReport, docs: Readonly<Record<string, FindingDoc>>): string {
  const types = Object.keys(docs);
  const rules = types.map((t) => ({
    id: t,
    name: t.replace(/(^|-)(\w)/g, (_, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: docs[t]!.short },
    fullDescription: { text: docs[t]!.full },
    help: { text: docs[t]!.full },
    defaultConfiguration: { level: LEVEL[docs[t]!.severity] },
    properties: { tags: ['security', 'network'], 'security-severity': SCORE[docs[t]!.severity] },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'portscope', semanticVersion: report.version, version: report.version, rules } },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        ...(report.policy.path ? { artifacts: [{ location: { uri: toUri(report.policy.path) } }] } : {}),
        results: report.findings.map((f) => result(f, types.indexOf(f.type), report.policy.path)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(f: Finding, ruleIndex: number, policyPath: string | null): Record<string, unknown> {
  const text = `${f.title}. ${f.remediation.summary}`;
  const logical = [{ name: `${f.host}:${f.protocol}/${f.port}`, fullyQualifiedName: `${f.host}:${f.protocol}/${f.port}`, kind: 'resource' }];
  const physical = policyPath ? { physicalLocation: { artifactLocation: { uri: toUri(policyPath), index: 0 }, region: { startLine: f.evidence.rule?.line ?? 1 } } } : {};
  return {
    ruleId: f.type,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [{ ...physical, logicalLocations: logical }],
    partialFingerprints: { 'portscopeFinding/v1': f.id },
    properties: { severity: f.severity, evidence: f.evidence, remediation: f.remediation },
  };
}

/** A relative URI reference for a file path (RFC 3986: percent-encode what is not a path character). */
function toUri(path: string): string {
  return path.split('/').map((seg) => encodeURIComponent(seg)).join('/');
}
