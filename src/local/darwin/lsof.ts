import type { ListeningProcess } from '../../model/index.js';
import type { RawSocket } from '../types.js';

/**
 * Parser for macOS `lsof -nP -iTCP -sTCP:LISTEN -iUDP` (lsof(8), "OUTPUT" section). Columns:
 * `COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME`; TYPE is IPv4/IPv6, NODE is TCP/UDP, NAME is
 * `ADDR:PORT` plus ` (LISTEN)` for TCP, `*` meaning any address, IPv6 in brackets, and `->` for a
 * connected socket (skipped: not listening). lsof prints non-printable and space characters in COMMAND as
 * `\xNN` and truncates it to 9 characters, so the full command comes from `ps` (parsePs) when available.
 * DEVICE is the kernel socket address: equal DEVICE values in several processes are one shared socket.
 */
const ROW = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(IPv[46])\s+(\S+)\s+(?:(\S+)\s+)?(TCP|UDP)\s+(.+?)\s*$/;

export interface PsEntry {
  uid: number | null;
  user: string;
  command: string;
}

export function parseLsof(text: string, ps: ReadonlyMap<number, PsEntry> = new Map()): RawSocket[] {
  const byDevice = new Map<string, RawSocket>();
  const out: RawSocket[] = [];
  for (const line of text.split('\n')) {
    const m = ROW.exec(line);
    if (!m) continue; // header, blank lines, lsof warnings
    const [, rawCmd, pidText, user, , type, device, , node, name] = m as unknown as string[];
    if (name!.includes('->')) continue;
    const listening = /\(LISTEN\)$/.test(name!);
    if (node === 'TCP' && !listening) continue;
    const endpoint = name!.replace(/\s*\(.*\)$/, '');
    const parsed = splitEndpoint(endpoint, type === 'IPv6' ? 6 : 4);
    if (parsed === null) continue;
    const pid = Number(pidText);
    const shortName = rawCmd!.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const known = ps.get(pid);
    const proc: ListeningProcess = {
      pid,
      name: shortName,
      command: known?.command || shortName,
      user: known?.user || user!,
      uid: known?.uid ?? (/^\d+$/.test(user!) ? Number(user) : null),
    };
    const key = `${device}/${node}/${endpoint}`;
    const seen = byDevice.get(key);
    if (seen) {
      if (!seen.processes!.some((p) => p.pid === pid)) seen.processes!.push(proc);
      continue;
    }
    const sock: RawSocket = {
      protocol: node === 'TCP' ? 'tcp' : 'udp',
      family: type === 'IPv6' ? 6 : 4,
      address: parsed.address,
      port: parsed.port,
      state: node === 'TCP' ? 'LISTEN' : 'UNCONN',
      inode: null,
      processes: [proc],
    };
    byDevice.set(key, sock);
    out.push(sock);
  }
  for (const s of out) s.processes!.sort((a, b) => a.pid - b.pid);
  return out;
}

/** `*:22`, `127.0.0.1:631`, `[::1]:631`, `[fe80::1%lo0]:5353` → address and port. */
export function splitEndpoint(endpoint: string, family: 4 | 6): { address: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^\s:]+|\*)):(\d+|\*)$/.exec(endpoint);
  if (!m || m[3] === '*') return null;
  const host = m[1] ?? m[2]!;
  const address = host === '*' ? (family === 6 ? '::' : '0.0.0.0') : host;
  return { address, port: Number(m[3]) };
}

/** `ps -axww -o pid=,uid=,user=,args=` → pid → uid, user, full command line. */
export function parsePs(text: string): Map<number, PsEntry> {
  const out = new Map<number, PsEntry>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*?)\s*$/.exec(line);
    if (m) out.set(Number(m[1]), { uid: Number(m[2]), user: m[3]!, command: m[4]! });
  }
  return out;
}
