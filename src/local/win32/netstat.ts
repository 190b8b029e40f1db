import type { ListeningProcess } from '../../model/index.js';
import type { RawSocket } from '../types.js';

/**
 * Parser for Windows `netstat -ano` (netstat /? : -a all connections and listening ports, -n numeric,
 * -o owning process id). Rows: `TCP  LOCAL  FOREIGN  STATE  PID` and `UDP  LOCAL  *:*  PID` (UDP has no
 * state column). The STATE word is localised ("LISTENING", "ABHÖREN", "EN ESCUCHA"…), so a TCP row counts
 * as listening by its foreign address (`0.0.0.0:0` / `[::]:0`), which only listening sockets have.
 * IPv6 addresses are bracketed and may carry a `%zone` (interface index).
 */
export function parseNetstat(text: string, tasks: ReadonlyMap<number, TaskEntry> = new Map()): RawSocket[] {
  const out: RawSocket[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const proto = f[0]?.toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') continue;
    const pidText = f[f.length - 1]!;
    if (!/^\d+$/.test(pidText) || f.length < 4) continue;
    const local = splitWinEndpoint(f[1]!);
    if (local === null) continue;
    if (proto === 'TCP' && !/^(0\.0\.0\.0|\[::\]):0$/.test(f[2]!)) continue;
    if (proto === 'UDP' && f[2] !== '*:*') continue;
    const pid = Number(pidText);
    const task = tasks.get(pid);
    // PID 0 is the "System Idle Process" pseudo-process and 4 is "System" (kernel listeners such as http.sys).
    const name = task?.image ?? (pid === 4 ? 'System' : '');
    const proc: ListeningProcess = { pid, name, command: name, user: task?.user ?? '', uid: null };
    out.push({
      protocol: proto === 'TCP' ? 'tcp' : 'udp',
      family: local.family,
      address: local.address,
      port: local.port,
      state: proto === 'TCP' ? 'LISTEN' : 'UNCONN',
      inode: null,
      processes: pid === 0 ? [] : [proc],
    });
  }
  return out;
}

export function splitWinEndpoint(text: string): { address: string; port: number; family: 4 | 6 } | null {
  const v6 = /^\[([0-9a-fA-F:.]+(?:%\w+)?)\]:(\d+)$/.exec(text);
  if (v6) return { address: v6[1]!.toLowerCase(), port: Number(v6[2]), family: 6 };
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (v4) return { address: v4[1]!, port: Number(v4[2]), family: 4 };
  return null;
}

export interface TaskEntry {
  image: string;
  /** From `tasklist /V`'s "User Name" column; '' when absent or "N/A" (not allowed to see it). */
  user: string;
}

/**
 * `tasklist /V /FO CSV` (or without /V): a header row, then quoted fields. Columns by position, because
 * the header is localised: 0 image name, 1 PID, and with /V, 6 user name.
 */
export function parseTasklistCsv(text: string): Map<number, TaskEntry> {
  const out = new Map<number, TaskEntry>();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  for (const line of lines) {
    const f = parseCsvLine(line);
    if (f.length < 2 || !/^\d+$/.test(f[1]!)) continue; // the header row
    const user = f.length >= 7 && f[6] !== 'N/A' ? f[6]! : '';
    out.set(Number(f[1]), { image: f[0]!, user });
  }
  return out;
}

/** One CSV line (RFC 4180 quoting: "" inside quotes is a quote). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
      i = line.indexOf(',', i) < 0 ? line.length + 1 : line.indexOf(',', i) + 1;
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return out;
}
