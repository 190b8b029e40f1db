/**
 * A stored audit finding as a plain record: what `audit --save` writes, what history loads back and what
 * `diff --audit` compares. `fingerprint` is the report's stable finding id (type, host, protocol, port;
 * docs/audit.md), so the same problem found again matches across runs.
 */

/** A finding's identity and headline: all a diff compares (evidence and remediation take no part). */
export interface AuditFindingSummary {
  fingerprint: string;
  type: string;
  severity: string;
  title: string;
  host: string;
  protocol: string;
  port: number;
}

/** A finding as stored, with the report's evidence and remediation objects kept as they were. */
export interface AuditFindingRecord extends AuditFindingSummary {
  evidence: unknown;
  remediation: unknown;
}
