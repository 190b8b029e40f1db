import { execFile } from 'node:child_process';

/** What in a firewalld zone opens a port: the port itself (`--add-port`), a service, or neither (a rich rule). */
export type FirewalldOpener = { kind: 'port' } | { kind: 'service'; name: string } | { kind: 'other' };

function cmd(args: string[]): Promise<{ ok: boolean; out: string } | null> {
  return new Promise((resolve) => {
    execFile('firewall-cmd', args, { encoding: 'utf8', timeout: 5000, windowsHide: true }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(null);
      // firewall-cmd --query-* answers with its exit code (0 yes, 1 no); other failures (no D-Bus) differ.
      resolve({ ok: !err, out: stdout });
    });
  });
}

/**
 * Asks the running firewalld (over D-Bus, read-only queries) what in ZONE opens PORT/PROTO, for the step
 * that undoes it. Undefined when firewall-cmd is missing or firewalld does not answer.
 */
export async function firewalldOpener(zone: string, protocol: 'tcp' | 'udp', port: number): Promise<FirewalldOpener | undefined> {
  const q = await cmd([`--zone=${zone}`, `--query-port=${port}/${protocol}`]);
  if (q === null) return undefined;
  if (q.ok && q.out.trim() === 'yes') return { kind: 'port' };
  const list = await cmd([`--zone=${zone}`, '--list-services']);
  if (!list?.ok) return undefined;
  for (const name of list.out.trim().split(/\s+/).filter(Boolean)) {
    const info = await cmd([`--info-service=${name}`]);
    const ports =
      /^\s*ports:(.*)$/m
        .exec(info?.out ?? '')?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    const hit = ports.some((p) => {
      const m = /^(\d+)(?:-(\d+))?\/(tcp|udp)$/.exec(p);
      return m !== null && m[3] === protocol && Number(m[1]) <= port && port <= Number(m[2] ?? m[1]);
    });
    if (hit) return { kind: 'service', name };
  }
  return { kind: 'other' };
}
