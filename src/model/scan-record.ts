/**
 * A scan as a plain record, independent of where it came from (a portscope scan, `watch`, or an imported
 * nmap/portscope file). The history store, imports and diffs all speak this shape.
 */
import type { AddressFamily, PortReason, PortState, Protocol } from './types.js';

/** Who made the scan: `scan --save`, `watch`, `import`, or the outside view of `audit --save`. */
export type ScanSource = 'scan' | 'watch' | 'import' | 'audit';

export interface ServiceRecord {
  name: string;
  product?: string;
  version?: string;
  extrainfo?: string;
  /** `table` (port-number lookup) or `probed` (service detection), as nmap's `method`. */
  method?: string;
  conf?: number;
}

export interface PortRecord {
  protocol: Protocol;
  port: number;
  state: PortState;
  /** nmap's reason; free text when read from another tool's file. */
  reason: PortReason | string;
  service?: ServiceRecord;
}

export interface HostRecord {
  address: string;
  family: AddressFamily;
  /** First hostname (user-given or PTR), if any. */
  hostname?: string;
  status: string;
  statusReason: string;
  /** Every settled port, sorted by protocol then port. */
  ports: PortRecord[];
}

export interface ScanRecord {
  /** Database id; absent until stored (and for files read for a diff). */
  id?: number;
  startedAt: number;
  endedAt: number;
  /** `portscope` or `nmap`: who produced the results. */
  scanner: string;
  version: string;
  args: string;
  source: ScanSource;
  /** Imported file, as named by the user. */
  file?: string;
  interrupted: boolean;
  scheduleId?: number;
  hosts: HostRecord[];
}
