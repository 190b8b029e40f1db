/**
 * The inside view: one listening TCP socket or bound (unconnected) UDP socket of this machine, with the
 * processes that hold it. The JSON form of `ListeningSocket[]` is documented in
 * docs/schema/listening.schema.json; keep both in step.
 */

/** Who can reach the socket: only this host, every address of the host, or one address (one interface). */
export type Exposure = 'loopback' | 'all-interfaces' | 'interface';

/** What `owner` says when the kernel table lists a socket but no readable process holds it. */
export const OWNER_NEEDS_ROOT = 'unknown (needs root)';
export const OWNER_UNKNOWN = 'unknown';

export interface ListeningProcess {
  pid: number;
  /** Short process name (Linux /proc/PID/comm, macOS lsof COMMAND, Windows image name). */
  name: string;
  /** Full command line, arguments joined by spaces; the name when the command line cannot be read. */
  command: string;
  /** User name, or the numeric uid as text when no name is known; '' when unknown. */
  user: string;
  uid: number | null;
}

export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  /** Local address as printed by the OS tools: '0.0.0.0', '::', '127.0.0.1', '2001:db8::1'. */
  address: string;
  port: number;
  exposure: Exposure;
  /** Only for sockets bound to `::`: true when it also accepts IPv4 (see docs/listening.md for how we decide). */
  dualStack?: boolean;
  /** Only for exposure 'interface': the interface that carries `address`, when one does. */
  interface?: string;
  /** Every process holding the socket (forked servers, SO_REUSEPORT groups have one socket per process). */
  processes: ListeningProcess[];
  /** The owning user(s) joined by ',' — or OWNER_NEEDS_ROOT / OWNER_UNKNOWN when no process could be read. */
  owner: string;
  ownerKnown: boolean;
  /** Well-known service name of the port for this protocol, when there is one. */
  service?: string;
  /** Kernel socket inode (Linux); null elsewhere. */
  inode: number | null;
  /** 'LISTEN' for TCP, 'UNCONN' for bound UDP sockets (as `ss` prints them). */
  state: 'LISTEN' | 'UNCONN';
  /** The network namespace read with --netns, when one was named. */
  netns?: string;
  /** The socket's owner uid from the kernel table (Linux: known even without root). */
  socketUid?: number;
}

/** Filters of `listening()`; every given filter must match (AND). */
export interface ListeningFilter {
  tcp?: boolean;
  udp?: boolean;
  /** Only sockets reachable from elsewhere (exposure other than loopback). */
  public?: boolean;
  ports?: number[];
  /** Process name or command-line substring (case-insensitive) or pid. */
  process?: string;
  user?: string;
}

/** What the audit adds to a listening process: its executable and the systemd unit that owns it (local/). */
export interface ProcessExtra {
  exe?: string;
  exeDeleted?: boolean;
  unit?: string;
  userUnit?: boolean;
}
