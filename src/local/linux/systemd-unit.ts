import { readFile } from 'node:fs/promises';

/**
 * The systemd unit a process belongs to, from its cgroup (cgroup v2: `0::/system.slice/ssh.service`;
 * v1: the `name=systemd` line). A service's own sub-cgroups are skipped; user sessions (`session-3.scope`
 * under user.slice) are not units one stops to close a port, so only system units are returned.
 */
export function unitFromCgroup(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith('0::')) ?? text.split('\n').find((l) => l.includes(':name=systemd:'));
  if (!line) return undefined;
  const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
  if (!path.startsWith('/system.slice/')) return undefined;
  const unit = path.split('/').find((seg) => /\.(service|socket|scope|mount)$/.test(seg));
  return unit;
}

export async function systemdUnitOf(pid: number): Promise<string | undefined> {
  try {
    return unitFromCgroup(await readFile(`/proc/${pid}/cgroup`, 'utf8'));
  } catch {
    return undefined;
  }
}
