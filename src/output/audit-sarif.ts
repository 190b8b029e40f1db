import { posix } from 'node:path';
import type { AuditFinding as Finding, AuditReportDoc as AuditReport, FindingDoc, Severity } from '../model/index.js';

/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html): one run, one
 * reportingDescriptor per finding type (§3.49), one result per finding (§3.27) located at the policy rule
 * that applies (§3.28–3.30) or at the policy file, and a logical location `host:proto/port`. The
 * `security-severity` rule property is GitHub code scanning's ranking (a number as text, 0–10).
 *
 * GitHub code scanning drops results it cannot place in a file, so every result has a physicalLocation: the
 * policy file (its rule's line when one applies), a relative path resolved against `%SRCROOT%` (the checkout;
 * §3.4.4 uriBaseId), or DEFAULT_POLICY_URI when the audit ran without a policy (the file `audit --init
 * --policy` would write: adding it is the fix). `automationDetails.id` (§3.17) names the analysis
 * ("portscope/audit/POLICY/"), so code scanning tracks each policy's alerts separately.
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
/** Where results point when no policy was given (docs/audit.md, action.yml's default `policy`). */
export const DEFAULT_POLICY_URI = 'portscope-policy.yaml';
const SRCROOT = '%SRCROOT%';

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
  const artifact = artifactLocation(report.policy.path);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'portscope', semanticVersion: report.version, version: report.version, rules } },
        automationDetails: { id: `portscope/audit/${report.policy.path ? artifact.uri : 'no-policy'}/` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        artifacts: [{ location: artifact }],
        results: report.findings.map((f) => result(f, types.indexOf(f.type), artifact, report.policy.path !== null)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(f: Finding, ruleIndex: number, artifact: ArtifactLocation, hasPolicy: boolean): Record<string, unknown> {
  const text = `${f.title}. ${f.remediation.summary}`;
  const logical = [{ name: `${f.host}:${f.protocol}/${f.port}`, fullyQualifiedName: `${f.host}:${f.protocol}/${f.port}`, kind: 'resource' }];
  const physicalLocation = { artifactLocation: { ...artifact, index: 0 }, region: { startLine: (hasPolicy && f.evidence.rule?.line) || 1 } };
  return {
    ruleId: f.type,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [{ physicalLocation, logicalLocations: logical }],
    partialFingerprints: { 'portscopeFinding/v1': f.id },
    properties: { severity: f.severity, evidence: f.evidence, remediation: f.remediation },
  };
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** The policy file as SARIF names it: relative to %SRCROOT% when given relative, else an absolute file URI. */
function artifactLocation(policyPath: string | null): ArtifactLocation {
  if (policyPath === null || policyPath === '') return { uri: DEFAULT_POLICY_URI, uriBaseId: SRCROOT };
  const path = policyPath;
  if (path.startsWith('/')) return { uri: `file://${toUri(posix.normalize(path))}` };
  return { uri: toUri(posix.normalize(path)), uriBaseId: SRCROOT };
}

/** A relative URI reference for a file path (RFC 3986: percent-encode what is not a path character). */
function toUri(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}
