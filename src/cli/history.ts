/** `portscope history [--db PATH] [--json] [TARGET]`. */
import { auditHistory, escapeTerminalText, history, OptionError, type AuditListing, type HistoryResult, type PortTimeline } from '../entry/history.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { HISTORY_COMMAND } from './store-options.js';

export async function runHistory(argv: string[], io: CliIO): Promise<number> {
  const cli = parseCommandLine(HISTORY_COMMAND, argv);
  const positional = cli.operands;
  if (cli.help) {
    io.stdout.write(renderHelp(HISTORY_COMMAND));
    return 0;
  }
  if (positional.length > 1) throw new OptionError('history takes at most one TARGET');
  const opts: Parameters<typeof history>[0] = { env: io.env };
  if (cli.db !== undefined) opts.db = cli.db;
  if (cli.audits) {
    if (positional.length > 0) throw new OptionError('history --audits takes no TARGET');
    const r = await auditHistory(opts);
    io.stdout.write(cli.json ? JSON.stringify(r, null, 2) + '\n' : formatAuditHistory(r));
    return 0;
  }
  if (positional[0] !== undefined) opts.target = positional[0];
  const result = await history(opts);
  io.stdout.write(cli.json ? JSON.stringify(result, null, 2) + '\n' : formatHistory(result, opts.target));
  return 0;
}

const when = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** File names, command lines, states and services come from imported files: every cell is escaped. */
function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map((c) => escapeTerminalText(c)));
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatHistory(r: HistoryResult, target?: string): string {
  let out = `History database: ${escapeTerminalText(r.db)}\n\n`;
  if (target !== undefined && (!r.hosts || r.hosts.length === 0)) return out + `No stored scan includes ${escapeTerminalText(target)}.\n`;
  if (r.scans.length === 0) return out + 'No scans stored yet (portscope scan --save …, portscope import FILE, portscope watch …).\n';
  out += table([
    ['ID', 'STARTED (UTC)', 'SOURCE', 'UP/HOSTS', 'OPEN', 'COMMAND'],
    ...r.scans.map((s) => [String(s.id), when(s.startedAt), s.source + (s.interrupted ? '*' : ''), `${s.hostsUp}/${s.hostsTotal}`, String(s.openPorts), s.file ?? s.args]),
  ]);
  if (r.scans.some((s) => s.interrupted)) out += '* interrupted: results are partial\n';
  for (const h of r.hosts ?? []) {
    out += `\n${escapeTerminalText(h.address)}:\n`;
    if (h.ports.length === 0) {
      out += '  no port was ever seen open\n';
      continue;
    }
    out += table([['PORT', 'STATE', 'SERVICE', 'FIRST SEEN', 'LAST SEEN', 'CHANGES'], ...h.ports.map(portRow)]);
  }
  return out;
}

export function formatAuditHistory(r: { db: string; audits: AuditListing[] }): string {
  const out = `History database: ${escapeTerminalText(r.db)}\n\n`;
  if (r.audits.length === 0) return out + 'No audits stored yet (portscope audit --save …).\n';
  const rows = r.audits.map((a) => {
    const c = a.bySeverity;
    return [
      String(a.id),
      when(a.startedAt),
      a.policyPath ?? '-',
      a.targets.join(',') || '-',
      String(a.total) + (a.failed ? '!' : ''),
      String(c.critical),
      String(c.high),
      String(c.medium),
      String(c.low),
      String(c.info),
      a.scanId !== undefined ? `#${a.scanId}` : '-',
    ];
  });
  let text = out + table([['ID', 'STARTED (UTC)', 'POLICY', 'HOSTS', 'FINDINGS', 'CRIT', 'HIGH', 'MED', 'LOW', 'INFO', 'SCAN'], ...rows]);
  if (r.audits.some((a) => a.failed)) text += '! at or above --fail-on (the audit exited 1)\n';
  return text;
}

function portRow(p: PortTimeline): string[] {
  const seen = (s: PortTimeline['firstSeen']): string => (s ? `#${s.scanId} ${when(s.at)}` : '-');
  const changes = p.changes.map((c) => `#${c.scanId} ${c.from}->${c.to}`).join(', ');
  return [`${p.port}/${p.protocol}`, p.current.state, p.service ?? '', seen(p.firstSeen), seen(p.lastSeen), changes || '-'];
}
