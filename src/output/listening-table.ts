import { escapeTerminalText, type Exposure, type ListeningSocket } from '../model/index.js';

export interface ListeningTableOptions {
  color: boolean;
  /** Show the full command line column (-v). */
  verbose: boolean;
}

const GROUPS: { exposure: Exposure; title: string; color: string }[] = [
  { exposure: 'all-interfaces', title: 'All interfaces (reachable from every network this host is on)', color: '\x1b[1;31m' },
  { exposure: 'interface', title: 'One address (reachable through that interface)', color: '\x1b[1;33m' },
  { exposure: 'loopback', title: 'Loopback only (this host)', color: '\x1b[1;32m' },
];
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

/** The default terminal view: one table per exposure class, widest exposure first. */
export function renderListeningTable(sockets: readonly ListeningSocket[], o: ListeningTableOptions): string {
  if (sockets.length === 0) return 'No listening sockets.\n';
  const out: string[] = [];
  for (const g of GROUPS) {
    const rows = sockets.filter((s) => s.exposure === g.exposure);
    if (rows.length === 0) continue;
    const title = `${g.title}: ${rows.length} socket${rows.length === 1 ? '' : 's'}`;
    out.push(o.color ? `${g.color}${title}${RESET}` : title);
    const header = ['PROTO', 'ADDRESS', 'PORT', 'SERVICE', 'PROCESS', 'USER', ...(o.verbose ? ['COMMAND'] : [])];
    const body = rows.map((s) =>
      [
        s.protocol + (s.family === 6 ? '6' : ''),
        addressCell(s),
        String(s.port),
        s.service ?? '-',
        s.processes.length ? s.processes.map((p) => `${p.pid}/${p.name}`).join(',') : '-',
        s.owner,
        ...(o.verbose ? [[...new Set(s.processes.map((p) => p.command))].join(' | ') || '-'] : []),
      ].map((cell) => escapeTerminalText(cell)),
    );
    out.push(...layout(header, body, o.color), '');
  }
  return out.join('\n');
}

function addressCell(s: ListeningSocket): string {
  if (s.dualStack === true) return `${s.address} (+IPv4)`;
  if (s.dualStack === false) return `${s.address} (IPv6 only)`;
  if (s.interface !== undefined) return `${s.address} (${s.interface})`;
  return s.address;
}

function layout(header: string[], rows: string[][], color: boolean): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const head = line(header);
  return [color ? `${DIM}${head}${RESET}` : head, ...rows.map(line)];
}
