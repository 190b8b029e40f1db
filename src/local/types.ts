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
  /** Linux: uid column of /proc/net/* (sock_diag: idiag_uid). */
  uid?: number;
  /**
   * IPV6_V6ONLY of an IPv6 socket, when the reader can see it (Linux sock_diag: INET_DIAG_SKV6ONLY);
   * undefined when it cannot (/proc/net/tcp6 has no such column; macOS, Windows).
   */
  v6Only?: boolean;
  /** Processes already known from the OS tool (macOS lsof, Windows netstat); Linux fills them later. */
  processes?: ListeningProcess[];
}

/** Which reader produced a Linux socket table. */
export type SocketSourceName = 'sock_diag' | 'proc';

/**
 * A faster way to read what /proc gives: the socket table and the inode → pid map. The api injects one
 * built on net/'s sock_diag reader (local/ cannot load the native addon, docs/architecture.md); without
 * one, or when it returns null or throws, the Linux reader falls back to /proc.
 */
export interface SocketSource {
  name: 'sock_diag';
  /** Listening TCP and unconnected UDP sockets of the caller's network namespace; null if unavailable. */
  sockets(): RawSocket[] | null;
  /** Holders of the wanted inodes (as local/linux/inode-map.ts returns them); null if unavailable. */
  owners?(wanted: ReadonlySet<number>): { pids: Map<number, number[]>; deniedProcesses: number } | null;
  /** `/proc/PID/status` and `/proc/PID/cmdline` texts (latin1; null if unreadable) per pid; null if unavailable. */
  processFiles?(pids: readonly number[]): { status: string | null; cmdline: string | null }[] | null;
}
