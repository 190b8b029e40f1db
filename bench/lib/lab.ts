import { createLab, type Lab } from '../../test/helpers/netlab/index.js';
import type { StateMap } from './states.js';

/** What the benchmarks need from a lab: a thin adapter over test/helpers/netlab (helper C's API). */
export interface BenchLab {
  /** Namespace the scanners run in (its only links are lo and the bridge to the target). */
  scannerNs: string;
  /** Address to scan: the target's 192.0.2.x, or 127.0.0.1 for a loopback-only lab. */
  target: string;
  /** Expected state of each port (netlab's truth.ts); every plan here is ICMP-free, so exact. */
  truth(ports: readonly number[]): StateMap;
  notes: string[];
  close(): Promise<void>;
}

export interface BenchLabPlan {
  drop?: number[];
  /** Ports with a listener (on the target, or in the scanner namespace for `loopbackOnly`). */
  open: number[];
  lossPercent?: number;
  /** The target sends at most this many RSTs per second (netlab's FirewallPlan.rstPerSecond). */
  rstPerSecond?: number;
  /** No target: the scanner namespace with only lo, listeners on it, scanned at 127.0.0.1. */
  loopbackOnly?: boolean;
}

export async function openLab(plan: BenchLabPlan): Promise<BenchLab> {
  if (plan.loopbackOnly) {
    const lab = await createLab({ targets: 0 });
    try {
      await lab.listen(plan.open, { target: 'scanner' });
    } catch (err) {
      await lab.close();
      throw err;
    }
    const open = new Set(plan.open);
    return {
      scannerNs: lab.scannerNs,
      target: '127.0.0.1',
      truth: (ports) => new Map(ports.map((p) => [p, open.has(p) ? 'open' : 'closed'])),
      notes: [`namespace ${lab.scannerNs} with only lo; listeners on ${plan.open.join(', ')}`],
      close: () => lab.close(),
    };
  }
  const firewall = { drop: plan.drop ?? [], lossPercent: plan.lossPercent ?? 0, ...(plan.rstPerSecond ? { rstPerSecond: plan.rstPerSecond } : {}) };
  const lab: Lab = await createLab({ firewall });
  try {
    await lab.listen(plan.open);
  } catch (err) {
    await lab.close();
    throw err;
  }
  return {
    scannerNs: lab.scannerNs,
    target: lab.target.v4,
    truth: (ports) => new Map([...lab.truth([...ports])].map(([p, t]) => [p, t.state])),
    notes: [
      `netlab ${lab.id}: scanner 192.0.2.1 → target ${lab.target.v4} over a bridge; nft: ${firewall.drop.length} ports dropped` +
        (firewall.lossPercent ? `, ${firewall.lossPercent}% of TCP/UDP packets into the target dropped (numgen random)` : '') +
        (plan.rstPerSecond ? `, RSTs out of the target limited to ${plan.rstPerSecond}/s (nft limit rate over, burst 5)` : ''),
    ],
    close: () => lab.close(),
  };
}
