import type { AddressFamily } from './types.js';

/** One address to scan, produced lazily by the target iterator. */
export interface ResolvedTarget {
  address: string;
  family: AddressFamily;
  /** The target spec this address came from, as typed. */
  spec: string;
  /** Set when the spec was a host name (nmap's hostname type "user"). */
  hostname?: string;
}

/** DNS as the target layer needs it; the real one lives in net/, tests pass their own. */
export interface Resolver {
  /** All addresses of a name, in resolver order; throws (any Error) when the name does not resolve. */
  lookup(name: string): Promise<{ address: string; family: AddressFamily }[]>;
}
