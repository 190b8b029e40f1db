/**
 * The fleet's inside view (issue 14): a machine's identity and one saved listing of its listening sockets,
 * as `portscope listening --save` stores them and `audit --fleet` reads them back.
 */
import type { Exposure } from './listening.js';

/** Who a machine is: its machine-id (systemd's machine-id(5)), its hostname and its non-loopback addresses. */
export interface MachineIdentity {
  machineId: string;
  hostname: string;
  addresses: string[];
}

/** One listening socket as the fleet stores it (no inode, no command line: what the audit needs). */
export interface FleetSocket {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  address: string;
  port: number;
  exposure: Exposure;
  dualStack?: boolean;
  processes: { pid: number; name: string; user: string }[];
  owner: string;
}

/** A machine's inside view at one time. */
export interface ListeningSnapshot extends MachineIdentity {
  id?: number;
  takenAt: number;
  version: string;
  sockets: FleetSocket[];
}
