/** `portscope history [--db PATH] [--json] [TARGET]`. */
import { auditHistory, history, type AuditListing, type HistoryResult, type PortTimeline } from '../api/history.js';
import { escapeTerminalText, OptionError } from '../model/index.js';
import type { CliIO } from './io.js';

const HELP = `Usage: portscope history [--db PATH|postgres://…] [--json] [TARGET]
       portscope history --audits [--db PATH|postgres://…] [--json]

Without TARGET: every stored scan with its id (for portscope diff ID ID).
With TARGET (an address or a stored hostname): per port of that host, when it was first and last seen
open, its current state and every change of state between scans.
With --audits: every stored audit (portscope audit --save) with its id (for portscope diff --audit ID ID),
policy, audited hosts and finding counts by severity.

  --db PATH     history database: a SQLite file or a postgres:// URL
                (default: $PORTSCOPE_DB, else $XDG_DATA_HOME/portscope/history.db, ~/.local/share/…)
  --audits      stored audits instead of scans
  --json        JSON instead of the table
`;

export interface ParsedArgs {
  flags: Map<string, string>;
  positional: string[];
}

/** Long options only: `--name value`, `--name=value`, or a boolean flag; `--` ends options. */
export function parseCommandArgs(argv: string[], spec: Record<string, 'bool' | 'value'>, command: string): ParsedArgs {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const kind = spec[name];
    if (!kind) throw new OptionError(`unknown option "${arg}" (see portscope ${command} --help)`);
    if (kind === 'bool') {
      if (eq > 0) throw new OptionError(`option ${name} takes no value`);
      flags.set(name, '');
    } else {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new OptionError(`option ${name} needs a value`);
      flags.set(name, v);
    }
  }
  return { flags, positional };
}

export async function runHistory(argv: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseCommandArgs(argv, { '--db': 'value', '--json': 'bool', '--audits': 'bool', '-h': 'bool', '--help': 'bool' }, 'history');
  if (flags.has('-h') || flags.has('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positional.length > 1) throw new OptionError('history takes at most one TARGET');
  const opts: Parameters<typeof history>[0] = { env: io.env };
  if (flags.has('--db')) opts.db = flags.get('--db')!;
  if (flags.has('--audits')) {
    if (positional.length > 0) throw new OptionError('history --audits takes no TARGET');
    const r = await auditHistory(opts);
    io.stdout.write(flags.has('--json') ? JSON.stringify(r, null, 2) + '\n' : formatAuditHistory(r));
    return 0;
  }
  if (positional[0] !== undefined) opts.target = positional[0];
  const result = await history(opts);
  io.stdout.write(flags.has('--json') ? JSON.stringify(result, null, 2) + '\n' : formatHistory(result, opts.target));
  return 0;
}

const when = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** File names, command lines, states and services come from imported files: every cell is escaped. */
function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map((c) => escapeTerminalText(c)));
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n') + '\n';
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
    return [String(a.id), when(a.startedAt), a.policyPath ?? '-', a.targets.join(',') || '-', String(a.total) + (a.failed ? '!' : ''), String(c.critical), String(c.high), String(c.medium), String(c.low), String(c.info), a.scanId !== undefined ? `#${a.scanId}` : '-'];
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
