/** `diff --audit` as text and JSON: pure renderers of history/diff-audit.ts's AuditDiff. */
import { escapeTerminalText, type AuditDiff, type AuditFindingChange, type AuditSide } from '../model/index.js';

const MARK: Record<AuditFindingChange, string> = { new: '+', resolved: '-', changed: '~', unchanged: ' ' };

export function formatAuditDiffText(d: AuditDiff): string {
  // Titles, hosts and policy paths come from stored audits: every piece is escaped, as in every text renderer.
  const name = (s: AuditSide): string => `audit #${s.id ?? '?'} (${s.at.replace(/\.\d{3}Z$/, 'Z')}${s.policyPath ? `, policy ${escapeTerminalText(s.policyPath)}` : ', no policy'})`;
  let out = `portscope diff ${name(d.a)} -> ${name(d.b)}\n`;
  if (d.policyChanged) out += `note: the policy differs between the two audits (sha256 ${short(d.a.policyHash)} -> ${short(d.b.policyHash)}); some changes may come from the policy\n`;
  out += '\n';
  if (d.findings.length === 0) return out + 'No findings in either audit.\n';
  const rows = d.findings.map((f) => {
    const what = f.kind === 'changed' ? `severity ${f.severityBefore} -> ${f.severity}` : f.kind;
    return [MARK[f.kind], f.severity, f.type, `${f.host} ${f.port}/${f.protocol}`, what, f.title].map((c) => escapeTerminalText(c));
  });
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  out +=
    rows
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n';
  const c = d.counts;
  return out + `\nfindings: ${c.new} new, ${c.resolved} resolved, ${c.changed} changed severity, ${c.unchanged} unchanged\n`;
}

export function formatAuditDiffJson(d: AuditDiff): string {
  return JSON.stringify(d, null, 2) + '\n';
}

const short = (h: string | null): string => (h ? h.slice(0, 12) : 'none');
