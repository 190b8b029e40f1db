import { escapeTerminalText, type Exposure, type ListeningProcess, type ListeningSocket } from '../model/index.js';

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
  // Cells repeat across sockets (a server's many ports: one holder, one user, one address): each distinct
  // text is escaped once (issue 15: 20,000 sockets made 120,000 escapes and 40,000 arrays).
  const cells = new CellCache();
  const header = ['PROTO', 'ADDRESS', 'PORT', 'SERVICE', 'PROCESS', 'USER', ...(o.verbose ? ['COMMAND'] : [])];
  for (const g of GROUPS) {
    const rows: ListeningSocket[] = [];
    for (const s of sockets) if (s.exposure === g.exposure) rows.push(s);
    if (rows.length === 0) continue;
    const title = `${g.title}: ${rows.length} socket${rows.length === 1 ? '' : 's'}`;
    out.push(o.color ? `${g.color}${title}${RESET}` : title);
    // Column-wise: one array of cells per column, the widths taken as they are made.
    const columns: string[][] = header.map(() => new Array<string>(rows.length));
    const widths = header.map((h) => h.length);
    for (let r = 0; r < rows.length; r++) {
      const s = rows[r]!;
      // PROTO (tcp, udp, tcp6, udp6) and PORT (digits) are ours, nothing to escape; the rest comes escaped.
      const row = [s.protocol + (s.family === 6 ? '6' : ''), cells.address(s), String(s.port), s.service === undefined ? '-' : cells.text(s.service), cells.processes(s.processes), cells.text(s.owner)];
      if (o.verbose) row.push(cells.text([...new Set(s.processes.map((p) => p.command))].join(' | ') || '-'));
      for (let c = 0; c < row.length; c++) {
        const cell = row[c]!;
        columns[c]![r] = cell;
        if (cell.length > widths[c]!) widths[c] = cell.length;
      }
    }
    const head = line(header, widths);
    out.push(o.color ? `${DIM}${head}${RESET}` : head);
    // A padded cell is made once per distinct text and column (the same holder, address, user repeat).
    const padded = header.map(() => new Map<string, string>());
    const last = header.length - 1;
    for (let r = 0; r < rows.length; r++) {
      let text = '';
      for (let c = 0; c < last; c++) {
        const cell = columns[c]![r]!;
        let pad = padded[c]!.get(cell);
        if (pad === undefined) padded[c]!.set(cell, (pad = `${cell.padEnd(widths[c]!)}  `));
        text += pad;
      }
      out.push((text + columns[last]![r]!).trimEnd());
    }
    out.push('');
  }
  return out.join('\n');
}

/** Every cell but the last padded to its column's width, two spaces apart, trailing blanks dropped. */
function line(cells: readonly string[], widths: readonly number[]): string {
  let text = '';
  const last = cells.length - 1;
  for (let i = 0; i < last; i++) text += `${cells[i]!.padEnd(widths[i]!)}  `;
  return (text + cells[last]!).trimEnd();
}

/** Escaped cells by their source text (or holder, or address), each escaped once per table. */
class CellCache {
  private readonly texts = new Map<string, string>();
  private readonly holders = new Map<ListeningProcess, string>();
  private readonly addresses = new Map<string, string>();

  text(raw: string): string {
    let cell = this.texts.get(raw);
    if (cell === undefined) this.texts.set(raw, (cell = escapeTerminalText(raw)));
    return cell;
  }

  processes(list: readonly ListeningProcess[]): string {
    if (list.length === 0) return '-';
    if (list.length > 1) return escapeTerminalText(list.map((p) => `${p.pid}/${p.name}`).join(','));
    const p = list[0]!;
    let cell = this.holders.get(p);
    if (cell === undefined) this.holders.set(p, (cell = escapeTerminalText(`${p.pid}/${p.name}`)));
    return cell;
  }

  address(s: ListeningSocket): string {
    const key = `${s.address} ${String(s.dualStack)} ${s.interface ?? ''}`;
    let cell = this.addresses.get(key);
    if (cell === undefined) this.addresses.set(key, (cell = escapeTerminalText(addressCell(s))));
    return cell;
  }
}

function addressCell(s: ListeningSocket): string {
  if (s.dualStack === true) return `${s.address} (+IPv4)`;
  if (s.dualStack === false) return `${s.address} (IPv6 only)`;
  if (s.interface !== undefined) return `${s.address} (${s.interface})`;
  return s.address;
}
