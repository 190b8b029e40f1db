import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Socket inode → pids holding it, from the `socket:[INODE]` links in /proc/PID/fd (proc(5)). This walk is
 * the expensive part of `listening` (one readlink per open file of every process), so it is plain
 * synchronous readdir + readlink on one thread, recording only the inodes asked for. (Splitting the walk
 * with a worker thread was measured slower on two cores: bench/RESULTS.md (listening-20k).) Processes exit and
 * fds close while we walk: ENOENT/ESRCH are skipped silently; EACCES (another user's process, without
 * root) is counted so the caller can say "needs root".
 */
export interface InodeMap {
  /** inode → pids (ascending, each once). */
  pids: Map<number, number[]>;
  /** Processes whose fd directory we were not allowed to read. */
  deniedProcesses: number;
}

export function mapSocketInodes(wanted: ReadonlySet<number>, procRoot = '/proc'): InodeMap {
  const pids = new Map<number, number[]>();
  let deniedProcesses = 0;
  if (wanted.size === 0) return { pids, deniedProcesses };
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return { pids, deniedProcesses };
  }
  for (const name of entries) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue; // only numeric entries are processes
    const pid = Number(name);
    const fdDir = `${procRoot}/${name}/fd/`;
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES') deniedProcesses++;
      continue; // exited meanwhile (ENOENT), or not ours to read (EACCES)
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(fdDir + fd);
      } catch {
        continue; // closed meanwhile, or EACCES on a single fd
      }
      // "socket:[12345]": a character check first is cheaper than startsWith on every fd.
      if (link.charCodeAt(0) !== 115 || !link.startsWith('socket:[')) continue;
      const inode = Number(link.slice(8, -1));
      if (!wanted.has(inode)) continue;
      const list = pids.get(inode);
      if (list === undefined) pids.set(inode, [pid]);
      else if (!list.includes(pid)) list.push(pid);
    }
  }
  for (const list of pids.values()) if (list.length > 1) list.sort((a, b) => a - b);
  return { pids, deniedProcesses };
}
