import { loadAddon } from './addon.js';

/** One listening TCP socket or unconnected UDP socket, as the kernel's sock_diag netlink reports it. */
export interface DiagSocket {
  family: 4 | 6;
  protocol: 'tcp' | 'udp';
  /** Local address as text (`0.0.0.0`, `::`, `127.0.0.1`…). */
  address: string;
  port: number;
  /** The kernel's TCP state number: 10 (LISTEN) for TCP, 7 (CLOSE, `ss`'s UNCONN) for UDP. */
  state: number;
  uid: number;
  /** Socket inode: the key to `/proc/PID/fd` links (`socket:[INODE]`). */
  inode: number;
}

interface DiagModule {
  listening(): DiagSocket[];
}

/**
 * Listening TCP and unconnected UDP sockets of this process's network namespace, read over
 * NETLINK_SOCK_DIAG (inet_diag, as `ss -ltun` does; native/sock_diag.c) — one netlink dump per family and
 * protocol instead of parsing /proc/net text. null when the native addon is not available
 * (addonStatus() says why); throws when the kernel refuses the dump.
 */
export function readListeningSockets(): DiagSocket[] | null {
  const diag = loadAddon()?.diag as DiagModule | undefined;
  return diag ? diag.listening() : null;
}
