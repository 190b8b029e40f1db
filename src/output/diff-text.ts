/**
 * The readable diff, in the spirit of ndiff's text output: `+` new, `-` gone, `~` changed, one line per
 * port, grouped by host.
 */
import { escapeTerminalText, type PortChange, type PortView, type ScanDiff, type ScanRef } from '../model/index.js';

export function formatDiffText(d: ScanDiff): string {
  const lines = [`portscope diff ${describe(d.a)} -> ${describe(d.b)}`, ''];
  if (!d.changed) {
    lines.push('No changes.');
    return safe(lines);
  }
  for (const h of d.hosts) {
    const name = h.hostname ? `${h.address} (${h.hostname})` : h.address;
    const what = h.kind === 'new' ? ' new host' : h.kind === 'gone' ? ` host gone${h.statusAfter ? ` (now ${h.statusAfter})` : ''}` : '';
    lines.push(`${name}:${what}`);
    const rows = h.ports.map(portRow);
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`.trimEnd());
    lines.push('');
  }
  const c = d.counts;
  const parts = [`${c.portsNew} new`, `${c.portsGone} gone`, `${c.portsChanged} changed`];
  lines.push(`${d.hosts.length} ${d.hosts.length === 1 ? 'host' : 'hosts'} changed (${c.hostsNew} new, ${c.hostsGone} gone); ports: ${parts.join(', ')}`);
  return safe(lines);
}

/** Everything in a diff comes from files or stored scans (banners, names, states): each line escaped. */
function safe(lines: string[]): string {
  return lines.map((l) => escapeTerminalText(l)).join('\n') + '\n';
}

function portRow(p: PortChange): string[] {
  const sign = p.kind === 'new' ? '+' : p.kind === 'gone' ? '-' : '~';
  const spec = `${sign} ${p.port}/${p.protocol}`;
  if (p.kind === 'new') return [spec, p.after!.state, serviceCol(p.after), `new${p.before ? ` (was ${p.before.state})` : ''}`];
  if (p.kind === 'gone') return [spec, p.before!.state, serviceCol(p.before), `gone${p.after ? ` (now ${p.after.state})` : ' (not scanned)'}`];
  const changes = p.fields.map((f) => {
    if (f === 'state') return `state ${p.before!.state} -> ${p.after!.state}`;
    const get = (v: PortView | undefined): string => (f === 'service' ? v?.service : v?.[f as 'product' | 'version' | 'extrainfo']) ?? '-';
    return `${f} ${get(p.before)} -> ${get(p.after)}`;
  });
  return [spec, p.after!.state, serviceCol(p.after), `changed: ${changes.join('; ')}`];
}

function serviceCol(v: PortView | undefined): string {
  const ver = versionString(v);
  return [v?.service ?? '', ver].filter(Boolean).join(' ');
}

function describe(r: ScanRef): string {
  return `${r.label} (${new Date(r.startedAt).toISOString().replace(/\.\d+Z$/, 'Z')})`;
}

/** `nginx 1.22 (Debian)`: product, version and extra info as nmap's VERSION column. */
export function versionString(v: PortView | undefined): string {
  if (!v) return '';
  return [v.product, v.version, v.extrainfo ? `(${v.extrainfo})` : undefined].filter(Boolean).join(' ');
}
