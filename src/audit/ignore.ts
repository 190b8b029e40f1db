import { cidrContains, parseCidr } from './cidr.js';
import type { Policy, PolicyLines } from './policy-schema.js';
import type { AuditReport, Finding } from './report-schema.js';

export interface IgnoreOutcome {
  findings: Finding[];
  ignored: AuditReport['ignored'];
  expiredIgnores: AuditReport['expiredIgnores'];
}

/**
 * Apply the policy's ignore rules. A rule applies through the whole of its `expires` day (UTC); from the
 * next day on it no longer hides anything and is listed in `expiredIgnores`, so an exception cannot
 * silently become permanent.
 */
export function applyIgnores(findings: Finding[], policy: Policy, lines: PolicyLines, now: Date): IgnoreOutcome {
  const today = now.toISOString().slice(0, 10);
  const active = policy.ignore.map((rule, i) => ({ rule, path: `ignore[${i}]`, expired: rule.expires < today }));
  const out: IgnoreOutcome = { findings: [], ignored: [], expiredIgnores: [] };
  for (const a of active) {
    if (!a.expired) continue;
    const line = lines.get(a.path);
    out.expiredIgnores.push({ rule: a.path, ...(line === undefined ? {} : { line }), reason: a.rule.reason, expires: a.rule.expires });
  }
  for (const f of findings) {
    const hit = active.find(
      ({ rule, expired }) =>
        !expired && (rule.finding === undefined || rule.finding === f.type) && (rule.port === undefined || rule.port === f.port) && (rule.protocol === undefined || rule.protocol === f.protocol) && hostMatches(rule.host, f.host),
    );
    if (hit) out.ignored.push({ finding: f, reason: hit.rule.reason, expires: hit.rule.expires, rule: hit.path });
    else out.findings.push(f);
  }
  return out;
}

function hostMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined || pattern === host) return true;
  if (host === 'local') return false;
  const cidr = parseCidr(pattern);
  return cidr !== null && cidrContains(cidr, host);
}
