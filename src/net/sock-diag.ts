import { loadAddon } from './addon.js';

/** One listening TCP socket or unconnected UDP socket, as the kernel's sock_diag netlink reports it. */
export interface DiagSocket {
  family: 4 | 6;
  protocol: 'tcp' | 'udp';
  /** Local address as text (`0.0.0.0`, `::`, `127.0.0.1`…). */
  address: string;
  port: number;
  /** TCP sockets in the kernel's TCP_LISTEN (10), UDP ones in TCP_CLOSE (7, `ss`'s UNCONN): the dump asks for no others. */
  state: 'LISTEN' | 'UNCONN';
  uid: number;
  /** Socket inode: the key to `/proc/PID/fd` links (`socket:[INODE]`). */
  inode: number;
  /** IPv6 sockets: IPV6_V6ONLY (the kernel's INET_DIAG_SKV6ONLY attribute); absent for IPv4. */
  v6Only?: boolean;
}

/** Socket inode → the pids holding it (ascending), and how many processes' fds could not be read. */
export interface DiagOwners {
  pids: Map<number, number[]>;
  deniedProcesses: number;
}

interface DiagModule {
  listening(): { rows: Uint32Array; addresses: string[] };
  socketOwners?(wanted: Float64Array): { pairs: Float64Array; denied: number };
  socketOwnersAsync?(): Promise<{ pairs: Float64Array; denied: number }>;
  readProcFiles?(pids: Float64Array, names: string[], limits: number[]): { data: Buffer; lengths: Int32Array };
}

/** Numbers per socket in `rows` (native/sock_diag.c, ROW_FIELDS). */
const ROW_FIELDS = 8;
const V6ONLY_UNKNOWN = 2;
const TCP_LISTEN = 10;

function diagModule(): DiagModule | undefined {
  const diag = loadAddon()?.diag as DiagModule | undefined;
  // An addon built before the flat-row layout returned an array of objects: treat it as absent.
  return diag && typeof diag.listening === 'function' && typeof diag.socketOwners === 'function' ? diag : undefined;
}

/**
 * Listening TCP and unconnected UDP sockets of this process's network namespace, read over
 * NETLINK_SOCK_DIAG (inet_diag, as `ss -ltun` does; native/sock_diag.c) — one netlink dump per family and
 * protocol instead of parsing /proc/net text. null when the native addon is not available
 * (addonStatus() says why); throws when the kernel refuses the dump.
 */
export function readListeningSockets(): DiagSocket[] | null {
  const diag = diagModule();
  if (!diag) return null;
  const { rows, addresses } = diag.listening();
  const out: DiagSocket[] = new Array(rows.length / ROW_FIELDS);
  for (let i = 0, k = 0; i < rows.length; i += ROW_FIELDS, k++) {
    const s: DiagSocket = {
      family: rows[i] === 6 ? 6 : 4,
      protocol: rows[i + 1] === 6 ? 'tcp' : 'udp',
      address: addresses[rows[i + 7]!]!,
      port: rows[i + 2]!,
      state: rows[i + 3] === TCP_LISTEN ? 'LISTEN' : 'UNCONN',
      uid: rows[i + 4]!,
      inode: rows[i + 5]!,
    };
    if (rows[i + 6] !== V6ONLY_UNKNOWN) s.v6Only = rows[i + 6] === 1;
    out[k] = s;
  }
  return out;
}

/**
 * Which processes hold the `wanted` socket inodes: one native pass over every /proc/PID/fd (openat the
 * directory, readlinkat each entry; no stat, no strings per fd), as `ss -p` walks it. null without the
 * addon. The JavaScript walk (local/linux/inode-map.ts) does the same in about twice the time, most of it
 * one string and one exception object per fd.
 */
export function readSocketOwners(wanted: Iterable<number>): DiagOwners | null {
  const diag = diagModule();
  if (!diag?.socketOwners) return null;
  const sorted = Float64Array.from(wanted).sort();
  const { pairs, denied } = diag.socketOwners(sorted);
  return ownersFromPairs(pairs, denied, null);
}

/** (inode, pid) pairs from the native walk → inode → ascending pids, keeping only `wanted` inodes when given. */
function ownersFromPairs(pairs: Float64Array, denied: number, wanted: ReadonlySet<number> | null): DiagOwners {
  const pids = new Map<number, number[]>();
  for (let i = 0; i < pairs.length; i += 2) {
    const inode = pairs[i]!;
    if (wanted !== null && !wanted.has(inode)) continue;
    const pid = pairs[i + 1]!;
    const list = pids.get(inode);
    if (list === undefined) pids.set(inode, [pid]);
    else if (!list.includes(pid)) list.push(pid);
  }
  for (const list of pids.values()) if (list.length > 1) list.sort((a, b) => a - b);
  return { pids, deniedProcesses: denied };
}

/** The result of a walk started early (startSocketOwners): the holders of any socket, asked once the dump says which are wanted. */
export type OwnersOf = (wanted: ReadonlySet<number>) => DiagOwners;

/**
 * Starts the /proc/PID/fd walk on a libuv worker thread now, for every socket (the wanted set comes from
 * the dump, later): `listening` calls it before loading its other modules, so the walk, kernel time in
 * other processes' fd tables, overlaps module loading on another core. null without an addon that has it.
 * The promise rejects when the walk failed (the caller then walks again, synchronously).
 */
export function startSocketOwners(): Promise<OwnersOf> | null {
  const diag = diagModule();
  if (!diag?.socketOwnersAsync) return null;
  return diag.socketOwnersAsync().then(
    ({ pairs, denied }) =>
      (wanted: ReadonlySet<number>) =>
        ownersFromPairs(pairs, denied, wanted),
  );
}

/**
 * The first `limits[j]` bytes (64 KiB at most) of `/proc/PID/NAME` for every pid and name, as latin1 text (one char per byte; the
 * caller decodes), null for a file that could not be opened: `result[i][j]` is pids[i]'s names[j]. One
 * native pass (an open of /proc/PID, then openat per name) instead of three fs calls per file. null
 * without the addon.
 */
export function readProcFiles(pids: readonly number[], names: readonly string[], limits: readonly number[]): (string | null)[][] | null {
  const diag = diagModule();
  if (!diag?.readProcFiles) return null;
  const { data, lengths } = diag.readProcFiles(Float64Array.from(pids), [...names], [...limits]);
  const out: (string | null)[][] = new Array(pids.length);
  let off = 0;
  for (let i = 0, k = 0; i < pids.length; i++) {
    const files: (string | null)[] = new Array(names.length);
    for (let j = 0; j < names.length; j++, k++) {
      const len = lengths[k]!;
      if (len < 0) files[j] = null;
      else {
        files[j] = data.toString('latin1', off, off + len);
        off += len;
      }
    }
    out[i] = files;
  }
  return out;
}
