/**
 * Which ports a format lists one by one and which it folds into "Not shown" / `<extraports>` groups.
 *
 * nmap's rule (its "ignored states", PortList::isIgnoredState in nmap's portlist.cc; checked against
 * nmap 7.93 output): open ports are always listed; a state with more than 25 ports is folded ("ignored"), the limit
 * growing with -v to 25 × (verbosity + 1); `--open` folds every state that cannot be open (open|filtered
 * and unfiltered stay listed); at -vvv open|filtered is never folded. Folded groups are ordered by size,
 * largest first, and within a group reasons by count — nmap prints "921 closed … 41 filtered … (no-response),
 * 37 filtered … (host-unreach)". Each reason group keeps its port numbers, so every port stays recoverable.
 *
 * Ours on top: a wildcard host's open ports (SYN proxy, CDN, tarpit) are folded too when asked to.
 */
import type { HostReport, PortReason, PortResult, PortState, Protocol } from '../model/index.js';
import { isMaybeOpen } from '../model/index.js';

export interface ReasonGroup {
  reason: PortReason;
  protocol: Protocol;
  count: number;
  /** Ascending port numbers. */
  ports: number[];
}

export interface StateGroup {
  state: PortState;
  count: number;
  reasons: ReasonGroup[];
}

export interface PortLayout {
  /** Ports listed individually, in the host's order (protocol, then port). */
  shown: PortResult[];
  /** Folded groups, largest first. */
  folded: StateGroup[];
}

export interface FoldRule {
  /** `nmap`: the count rule above. `non-open`: fold every state that cannot be open, whatever its size. */
  mode: 'nmap' | 'non-open';
  openOnly: boolean;
  verbose: number;
  /** Fold the open ports of a host flagged as wildcard. */
  foldWildcardOpen: boolean;
}

/** Tie-break order between equally large groups (nmap's state table order). */
const STATE_ORDER: PortState[] = ['open', 'closed', 'filtered', 'unfiltered', 'open|filtered', 'closed|filtered'];

/** nmap's "more than 25 ports in one state" limit at verbosity `verbose`. */
export function foldLimit(verbose: number): number {
  return verbose > 0 ? 25 * (verbose + 1) : 25;
}

function isFolded(state: PortState, count: number, host: HostReport, rule: FoldRule): boolean {
  if (state === 'open') return rule.foldWildcardOpen && host.wildcard !== undefined;
  if (rule.mode === 'non-open') return !isMaybeOpen(state);
  if (rule.openOnly && !isMaybeOpen(state)) return true;
  if (state === 'open|filtered' && rule.verbose > 2) return false;
  return count > foldLimit(rule.verbose);
}

export function layoutPorts(host: HostReport, rule: FoldRule): PortLayout {
  const counts = new Map<PortState, number>();
  for (const p of host.ports) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  const foldedStates = new Set<PortState>();
  for (const [state, count] of counts) if (isFolded(state, count, host, rule)) foldedStates.add(state);

  const shown: PortResult[] = [];
  const groups = new Map<PortState, Map<string, ReasonGroup>>();
  for (const p of host.ports) {
    if (!foldedStates.has(p.state)) {
      shown.push(p);
      continue;
    }
    let reasons = groups.get(p.state);
    if (!reasons) groups.set(p.state, (reasons = new Map()));
    const key = `${p.protocol}/${p.reason}`;
    let g = reasons.get(key);
    if (!g) reasons.set(key, (g = { reason: p.reason, protocol: p.protocol, count: 0, ports: [] }));
    g.count++;
    g.ports.push(p.port);
  }
  const folded: StateGroup[] = [...groups].map(([state, reasons]) => {
    const list = [...reasons.values()].sort((a, b) => b.count - a.count || a.protocol.localeCompare(b.protocol) || a.reason.localeCompare(b.reason));
    for (const g of list) g.ports.sort((a, b) => a - b);
    return { state, count: list.reduce((n, g) => n + g.count, 0), reasons: list };
  });
  folded.sort((a, b) => b.count - a.count || STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state));
  return { shown, folded };
}

/** nmap's test for "has open ports" under --open: open, open|filtered or unfiltered. */
export function hasMaybeOpenPorts(host: HostReport): boolean {
  return host.ports.some((p) => isMaybeOpen(p.state));
}

/** How many of the host's ports answered open. */
export function openCount(host: HostReport): number {
  let n = 0;
  for (const p of host.ports) if (p.state === 'open') n++;
  return n;
}
