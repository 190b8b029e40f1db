import type { ExplainedPort, ExplainResult, FirewallRuleRef as RuleRef } from '../model/index.js';
import { oneLine } from './text.js';

/** Terminal-safe: C0/C1 controls and bidi overrides of rule comments or process names become \xNN/\uNNNN. */
function safe(text: string): string {
  return oneLine(text).replace(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Where a rule is: `inet t input #11`, `ip filter INPUT line 27`, plus ufw's number. */
export function ruleLocation(r: RuleRef): string {
  const at = r.handle !== undefined ? `handle ${r.handle}` : r.line !== undefined ? `line ${r.line}` : '';
  return `${r.backend} ${r.family} ${r.table} ${r.chain} ${at}${r.ufwNumber !== undefined ? ` (ufw rule [${r.ufwNumber}])` : ''}`.trim();
}

function decidedBy(p: ExplainedPort): string {
  if (p.rule) return `${ruleLocation(p.rule)}: ${p.rule.text}${p.rule.comment ? ` # ${p.rule.comment}` : ''}`;
  if (p.policy) return `policy ${p.policy.policy} of ${p.policy.family} ${p.policy.table} ${p.policy.chain}`;
  return 'no rule (nothing filters)';
}

export function renderExplainText(r: ExplainResult): string {
  const lines: string[] = [];
  for (const p of r.ports) {
    const who = p.processes?.map((x) => `${x.name}[${x.pid}]${x.unit ? ` ${x.unit}` : ''}`).join(', ');
    const head = `${p.port}/${p.protocol} ${p.family}${p.address ? ` ${p.address}` : ''}${who ? ` ${who}` : ''}`;
    const verdict = p.verdict === 'reject' ? `reject with ${p.rejectWith}` : p.verdict;
    let line = `${head}: ${verdict} → ${p.predicted} (${p.reason})`;
    if (p.observed) line += p.mismatch ? `  OBSERVED ${p.observed.state} (${p.observed.reason}) ≠ predicted` : '  observed: same';
    lines.push(safe(line));
    if (p.nat) lines.push(safe(`    via ${p.nat.addr ? `DNAT to ${p.nat.addr}:` : 'redirect to :'}${p.nat.port} (${ruleLocation(p.nat.rule)})`));
    lines.push(safe(`    decided by ${decidedBy(p)}`));
    if (p.note) lines.push(safe(`    ${p.note}`));
  }
  if (r.ports.length === 0) lines.push('nothing listens and no ports were given (-p)');
  const mism = r.ports.filter((p) => p.mismatch).length;
  const managed = managedBy(r);
  lines.push(
    `${r.ports.length} port${r.ports.length === 1 ? '' : 's'} explained from ${r.sources.map(safe).join(', ') || 'an empty ruleset'}${r.iface ? `, arriving on ${safe(r.iface)}` : ''}${r.from ? `, from ${r.from}` : ''}${managed.length ? `; managed by ${managed.join(' and ')}` : ''}${mism ? `; ${mism} observed ≠ predicted` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The firewall managers whose own commands change these rules (`portscope close` prints them). */
function managedBy(r: ExplainResult): string[] {
  return [...(r.ufwEnabled ? ['ufw'] : []), ...(r.firewalld ? ['firewalld'] : [])];
}

/** The JSON form (docs/schema/explain.schema.json): `{"ports": [...], "sources": [...]}`. */
export function renderExplainJson(r: ExplainResult): string {
  // One port per line: readable, diffable, and 65,535 rows stay cheap to write.
  const meta = JSON.stringify({ sources: r.sources, ...(r.iface ? { iface: r.iface } : {}), ...(r.from ? { from: r.from } : {}), ...(managedBy(r).length ? { managedBy: managedBy(r) } : {}) }).slice(1, -1);
  return `{"ports":[${r.ports.length ? '\n' : ''}${r.ports.map((p) => JSON.stringify(p)).join(',\n')}],\n${meta}}\n`;
}
