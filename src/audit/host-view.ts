import type { ListeningSocket, PortResult, ProcessExtra } from '../model/index.js';

/** The outside view of one address: TCP connect results for the ports scanned there. */
export interface OutsideResult {
  address: string;
  ports: PortResult[];
}

/** Everything known about one audited host. Local hosts have an inside view; remote ones only scans. */
export interface HostView {
  /** `local`, or the remote host's address. */
  host: string;
  kind: 'local' | 'remote';
  /** Names the host is known by (the target spec, PTR names), for `hosts[].match`. */
  names: string[];
  inside: ListeningSocket[] | null;
  extras: ReadonlyMap<number, ProcessExtra>;
  outside: OutsideResult[];
  firewalls: string[];
}
