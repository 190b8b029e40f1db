import { closeTableScript, CLOSE_TABLE, firewalldManages, firewalldZonesAllowing, readClosedPorts, withPort, type Ruleset } from '../firewall/index.js';
import { readFirewallTexts } from '../local/firewall-read.js';
import { firewalldOpener } from '../local/firewalld.js';
import { systemdUnitOf } from '../local/linux/systemd-unit.js';
import { nftApply, nftListTable } from '../local/nft-apply.js';
import { OptionError, PortscopeError } from '../model/index.js';
import { rulesetFromHost } from './firewall-source.js';
import { listening } from './listening.js';

/** Something that needs root was asked for without it. */
export class NeedsRootError extends PortscopeError {
  constructor(message: string) {
    super('E_NEEDS_ROOT', message);
  }
}

export interface CloseOptions {
  port: number;
  protocol: 'tcp' | 'udp';
  /** Install the drop rule in table inet portscope (root). */
  apply?: boolean;
  /** Remove the port from table inet portscope (root). */
  undo?: boolean;
}

export interface ClosePlan {
  port: number;
  protocol: 'tcp' | 'udp';
  /** The listeners on the port, with their systemd units when they run under one. */
  listeners: { address: string; pid: number; name: string; unit?: string }[];
  /** Shell commands, in order, that close the port (what `--apply` does is the nft step). */
  steps: string[];
  /** The nft script `--apply` (or `--undo`) loads. */
  nftScript: string;
  ufwEnabled: boolean;
  /** firewalld manages this host (its table inet firewalld is loaded). */
  firewalld: boolean;
  /** --apply/--undo: whether the table changed (false: it already was so). */
  changed?: boolean;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * How to close PORT/PROTO on this host: stop and disable the systemd units of its listeners, and a drop
 * rule in portscope's own table (or `ufw deny` when ufw manages the host); with `apply`/`undo`, the table
 * is rewritten atomically (docs/firewall.md, "Closing a port").
 */
export async function close(opts: CloseOptions): Promise<ClosePlan> {
  const { port, protocol } = opts;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OptionError(`close: port ${port} is not within 1-65535`);
  if (opts.apply && opts.undo) throw new OptionError('close: --apply and --undo exclude each other');
  if ((opts.apply || opts.undo) && !isRoot()) throw new NeedsRootError(`close --${opts.apply ? 'apply' : 'undo'} changes the firewall and needs root`);
  const sockets = (await listening(protocol === 'tcp' ? { tcp: true, ports: [port] } : { udp: true, ports: [port] })).filter((s) => s.port === port);
  const listeners: ClosePlan['listeners'] = [];
  for (const s of sockets) {
    for (const p of s.processes) {
      const unit = await systemdUnitOf(p.pid);
      listeners.push({ address: s.address, pid: p.pid, name: p.name, ...(unit ? { unit } : {}) });
    }
  }
  let ufwEnabled = false;
  let ruleset: Ruleset | undefined;
  try {
    const loaded = await rulesetFromHost();
    ufwEnabled = loaded.ufwEnabled;
    ruleset = loaded.ruleset;
  } catch {
    // Not root (ufw's and firewalld's state unknown), or a ruleset we cannot parse (ufw's files still tell):
    // the plan still shows portscope's own rule.
    ufwEnabled = (await readFirewallTexts().catch(() => undefined))?.ufw?.enabled === true;
  }
  const firewalld = ruleset !== undefined && firewalldManages(ruleset);
  const current = readClosedPorts(isRoot() ? await nftListTable(CLOSE_TABLE) : null);
  const next = withPort(current, protocol, port, !opts.undo);
  const nftScript = closeTableScript(next);
  const steps: string[] = [];
  for (const unit of new Set(listeners.map((l) => l.unit).filter((u): u is string => u !== undefined))) steps.push(`systemctl stop ${unit}`, `systemctl disable ${unit}`);
  if (ufwEnabled) steps.push(`ufw deny ${port}/${protocol}`);
  if (firewalld && ruleset) steps.push(...(await firewalldSteps(ruleset, protocol, port)));
  steps.push(`nft -f - <<'EOF'\n${nftScript}EOF`);
  const plan: ClosePlan = { port, protocol, listeners, steps, nftScript, ufwEnabled, firewalld };
  if (opts.apply || opts.undo) {
    const same = current[protocol].includes(port) === !opts.undo;
    if (!same) await nftApply(nftScript);
    plan.changed = !same;
  }
  return plan;
}

/**
 * firewalld's own way to close the port in every zone that allows it: remove the port or the service that
 * opens it (asked of firewalld), else a rich rule that drops it (rich drop rules go to the zone's deny
 * chain, which runs before its allow chain). Each change is given for the runtime configuration (now) and
 * the permanent one (after a reload or reboot): `--permanent` alone does nothing until `--reload`, and
 * `--reload` alone would drop other runtime-only changes.
 */
async function firewalldSteps(ruleset: Ruleset, protocol: 'tcp' | 'udp', port: number): Promise<string[]> {
  const steps: string[] = [];
  // Zone names become shell words: only firewalld's own charset is used unquoted.
  for (const zone of firewalldZonesAllowing(ruleset, protocol, port).filter((z) => /^[A-Za-z0-9_-]+$/.test(z))) {
    const opener = await firewalldOpener(zone, protocol, port);
    const change =
      opener?.kind === 'port'
        ? `--remove-port=${port}/${protocol}`
        : opener?.kind === 'service' && /^[A-Za-z0-9_.-]+$/.test(opener.name)
          ? `--remove-service=${opener.name}`
          : `--add-rich-rule='rule port port="${port}" protocol="${protocol}" drop'`;
    steps.push(`firewall-cmd --zone=${zone} ${change}`, `firewall-cmd --permanent --zone=${zone} ${change}`);
  }
  return steps;
}
