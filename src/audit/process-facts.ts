import { readFileSync, readlinkSync } from 'node:fs';

/** What the audit adds to a listening process: its executable and the systemd unit that owns it. */
export interface ProcessExtra {
  exe?: string;
  exeDeleted?: boolean;
  unit?: string;
  userUnit?: boolean;
}

/**
 * /proc/PID/exe is a symlink whose target ends with " (deleted)" once the file was unlinked
 * (proc(5), "/proc/pid/exe"): a binary replaced by an upgrade, or a dropper that deleted itself.
 * /proc/PID/cgroup names the systemd unit (systemd.unit(5); cgroup v2 line `0::/system.slice/x.service`).
 * Both need the same uid or root; unreadable entries are left out.
 */
export function readProcessExtras(pids: Iterable<number>, procRoot = '/proc'): Map<number, ProcessExtra> {
  const out = new Map<number, ProcessExtra>();
  for (const pid of pids) {
    if (out.has(pid)) continue;
    const extra: ProcessExtra = {};
    try {
      const target = readlinkSync(`${procRoot}/${pid}/exe`);
      const deleted = target.endsWith(' (deleted)');
      extra.exe = deleted ? target.slice(0, -' (deleted)'.length) : target;
      extra.exeDeleted = deleted;
    } catch {
      // not ours to read, or gone
    }
    try {
      const unit = unitFromCgroup(readFileSync(`${procRoot}/${pid}/cgroup`, 'utf8'));
      if (unit) {
        extra.unit = unit.unit;
        if (unit.user) extra.userUnit = true;
      }
    } catch {
      // no cgroup file (not Linux, or gone)
    }
    out.set(pid, extra);
  }
  return out;
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
