import type { ListeningProcess } from '../../model/index.js';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import type { RawSocket, SocketSource, SocketSourceName } from '../types.js';
import { mapSocketInodes, type InodeMap } from './inode-map.js';
import { parseProcNet, type ProcNetKind } from './proc-net.js';
import { ProcessReader, readUsers } from './process-info.js';

export interface LinuxView {
  sockets: RawSocket[];
  /** Processes whose fds we could not read (not root): their sockets' owners are unknown. */
  deniedProcesses: number;
  /** net.ipv6.bindv6only of the namespace we read (per network namespace). */
  bindV6Only: boolean;
  /** Which reader gave the socket table: sock_diag netlink, or /proc/net text. */
  source: SocketSourceName;
  /** Why the /proc fallback was used when a sock_diag source was offered (its error), if it was. */
  fallbackReason?: string;
}

export interface LinuxReadOptions {
  procRoot?: string;
  passwdPath?: string;
  /** The sock_diag reader (injected by api/); /proc/net is read when absent or when it fails. */
  source?: SocketSource;
}

const TABLES: ProcNetKind[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/**
 * The calling process's network namespace as Linux shows it: /proc/net is /proc/self/net, i.e. the tables
 * of the namespace this process is in; process lookup walks every /proc/PID (all namespaces share the pid
 * namespace here, and inode numbers are unique across network namespaces).
 */
export function readLinuxView(options: LinuxReadOptions = {}): LinuxView {
  const procRoot = options.procRoot ?? '/proc';
  const table = readSocketTable(procRoot, options.source);
  const { sockets } = table;
  const wanted = new Set<number>();
  for (const s of sockets) if (s.inode !== null && s.inode !== 0) wanted.add(s.inode);
  const map = ownersOf(wanted, procRoot, options.source);
  const processes = readProcesses(map.pids, new ProcessReader(readUsers(options.passwdPath ?? '/etc/passwd'), procRoot), procRoot === '/proc' ? options.source : undefined);
  for (const s of sockets) {
    const pids = s.inode === null ? undefined : map.pids.get(s.inode);
    s.processes = pids === undefined ? [] : pids.map((pid) => processes.get(pid)!);
  }
  let bindV6Only = false;
  try {
    bindV6Only = readFileSync(`${procRoot}/sys/net/ipv6/bindv6only`, 'latin1').trim() === '1';
  } catch {
    // no IPv6: no `::` sockets either
  }
  const view: LinuxView = { sockets, deniedProcesses: map.deniedProcesses, bindV6Only, source: table.source };
  if (table.fallbackReason !== undefined) view.fallbackReason = table.fallbackReason;
  return view;
}

/**
 * The socket table from the injected sock_diag source, else from /proc/net/{tcp,tcp6,udp,udp6}. A source
 * that throws (EPERM from a seccomp filter, EPROTONOSUPPORT without inet_diag) falls back to /proc: the
 * text tables carry the same sockets, without IPV6_V6ONLY.
 */
function readSocketTable(procRoot: string, source: SocketSource | undefined): { sockets: RawSocket[]; source: SocketSourceName; fallbackReason?: string } {
  let fallbackReason: string | undefined;
  if (source !== undefined) {
    try {
      const sockets = source.sockets();
      if (sockets !== null) return { sockets, source: 'sock_diag' };
      fallbackReason = 'the native addon is not available';
    } catch (err) {
      fallbackReason = `sock_diag failed: ${(err as Error).message}`;
    }
  }
  const le = endianness() === 'LE';
  const sockets: RawSocket[] = [];
  for (const kind of TABLES) {
    const text = readProcTable(`${procRoot}/net/${kind}`);
    // `push(...rows)` would overflow the stack with tens of thousands of rows.
    if (text !== null) for (const row of parseProcNet(text, kind, le)) sockets.push(row);
  }
  return fallbackReason === undefined ? { sockets, source: 'proc' } : { sockets, source: 'proc', fallbackReason };
}

/**
 * Every holder's name, command line and user, each process once: read through the source's batch reader
 * when it has one (one native pass), else file by file. A process that exited meanwhile still gets an
 * entry (with what could be read), so a socket never loses its pid.
 */
function readProcesses(byInode: ReadonlyMap<number, number[]>, reader: ProcessReader, source: SocketSource | undefined): Map<number, ListeningProcess> {
  const pids = new Set<number>();
  for (const list of byInode.values()) for (const pid of list) pids.add(pid);
  const out = new Map<number, ListeningProcess>();
  const order = [...pids];
  let files: ReturnType<NonNullable<SocketSource['processFiles']>> = null;
  try {
    files = source?.processFiles?.(order) ?? null;
  } catch {
    // read file by file below
  }
  for (let i = 0; i < order.length; i++) {
    const pid = order[i]!;
    const f = files?.[i];
    out.set(pid, f === undefined ? reader.read(pid) : reader.fromFiles(pid, f.status ?? '', f.cmdline ?? ''));
  }
  return out;
}

/** inode → pids: the source's native walk when it has one, else the JavaScript walk (same answer). */
function ownersOf(wanted: ReadonlySet<number>, procRoot: string, source: SocketSource | undefined): InodeMap {
  if (wanted.size === 0) return { pids: new Map(), deniedProcesses: 0 };
  if (source?.owners !== undefined && procRoot === '/proc') {
    try {
      const map = source.owners(wanted);
      if (map !== null) return map;
    } catch {
      // the JavaScript walk below reads the same links
    }
  }
  return mapSocketInodes(wanted, procRoot);
}

/**
 * A /proc/net table in as few read(2) calls as possible: the kernel regenerates the table from the last
 * position on every read, so large reads into one growing buffer beat readFileSync's small chunks.
 * null when the table does not exist (no IPv6 in this kernel, for example).
 */
function readProcTable(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return buf.toString('latin1', 0, len);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** uid → user name, for callers that resolve socket uids (same file as the process users). */
export { readUsers };
