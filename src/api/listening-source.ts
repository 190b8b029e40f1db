import type { RawSocket, SocketSource } from '../local/types.js';
import { readListeningSockets, readProcFiles, readSocketOwners } from '../net/sock-diag.js';

/**
 * `listening`'s socket source on Linux: sock_diag netlink and the native /proc/PID/fd walk (net/'s addon),
 * handed to local/'s reader, which falls back to /proc/net when this returns null or throws.
 */
export const sockDiagSource: SocketSource = {
  name: 'sock_diag',
  // net/'s rows have RawSocket's shape already (state as text, v6Only): no second object per socket.
  sockets: (): RawSocket[] | null => readListeningSockets(),
  owners: (wanted) => readSocketOwners(wanted),
  processFiles(pids) {
    // Name and Uid are among the first lines of status (fs/proc/array.c prints Name, Umask, State, Tgid,
    // Ngid, Pid, PPid, TracerPid, Uid…, about 200 bytes; the name is at most 15 bytes, 30 escaped): 512
    // bytes hold them; the rest of the file (memory, signal, capability lines) would be copied to be dropped.
    const files = readProcFiles(pids, ['status', 'cmdline'], [512, 65536]);
    return files === null ? null : files.map(([status, cmdline]) => ({ status: status ?? null, cmdline: cmdline ?? null }));
  },
};

/** Which reader `listening` uses on Linux: sock_diag with /proc as the fallback (auto), or only one. */
export type ListeningSourceChoice = 'auto' | 'sock_diag' | 'proc';

export const LISTENING_SOURCES: readonly ListeningSourceChoice[] = ['auto', 'sock_diag', 'proc'];

/** What `doctor` says about `listening`'s reader here: sock_diag when a dump works now, else /proc and why. */
export function probeListeningSource(): { source: 'sock_diag' | 'proc'; detail: string } {
  try {
    const rows = readListeningSockets();
    if (rows === null) return { source: 'proc', detail: '/proc/net (the native addon is not available; IPV6_V6ONLY is inferred)' };
    return { source: 'sock_diag', detail: `sock_diag netlink (${rows.length} listening/bound sockets in this namespace)` };
  } catch (err) {
    return { source: 'proc', detail: `/proc/net (sock_diag failed: ${(err as Error).message}; IPV6_V6ONLY is inferred)` };
  }
}
