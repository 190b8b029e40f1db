/**
 * Shared result and option types. No I/O, no imports: every other layer depends on this one.
 * State and reason vocabularies follow nmap's documentation (https://nmap.org/book/man-port-scanning-basics.html)
 * so that users and tools reading nmap output read ours the same way.
 */

export type Protocol = 'tcp' | 'udp';
export type AddressFamily = 4 | 6;

/** nmap's port states; the connect scan uses open, closed, filtered. */
export type PortState = 'open' | 'closed' | 'filtered' | 'unfiltered' | 'open|filtered' | 'closed|filtered';

/**
 * Why a port got its state, in nmap's words (reason strings of `--reason` and XML `reason=`).
 * `proxy-*` reasons are ours: the answer came from a SOCKS5 proxy, not from the target (docs/proxy.md).
 */
export type PortReason =
  | 'syn-ack'
  | 'conn-refused'
  | 'no-response'
  | 'host-unreach'
  | 'net-unreach'
  | 'admin-prohibited'
  | 'net-prohibited'
  | 'host-prohibited'
  | 'port-unreach'
  | 'proto-unreach'
  | 'udp-response'
  | 'proxy-connected'
  | 'proxy-refused'
  | 'proxy-unreach'
  | 'proxy-denied'
  | 'proxy-error'
  | 'host-timeout'
  | 'dry-run'
  | 'unknown';

export interface ServiceInfo {
  /** Service name, e.g. `ssh`. */
  name: string;
  /** How it was found: `table` = port-number lookup (IANA registry), `probed` = service detection. */
  method: 'table' | 'probed';
  /** nmap's confidence scale 0..10 (3 for table lookups). */
  conf: number;
  product?: string;
  version?: string;
  extrainfo?: string;
  tunnel?: 'ssl';
  cpe?: string[];
  /** -sV: the TLS session and certificate, when the port spoke TLS (docs/service-detection.md). */
  tls?: TlsInfo;
  /** -sV on an HTTP service: status code of `GET /`, the page title, the raw Server header. */
  http?: { status: number; title?: string; server?: string };
  /** -sV: the first bytes the service sent, printable characters only, when no matcher recognised it. */
  banner?: string;
}

/** What a TLS handshake with a port showed (-sV). */
export interface TlsInfo {
  /** Negotiated protocol version as OpenSSL names it: `TLSv1.3`, `TLSv1.2`… */
  protocol: string;
  /** Application protocol the server chose from our ALPN offer (`h2`, `http/1.1`), if any. */
  alpn?: string;
  /** Negotiated cipher suite (OpenSSL name). */
  cipher?: string;
  certificate?: CertificateInfo;
}

export interface CertificateInfo {
  /** Distinguished names, one `key=value` per line joined with `, ` (e.g. `CN=example.test, O=Lab`). */
  subject: string;
  issuer: string;
  /** subjectAltName entries as `DNS:name` / `IP Address:addr`. */
  san: string[];
  /** Validity, ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** Issuer equals subject and the certificate's signature verifies with its own key. */
  selfSigned: boolean;
  /** notAfter lies in the past (or notBefore in the future) at scan time. */
  expired: boolean;
  /** SHA-256 fingerprint, colon-separated hex. */
  sha256: string;
}

/** One port of one host, final. */
export interface PortResult {
  protocol: Protocol;
  port: number;
  state: PortState;
  reason: PortReason;
  /** Probes sent before the state was settled (1 = first probe answered). */
  tries: number;
  /** Round-trip time of the answering probe in microseconds, when one answered. */
  rttUs?: number;
  service?: ServiceInfo;
}

export interface HostAddress {
  address: string;
  family: AddressFamily;
}

export type HostStatus = 'up' | 'down' | 'skipped';

/** A host after its scan: every requested port has exactly one PortResult unless `complete` is false. */
export interface HostReport {
  address: string;
  family: AddressFamily;
  /** Names: the user's name for it (`user`), reverse DNS (`PTR`). nmap's hostname types. */
  hostnames: { name: string; type: 'user' | 'PTR' }[];
  /** The target spec this host came from, as the user typed it. */
  spec: string;
  status: HostStatus;
  /** Why the host is up or down: `localhost-response`, `user-set` (-Pn), `syn-ack`, `conn-refused`, `no-response`… */
  statusReason: string;
  startTime: number; // ms since epoch
  endTime: number;
  /** Smoothed RTT in microseconds, when measured. */
  srttUs?: number;
  /** RTT variation in microseconds (RFC 6298 RTTVAR), when measured. */
  rttvarUs?: number;
  /** Every port result, sorted by protocol then port number. */
  ports: PortResult[];
  /** False when the scan of this host was cut short (interrupt, --host-timeout): unsettled ports are absent. */
  complete: boolean;
  timedOut: boolean;
  /**
   * Set when (nearly) every probed port answered open: a SYN proxy, CDN, load balancer or tarpit accepts
   * every connection, so "open" says nothing about a service behind it.
   */
  wildcard?: { openRatio: number; probed: number };
  /** Probe statistics for this host. */
  stats: HostStats;
}

export interface HostStats {
  probesSent: number;
  /** Probes answered only after at least one earlier probe to the same port went unanswered. */
  lateAnswers: number;
  /** Estimated share of probes lost on the way (0..1), from late answers. */
  lossEstimate: number;
  /** Retries the loss estimate called for (and got, unless capped by --max-retries). */
  retriesUsed: number;
  /** Ports given up on because --max-retries capped retries below what the loss estimate called for. */
  retryCapHit: number;
  timeoutMs: number;
  /** Where a UDP scan's time went (docs/udp.md), when UDP ports were scanned. */
  udp?: UdpScanStats;
}

/** How a host's UDP scan spent its time; the ICMP rate limit of the target usually dominates. */
export interface UdpScanStats {
  probesSent: number;
  /** First pass over every port. */
  sweepMs: number;
  /** Measuring the target's ICMP error rate. */
  rateMs: number;
  /** Retrying silent ports at the pace the ICMP rate allows. */
  confirmMs: number;
  /** Measured ICMP errors per second (0 = the target sent none). */
  icmpPerSecond: number;
  /** Ports that answered with ICMP (closed or filtered). */
  icmpAnswers: number;
  /** The least time the ICMP rate allows for those answers after the first burst, in ms. */
  floorMs: number;
  /** Times trusted silence turned out to be rate limiting (the model was too optimistic). */
  violations: number;
}

/** A target that produced no host: unresolvable name, excluded name, invalid line in -iL. */
export interface TargetProblem {
  spec: string;
  message: string;
}

export interface ScanInfo {
  /** nmap's scan type names: `connect` (-sT), `udp` (-sU). */
  type: 'connect' | 'udp';
  protocol: Protocol;
  /** Number of ports per host. */
  numServices: number;
  /** Ports as nmap prints them: `1-1000,8080`. */
  services: string;
}

/** Everything an output format needs to write its header before the first host arrives. */
export interface ScanStart {
  scanner: 'portscope';
  version: string;
  /** The command line, as the user typed it (for headers and XML `args`). */
  args: string;
  startTime: number;
  scanInfo: ScanInfo[];
  verbose: number;
}

export interface ScanSummary {
  startTime: number;
  endTime: number;
  elapsedMs: number;
  hostsTotal: number;
  hostsUp: number;
  hostsDown: number;
  probesSent: number;
  /** True when the scan was interrupted (SIGINT/SIGTERM or AbortSignal) before every host was done. */
  interrupted: boolean;
  /** Human-readable reason for an early end, e.g. `Interrupted by SIGINT`. */
  exitMessage?: string;
  /** Set when the scan could not go on (e.g. no sockets could be opened, the proxy is down). */
  error?: string;
  targetProblems: TargetProblem[];
  /** Where the scan's time went (`-d`; docs/scale.md). */
  accounting?: ScanAccounting;
}

/** Counters of a scan's work, for `-d`: discovery, probes, retries, waits. */
export interface ScanAccounting {
  /** Connect-ping probes and the host time spent in discovery (summed over hosts, ms). */
  discoveryProbes: number;
  discoveryHostMs: number;
  /** Port probes (first tries) and retries. */
  portProbes: number;
  retries: number;
  /** Time the scan waited for the --max-rate / --max-rate-per-host budget (ms, summed waits). */
  rateWaitMs: number;
  /** Hosts silent to the ping looked up in the neighbour table, and found alive there. */
  neighbourChecks: number;
  neighbourUp: number;
}

/** What `scan()` yields, in order: one `start`, then `port`/`host`/`target-problem` events, then one `end`. */
export type ScanEvent =
  | { kind: 'start'; start: ScanStart }
  | { kind: 'port'; address: string; result: PortResult }
  | { kind: 'host'; host: HostReport }
  | { kind: 'target-problem'; problem: TargetProblem }
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'end'; summary: ScanSummary };

export interface ScanProgress {
  hostsDone: number;
  hostsActive: number;
  portsDone: number;
  /** Ports settled so far plus ports still to settle in hosts already started (not the whole run, which is lazy). */
  portsKnown: number;
  elapsedMs: number;
  /** Hosts in the whole scan, when known (walk mode, or literal targets): for an ETA. */
  hostsTotal?: number;
}
