import { runOk, runQuiet } from './exec.js';

/**
 * Namespace names are `ps-<pid>-<n>-<role>`: the pid of the creating process lets a later run remove what
 * a killed run left behind (`sweepStaleNamespaces`), without touching namespaces of live runs.
 */
const NAME = /^ps-(\d+)-(\d+)-[a-z0-9]+$/;
let counter = 0;

export function nextLabId(): string {
  counter += 1;
  return `ps-${process.pid}-${counter}`;
}

export function listNamespaces(): string[] {
  // `ip netns list` prints "name (id: N)" for namespaces with an id.
  return runQuiet('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kill every process inside a namespace (listeners, danted and its children, a stuck scanner). */
export function killNamespacePids(ns: string): void {
  for (const line of runQuiet('ip', ['netns', 'pids', ns]).split('\n')) {
    const pid = Number(line.trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Delete a namespace after killing what runs in it (a namespace outlives `ip netns del` while processes use it). */
export function deleteNamespaceSync(ns: string): void {
  killNamespacePids(ns);
  runQuiet('ip', ['netns', 'del', ns]);
}

/** Remove `ps-<pid>-…` namespaces whose creating process is dead. Returns the names removed. */
export function sweepStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const ns of listNamespaces()) {
    const m = NAME.exec(ns);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    deleteNamespaceSync(ns);
    removed.push(ns);
  }
  return removed;
}

/** Run a command inside a namespace; throws with stderr on failure. */
export function nsRun(ns: string, cmd: string, args: readonly string[], input?: string): Promise<string> {
  return runOk('ip', ['netns', 'exec', ns, cmd, ...args], input === undefined ? {} : { input });
}

/** Create a namespace with lo up and IPv6 DAD off (addresses usable at once, no tentative link-local). */
export async function createNamespace(ns: string): Promise<void> {
  await runOk('ip', ['netns', 'add', ns]);
  await nsRun(ns, 'sysctl', ['-q', '-w', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0']);
  await runOk('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}
