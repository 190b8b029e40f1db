import type { PortState } from './types.js';

/**
 * The states in which a port may be open, as nmap's --open counts them (nmap(1), "--open": open,
 * open|filtered and unfiltered): what listings keep, what diffs call new, what the history indexes.
 */
export const MAYBE_OPEN_STATES: readonly PortState[] = ['open', 'open|filtered', 'unfiltered'];

const MAYBE_OPEN: ReadonlySet<string> = new Set(MAYBE_OPEN_STATES);

export function isMaybeOpen(state: string): boolean {
  return MAYBE_OPEN.has(state);
}
