import type { ListeningSocket } from '../model/index.js';
import type { HostView } from './evaluate.js';
import { socketCovers } from './scope.js';

/** How long the ignore rules of a starter policy last: long enough to review, short enough not to stay. */
const STARTER_IGNORE_DAYS = 30;

/**
 * A starter policy that describes the current state, so that an audit right after it is clean: every
 * listener allowed with its current exposure, owner and user; ports that answer without a listener marked
 * `listener: false`; processes running deleted executables under a 30-day ignore rule (the policy cannot
 * allow them; a person must look). Meant for review, not as a statement of what should be.
 */
export function starterPolicy(views: HostView[], now: Date): string {
  const out: string[] = [`# portscope audit policy — starter generated ${now.toISOString()} from the current state.`, '# Review every rule: it allows what runs today, wanted or not. Reference: docs/audit.md', 'version: 1'];
  const ignores: string[] = [];
  const expires = new Date(now.getTime() + STARTER_IGNORE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const local = views.find((v) => v.kind === 'local');
  out.push('ports:');
  const localRules = local ? localPortRules(local, ignores, expires) : [];
  if (localRules.length === 0) out[out.length - 1] = 'ports: []';
  out.push(...localRules);
  const remote = views.filter((v) => v.kind === 'remote');
  if (remote.length > 0) {
    out.push('hosts:');
    for (const v of remote) {
      out.push(`  - match: ${q(v.host)}`);
      const open = [...new Set(v.outside.flatMap((o) => o.ports.filter((p) => p.state === 'open').map((p) => p.port)))].sort((a, b) => a - b);
      if (open.length === 0) out.push('    ports: []');
      else out.push('    ports:', ...open.map((p) => `      - { port: ${p}, protocol: tcp, to: public }`));
    }
  }
  out.push(ignores.length > 0 ? 'ignore:' : 'ignore: []', ...ignores);
  return `${out.join('\n')}\n`;
}

function localPortRules(view: HostView, ignores: string[], expires: string): string[] {
  const lines: string[] = [];
  const groups = new Map<string, ListeningSocket[]>();
  for (const s of view.inside ?? []) groups.set(`${s.protocol}/${s.port}`, [...(groups.get(`${s.protocol}/${s.port}`) ?? []), s]);
  const keys = [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const key of keys) {
    const sockets = groups.get(key)!;
    const { protocol, port } = sockets[0]!;
    const to = sockets.some((s) => s.exposure === 'all-interfaces')
      ? 'public'
      : sockets.some((s) => s.exposure === 'interface')
        ? `[${[...new Set(sockets.filter((s) => s.exposure === 'interface').map((s) => `${s.address}/${s.family === 4 ? 32 : 128}`))].join(', ')}]`
        : 'loopback';
    const procs = sockets.flatMap((s) => s.processes);
    const names = [...new Set(procs.map((p) => p.name))];
    const users = [...new Set(procs.map((p) => p.user).filter(Boolean))];
    const filtered = view.outside.some((o) => o.ports.some((p) => p.port === port && p.state === 'filtered' && protocol === 'tcp' && sockets.some((s) => socketCovers(s, o.address))));
    lines.push(`  - port: ${port}${filtered ? '  # filtered from outside today: a firewall hides it' : ''}`, `    protocol: ${protocol}`, `    to: ${to}`);
    if (names.length > 0) lines.push(`    process: [${names.map(q).join(', ')}]`);
    if (users.length > 0) lines.push(`    user: [${users.map(q).join(', ')}]`);
    const deleted = procs.filter((p) => view.extras.get(p.pid)?.exeDeleted);
    if (deleted.length > 0) {
      ignores.push(
        `  - finding: deleted-executable`,
        `    host: local`,
        `    port: ${port}`,
        `    protocol: ${protocol}`,
        `    reason: ${q(`starter policy: ${deleted.map((p) => `${p.name}[${p.pid}]`).join(', ')} ran a deleted executable at init; find out why`)}`,
        `    expires: ${q(expires)}`,
      );
    }
  }
  const forwarded = new Set<number>();
  for (const o of view.outside) {
    for (const p of o.ports) {
      if (p.state !== 'open' || groups.get(`tcp/${p.port}`)?.some((s) => socketCovers(s, o.address))) continue;
      forwarded.add(p.port);
    }
  }
  for (const port of [...forwarded].sort((a, b) => a - b)) {
    if (groups.has(`tcp/${port}`)) {
      // A listener exists on other addresses; the answer on this one comes from elsewhere. One rule per
      // port: allow the forward and keep the listener's rule as required.
      const idx = lines.findIndex((l) => l.startsWith(`  - port: ${port}`) && lines[lines.indexOf(l) + 1] === '    protocol: tcp');
      if (idx >= 0) lines.splice(idx + 3, 0, '    listener: false  # also answers without a local socket (forward/NAT)');
      continue;
    }
    lines.push(`  - port: ${port}  # answers from outside without a local listener (NAT, forward, container proxy)`, '    protocol: tcp', '    to: public', '    listener: false');
  }
  return lines;
}

/** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
function q(s: string): string {
  return JSON.stringify(s);
}
