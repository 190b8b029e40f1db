import { closeTableScript, CLOSE_TABLE, readClosedPorts, withPort } from '../firewall/index.js';
import { readFirewallTexts } from '../local/firewall-read.js';
import { systemdUnitOf } from '../local/linux/systemd-unit.js';
import { nftApply, nftListTable } from '../local/nft-apply.js';
import { OptionError, PortscopeError } from '../model/index.js';
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
  try {
    ufwEnabled = (await readFirewallTexts()).ufw?.enabled === true;
  } catch {
    // Not root: ufw's state is unknown; the plan still shows portscope's own rule.
  }
  const current = readClosedPorts(isRoot() ? await nftListTable(CLOSE_TABLE) : null);
  const next = withPort(current, protocol, port, !opts.undo);
  const nftScript = closeTableScript(next);
  const steps: string[] = [];
  for (const unit of new Set(listeners.map((l) => l.unit).filter((u): u is string => u !== undefined))) steps.push(`systemctl stop ${unit}`, `systemctl disable ${unit}`);
  if (ufwEnabled) steps.push(`ufw deny ${port}/${protocol}`);
  steps.push(`nft -f - <<'EOF'\n${nftScript}EOF`);
  const plan: ClosePlan = { port, protocol, listeners, steps, nftScript, ufwEnabled };
  if (opts.apply || opts.undo) {
    const same = current[protocol].includes(port) === !opts.undo;
    if (!same) await nftApply(nftScript);
    plan.changed = !same;
  }
  return plan;
}
