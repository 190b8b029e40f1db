import type { ListeningProcess } from '../model/index.js';

/** One socket as an OS table lists it, before processes, exposure and service names are attached. */
export interface RawSocket {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  address: string;
  port: number;
  state: 'LISTEN' | 'UNCONN';
  /** Linux socket inode; null where the OS has none. */
  inode: number | null;
  /** Linux: uid column of /proc/net/*. */
  uid?: number;
  /** Processes already known from the OS tool (macOS lsof, Windows netstat); Linux fills them later. */
  processes?: ListeningProcess[];
}
