import { readFile, readlink } from 'node:fs/promises';
import type { ProcessExtra } from '../../model/index.js';

/**
 * /proc/PID/exe is a symlink whose target ends with " (deleted)" once the file was unlinked
 * (proc(5), "/proc/pid/exe"): a binary replaced by an upgrade, or a dropper that deleted itself.
 * /proc/PID/cgroup names the systemd unit (systemd.unit(5); cgroup v2 line `0::/system.slice/x.service`).
 * Both need the same uid or root; unreadable entries are left out. Read asynchronously, all pids at once.
 */
export async function readProcessExtras(pids: Iterable<number>, procRoot = '/proc'): Promise<Map<number, ProcessExtra>> {
  const unique = [...new Set(pids)];
  const extras = await Promise.all(unique.map((pid) => readOne(pid, procRoot)));
  return new Map(unique.map((pid, i) => [pid, extras[i]!]));
}

async function readOne(pid: number, procRoot: string): Promise<ProcessExtra> {
  const extra: ProcessExtra = {};
  const [target, cgroup] = await Promise.all([readlink(`${procRoot}/${pid}/exe`).catch(() => null), readFile(`${procRoot}/${pid}/cgroup`, 'utf8').catch(() => null)]);
  if (target !== null) {
    const deleted = target.endsWith(' (deleted)');
    extra.exe = deleted ? target.slice(0, -' (deleted)'.length) : target;
    extra.exeDeleted = deleted;
  }
  const unit = cgroup === null ? null : unitFromCgroup(cgroup);
  if (unit) {
    extra.unit = unit.unit;
    if (unit.user) extra.userUnit = true;
  }
  return extra;
}

/**
 * The innermost `.service` unit of a cgroup file (v2 `0::PATH` preferred, else v1 `N:name=systemd:PATH`).
 * Units below `user@UID.service` belong to a user manager (`systemctl --user`). Session and container
 * scopes are not services one can disable, so they yield nothing.
 */
export function unitFromCgroup(text: string): { unit: string; user: boolean } | null {
  const lines = text.split('\n');
  const path = lines.find((l) => l.startsWith('0::'))?.slice(3) ?? lines.find((l) => /^\d+:name=systemd:/.test(l))?.replace(/^\d+:name=systemd:/, '');
  if (!path) return null;
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.endsWith('.service') && !/^user@\d+\.service$/.test(p)) {
      return { unit: p, user: parts.slice(0, i).some((q) => /^user@\d+\.service$/.test(q)) };
    }
  }
  return null;
}
