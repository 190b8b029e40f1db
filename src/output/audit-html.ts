import type { AuditFinding as Finding, AuditReportDoc as AuditReport, FindingDoc } from '../model/index.js';

/**
 * The audit as one self-contained HTML file: inline CSS, no scripts, fonts, images or links to fetch, so it
 * can be mailed or attached to a CI run and opened anywhere. Every value from the report goes through
 * `esc` (process names, command lines and policy reasons are attacker-influenced text).
 */
/** `docs`: each finding type's description (the check table's FINDING_DOCS, exported by the library). */
export function renderAuditHtml(report: AuditReport, docs: Readonly<Record<string, FindingDoc>>): string {
  const s = report.summary;
  const title = `portscope audit — ${s.total} finding${s.total === 1 ? '' : 's'}`;
  const body: string[] = [];
  body.push(`<header><h1>${esc(title)}</h1><p class="meta">portscope ${esc(report.version)} · ${esc(report.generatedAt)} · policy ${esc(report.policy.path ?? '(none)')}</p>`);
  body.push(`<p class="verdict ${s.failed ? 'fail' : 'pass'}">${s.failed ? 'FAILED' : 'PASSED'}: fail on ${esc(s.failOn)} and above</p>`);
  body.push('<ul class="counts">', ...(['critical', 'high', 'medium', 'low', 'info'] as const).map((k) => `<li class="sev-${k}">${esc(k)} <b>${s.bySeverity[k] ?? 0}</b></li>`), '</ul></header>');
  body.push('<section><h2>Hosts</h2><table><thead><tr><th>host</th><th>inside view</th><th>outside view</th></tr></thead><tbody>');
  for (const h of report.hosts) {
    body.push(
      `<tr><td>${esc(h.host)}</td><td>${h.inside ? 'listening sockets' : '—'}</td><td>${h.outside.from === 'none' ? 'none' : esc(`${h.outside.ports} tcp ports at ${h.outside.addresses.join(', ')}${h.outside.from === 'this-machine' ? ' (from this machine)' : ''}`)}</td></tr>`,
    );
  }
  body.push('</tbody></table></section>');
  body.push('<section><h2>Findings</h2>');
  if (report.findings.length === 0) body.push('<p class="clean">No findings.</p>');
  for (const f of report.findings) body.push(findingHtml(f, docs));
  body.push('</section>');
  if (report.ignored.length > 0) {
    body.push('<section><h2>Ignored</h2><ul>', ...report.ignored.map((i) => `<li><code>${esc(i.finding.id)}</code>: ${esc(i.reason)} (until ${esc(i.expires)}, ${esc(i.rule)})</li>`), '</ul></section>');
  }
  if (report.expiredIgnores.length > 0) {
    body.push('<section><h2>Expired ignore rules</h2><ul>', ...report.expiredIgnores.map((e) => `<li>${esc(e.rule)}${e.line ? ` (line ${e.line})` : ''}: expired ${esc(e.expires)}: ${esc(e.reason)}</li>`), '</ul></section>');
  }
  if (report.limits.length > 0) body.push('<section><h2>Limits of this audit</h2><ul>', ...report.limits.map((l) => `<li>${esc(l)}</li>`), '</ul></section>');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

function findingHtml(f: Finding, docs: Readonly<Record<string, FindingDoc>>): string {
  const ev = f.evidence;
  const rows: string[] = [];
  for (const s of ev.sockets) rows.push(`<tr><th>socket</th><td><code>${esc(`${s.protocol} ${s.address}:${s.port}`)}</code> ${esc(s.exposure)}${s.interface ? ` (${esc(s.interface)})` : ''}</td></tr>`);
  for (const p of ev.processes)
    rows.push(
      `<tr><th>process</th><td><code>${esc(`${p.name}[${p.pid}]`)}</code> user ${esc(p.user || '?')}${p.unit ? ` · unit <code>${esc(p.unit)}</code>` : ''}${p.exeDeleted ? ` · exe <code>${esc(p.exe ?? '')}</code> <b>(deleted)</b>` : ''}<br><small>${esc(p.command)}</small></td></tr>`,
    );
  for (const s of ev.scan) rows.push(`<tr><th>scan</th><td>${esc(`${s.address} ${f.protocol}/${f.port}`)}: <b>${esc(s.state)}</b> (${esc(s.reason)})</td></tr>`);
  if (ev.rule) rows.push(`<tr><th>policy</th><td>${esc(ev.rule.path)}${ev.rule.line ? ` (line ${ev.rule.line})` : ''}: to ${esc(ev.rule.to.join(', '))}</td></tr>`);
  if (ev.firewalls?.length) rows.push(`<tr><th>firewall</th><td>${esc(ev.firewalls.join('; '))}</td></tr>`);
  const fw = f.remediation.firewall;
  return `<article class="finding sev-${esc(f.severity)}" id="${esc(f.id)}">
<h3><span class="badge">${esc(f.severity)}</span> ${esc(f.title)}</h3>
<p class="type">${esc(f.type)} — ${esc(docs[f.type]?.short ?? f.type)} · <code>${esc(f.id)}</code></p>
<table class="evidence"><tbody>${rows.join('')}</tbody></table>
<div class="fix"><p><b>Fix:</b> ${esc(f.remediation.summary)}</p><ul>${f.remediation.steps.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
${fw ? `<details><summary>firewall rules</summary><dl>${(Object.keys(fw) as (keyof typeof fw)[]).map((k) => `<dt>${esc(k)}</dt><dd><code>${esc(fw[k])}</code></dd>`).join('')}</dl></details>` : ''}</div>
</article>`;
}

/** HTML text and attribute escaping (the five characters with meaning in HTML; quotes for attributes). */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1.5rem;color:#1b1f24;background:#fafafa}
h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:0 0 .3rem}.meta,.type{color:#57606a;margin:.2rem 0}code{font:13px ui-monospace,monospace;word-break:break-all}
.verdict{font-weight:700;padding:.3rem .6rem;display:inline-block;border-radius:4px}.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#a40e26}
.counts{list-style:none;padding:0;display:flex;gap:.5rem;flex-wrap:wrap}.counts li{padding:.2rem .6rem;border-radius:4px;background:#eee}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.evidence th{width:6rem;color:#57606a;font-weight:600}
.finding{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:.8rem 1rem;margin:.8rem 0}
.badge{text-transform:uppercase;font-size:.75rem;padding:.1rem .4rem;border-radius:3px;background:#999;color:#fff;vertical-align:middle}
.sev-critical{border-left-color:#6e0b0b}.sev-critical .badge{background:#6e0b0b}.sev-high{border-left-color:#cf222e}.sev-high .badge{background:#cf222e}
.sev-medium{border-left-color:#bf8700}.sev-medium .badge{background:#bf8700}.sev-low{border-left-color:#0969da}.sev-low .badge{background:#0969da}
.fix ul{margin:.2rem 0 .4rem 1.2rem;padding:0}.clean{color:#116329;font-weight:600}dt{font-weight:600}dd{margin:0 0 .3rem 1rem}
`;
