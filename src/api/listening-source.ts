import type { RawSocket, SocketSource } from '../local/types.js';
import { readListeningSockets, readProcFiles, readSocketOwners } from '../net/sock-diag.js';

/** The kernel's TCP_LISTEN (include/net/tcp_states.h); UDP sockets come as TCP_CLOSE, `ss`'s UNCONN. */
const TCP_LISTEN = 10;

/**
 * `listening`'s socket source on Linux: sock_diag netlink and the native /proc/PID/fd walk (net/'s addon),
 * handed to local/'s reader, which falls back to /proc/net when this returns null or throws.
 */
export const sockDiagSource: SocketSource = {
  name: 'sock_diag',
  sockets(): RawSocket[] | null {
    const rows = readListeningSockets();
    if (rows === null) return null;
    const out: RawSocket[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const d = rows[i]!;
      const r: RawSocket = { protocol: d.protocol, family: d.family, address: d.address, port: d.port, state: d.state === TCP_LISTEN ? 'LISTEN' : 'UNCONN', inode: d.inode, uid: d.uid };
      if (d.v6only !== undefined) r.v6Only = d.v6only;
      out[i] = r;
    }
    return out;
  },
  owners: (wanted) => readSocketOwners(wanted),
  processFiles(pids) {
    const files = readProcFiles(pids, ['status', 'cmdline']);
    return files === null ? null : files.map(([status, cmdline]) => ({ status: status ?? null, cmdline: cmdline ?? null }));
  },
};

/** Which reader `listening` uses on Linux: sock_diag with /proc as the fallback (auto), or only one. */
export type ListeningSourceChoice = 'auto' | 'sock_diag' | 'proc';

export const LISTENING_SOURCES: readonly ListeningSourceChoice[] = ['auto', 'sock_diag', 'proc'];
