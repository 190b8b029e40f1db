import { OptionError, type Protocol, type ScanInfo, type ScanEvent, type ScanStart, type ScanSummary } from '../model/index.js';
import { Scheduler, type EnginePlan, type TargetItem } from '../engine/scheduler.js';
import { resolveTiming, type TimingOptions } from '../engine/timing.js';
import {
  dryBackend,
  loadNative,
  nativeBackend,
  nativeUnavailableReason,
  nodeBackend,
  openFileLimit,
  parseProxyUrl,
  createReverseDns,
  directDialer,
  socks5Backend,
  socks5Dialer,
  dryRunResolver,
  systemResolver,
  type BackendFactory,
  type StreamDialer,
  defaultUdpBackend,
  dgramUdpBackend,
  dryUdpBackend,
  checkSourceAddresses,
  neighbourChecker,
} from '../net/index.js';
import { datagramFor, identifyReply } from '../probes/udp/index.js';
import { excludePorts, parsePortSpec, serviceName, serviceNamer, topPorts, formatPortRanges } from '../ports/index.js';
import { checkTargetFile, expandTargets, isLoopback, parseExcludeSpec, parseTargetSpec, readTargetFile } from '../targets/index.js';
import type { Resolver } from '../model/index.js';
import { VERSION } from '../version.js';
import { discoveryPlan } from './discovery-plan.js';
import { servicePlan, type ServiceDetectionOptions } from './service-detect.js';
import { randomInt } from 'node:crypto';
import { checkShard, countTargetSpec, loadBlocklist, seedValue } from '../targets/index.js';
import { indexResume, resumeMapper, withResumed, type ResumeIndex, type ResumeState } from './resume.js';
import { walkTargets } from './walk-targets.js';

export type BackendChoice = 'auto' | 'native' | 'node';

/** Options of `scan()`; the CLI maps nmap's flags onto these one to one. */
export interface ScanOptions extends TimingOptions {
  /** Target specs: addresses, CIDR, octet ranges, names. */
  targets?: string[];
  /** -iL: a file of targets (`-` = stdin). */
  targetFile?: string;
  exclude?: string[];
  excludeFile?: string;
  /** -sT: scan TCP ports (the default unless only `udp` is set). */
  tcp?: boolean;
  /** -sU: scan UDP ports (docs/udp.md). */
  udp?: boolean;
  /** -p spec (nmap syntax). Default: the 1000 most common ports of each scanned protocol. */
  ports?: string;
  topPorts?: number;
  excludePorts?: string;
  /** -r: probe ports in ascending order (default: random order, as nmap). */
  sequentialPorts?: boolean;
  /** -Pn: treat every host as up, skip the connect ping. */
  skipDiscovery?: boolean;
  /** -n: no reverse DNS. */
  noReverseDns?: boolean;
  /** --resolve-all: scan every address a name resolves to. */
  resolveAll?: boolean;
  /** socks5://host:port */
  proxy?: string;
  backend?: BackendChoice;
  /** Send nothing; every port is reported closed with reason dry-run. */
  dryRun?: boolean;
  signal?: AbortSignal;
  resolver?: Resolver;
  /** The command line for headers (`args` in XML). */
  commandLine?: string;
  verbose?: number;
  /** Interval of `progress` events; 0 = none. */
  progressIntervalMs?: number;
  /** Wildcard host flag: at least this many ports probed and this share open. */
  wildcardMinPorts?: number;
  wildcardOpenRatio?: number;
  /** -sV: identify the service behind every open TCP port (docs/service-detection.md). */
  serviceDetection?: boolean | ServiceDetectionOptions;
  /**
   * -S: local addresses UDP probes leave from, in turn (each one a separate ICMP rate-limit bucket at the
   * target; docs/udp.md). TCP connects keep the kernel's choice.
   */
  sourceAddresses?: string[];
  // --- network scale (docs/scale.md) ---
  /** Seed of the host × port walk: same seed, same order and same shards. Default: a random one (see `ScanRun.seed`). */
  seed?: string | number;
  /** This run scans only shard `index` (0-based) of `count` slices of the walk; needs `seed` when count > 1. */
  shard?: { index: number; count: number };
  /** --randomize-hosts: hosts in a random order (nmap's meaning): turns on walk mode, whose host order is the seeded walk's. */
  randomizeHosts?: boolean;
  /** --blocklist FILE replaces the default blocklist; --no-blocklist (`false`) turns it off. */
  blocklist?: string | false;
  /** Continue an interrupted scan: its hosts are not probed again (read it with `readResumeFile`). */
  resume?: ResumeState;
  // --- host discovery (docs/scale.md) ---
  /** -sn: host discovery only, no port scan. */
  pingOnly?: boolean;
  /** -PS PORTS: TCP ports of the connect ping (default 80,443 as nmap's unprivileged discovery). */
  pingPorts?: string;
  /** -PU PORTS: UDP ping (an ICMP port-unreachable or a reply proves the host up; nmap's default port 40125). */
  pingUdpPorts?: string;
  /** -PE: ICMP echo through a ping socket (net.ipv4.ping_group_range) or a raw one (CAP_NET_RAW). */
  pingEcho?: boolean;
  /** Consult the kernel's neighbour table (ARP/NDP) for hosts silent to the ping (default on; arp-response). */
  neighbourDiscovery?: boolean;
  /** --max-rate-per-host: probes per second to any one host. */
  maxRatePerHost?: number;
  /**
   * Library only: a --max-rate that changes during the scan (a distributed scan's worker gets a larger
   * share of the global rate when another worker dies; docs/fleet.md). Read at every refill of the send
   * budget; a value ≤ 0 falls back to `maxRate`.
   */
  maxRateNow?: () => number;
}

export interface ScanRun extends AsyncIterable<ScanEvent> {
  /** Resolves with the summary once the scan has ended (also after an interrupt). */
  readonly summary: Promise<ScanSummary>;
  /** The backend that sends probes: `native`, `node`, `socks5` or `dry`. */
  readonly backendName: string;
  /** Warnings about the options (e.g. a `U:` port prefix in a TCP-only scan). */
  readonly warnings: string[];
  /** Stop the scan; hosts in progress are reported as incomplete. */
  stop(reason?: string): void;
  /**
   * The events not yet iterated, taken synchronously. After stop() they end with `end`: a caller that must
   * finish at once (a second Ctrl-C) writes them and has complete output without awaiting anything.
   */
  drain(): ScanEvent[];
  /** The seed of this run's walk (given or chosen), to be kept for shards and resume. */
  readonly seed: number;
  /** Host discovery's probes in words, e.g. `TCP connect to 80,443` or `ICMP echo (ping socket)` (for -d). */
  readonly discovery: string;
}

const DEFAULT_TOP_PORTS = 1000;

/**
 * Scan hosts for open TCP ports (connect scan). Validates options synchronously (throws PortscopeError
 * subclasses for malformed targets, ports and options) and returns an async iterable of events.
 */
export function scan(options: ScanOptions): ScanRun {
  const warnings: string[] = [];
  const protocols: Protocol[] = options.udp ? (options.tcp ? ['tcp', 'udp'] : ['udp']) : ['tcp'];
  let ports: number[];
  let udpPorts: number[] = [];
  if (options.ports !== undefined && options.topPorts !== undefined) {
    throw new OptionError('-p and --top-ports cannot be combined');
  }
  const has = (p: Protocol): boolean => protocols.includes(p);
  if (options.ports !== undefined) {
    const sel = parsePortSpec(options.ports, protocols);
    warnings.push(...(sel.warnings ?? []));
    ports = has('tcp') ? sel.tcp : [];
    udpPorts = has('udp') ? sel.udp : [];
  } else {
    ports = has('tcp') ? topPorts(options.topPorts ?? DEFAULT_TOP_PORTS, 'tcp') : [];
    udpPorts = has('udp') ? topPorts(options.topPorts ?? DEFAULT_TOP_PORTS, 'udp') : [];
  }
  if (options.excludePorts !== undefined) {
    ({ tcp: ports, udp: udpPorts } = excludePorts({ tcp: ports, udp: udpPorts }, options.excludePorts));
  }
  if (options.pingOnly) {
    if (options.skipDiscovery) warnings.push('-sn with -Pn: every host is reported up without a probe');
    ports = [];
    udpPorts = [];
  } else if (ports.length + udpPorts.length === 0) throw new OptionError('no ports to scan (check -p and --exclude-ports)');
  const discovery = discoveryPlan(options);
  if (options.maxRatePerHost !== undefined && !(options.maxRatePerHost > 0)) throw new OptionError('--max-rate-per-host must be a positive number');
  const targetSpecs = options.targets ?? [];
  for (const spec of targetSpecs) parseTargetSpec(spec);
  for (const spec of options.exclude ?? []) parseExcludeSpec(spec);
  if (options.targetFile !== undefined) checkTargetFile(options.targetFile, '-iL');
  if (options.excludeFile !== undefined) checkTargetFile(options.excludeFile, '--excludefile');
  if (typeof options.blocklist === 'string') checkTargetFile(options.blocklist, '--blocklist');
  if (targetSpecs.length === 0 && options.targetFile === undefined) {
    throw new OptionError('no targets given (name hosts or networks, or use -iL FILE)');
  }
  checkWalkOptions(options);
  const sources = options.sourceAddresses !== undefined ? checkSourceAddresses(options.sourceAddresses) : undefined;
  if (sources && has('tcp')) warnings.push('-S applies to UDP probes only: TCP connects use the source address the kernel picks');
  const detection = serviceDetectionOptions(options);
  const timing = resolveTiming(options, openFileLimit());
  const backend = chooseBackend(options);
  const sortedPorts = [...ports].sort((a, b) => a - b);
  const probeOrder = Uint16Array.from(sortedPorts);
  if (!options.sequentialPorts) shuffle(probeOrder);
  const sortedUdp = [...udpPorts].sort((a, b) => a - b);
  const udpOrder = Uint16Array.from(sortedUdp);
  if (!options.sequentialPorts) shuffle(udpOrder);
  const scanInfo: ScanInfo[] = [];
  if (has('tcp')) scanInfo.push({ type: 'connect', protocol: 'tcp', numServices: sortedPorts.length, services: formatPortRanges(sortedPorts) });
  if (has('udp')) scanInfo.push({ type: 'udp', protocol: 'udp', numServices: sortedUdp.length, services: formatPortRanges(sortedUdp) });

  const start: ScanStart = {
    scanner: 'portscope',
    version: VERSION,
    args: options.commandLine ?? 'portscope scan',
    startTime: Date.now(),
    scanInfo,
    verbose: options.verbose ?? 0,
  };
  const seed = options.resume ? options.resume.seed : options.seed !== undefined ? seedValue(options.seed) : randomInt(0, 2 ** 32);
  const resumed = options.resume ? indexResume(options.resume.hosts) : null;
  const size: { hosts?: number } = {};
  if (!usesWalk(options) && options.targetFile === undefined) size.hosts = literalHostCount(targetSpecs);
  const targets = usesWalk(options) ? walkStream(options, targetSpecs, seed, sortedPorts, sortedUdp, resumed, (n) => (size.hosts = n)) : targetStream(options, targetSpecs);
  const plan: EnginePlan = {
    start,
    targets,
    ports: probeOrder,
    timing,
    discoveryPorts: discovery.tcp,
    backend: backend.factory,
    isLoopback,
    serviceName: serviceNamer('tcp', probeOrder.length),
    wildcard: { minPorts: options.wildcardMinPorts ?? 20, openRatio: options.wildcardOpenRatio ?? 0.9 },
    progressIntervalMs: options.progressIntervalMs ?? 0,
    hostsTotal: () => size.hosts,
  };
  if (!options.noReverseDns && !options.dryRun) plan.reverseDns = createReverseDns();
  if (options.signal) plan.signal = options.signal;
  if (detection) plan.service = servicePlan(detection, backend.dialer);
  if (!options.skipDiscovery && !options.dryRun && options.proxy === undefined && options.neighbourDiscovery !== false) plan.neighbourUp = neighbourChecker();
  if (discovery.ping) plan.ping = discovery.ping;
  if (options.maxRatePerHost !== undefined) plan.maxRatePerHost = options.maxRatePerHost;
  if (options.maxRateNow) plan.maxRateNow = options.maxRateNow;
  if (udpOrder.length > 0) plan.udp = udpPlan(udpOrder, options, sources);
  const scheduler = new Scheduler(plan);
  const mapResumed = resumed ? resumeMapper(resumed) : null;
  let resolveSummary!: (s: ScanSummary) => void;
  const summary = new Promise<ScanSummary>((r) => (resolveSummary = r));
  let started = false;
  const iterable: ScanRun = {
    seed,
    summary,
    discovery: discovery.describe,
    backendName: backend.name,
    warnings,
    stop: (reason = 'Stopped') => scheduler.interrupt(reason),
    drain: () => {
      const rest = mapResumed ? scheduler.events.takeAll().flatMap(mapResumed) : scheduler.events.takeAll();
      for (const ev of rest) if (ev.kind === 'end') resolveSummary(ev.summary);
      return rest;
    },
    [Symbol.asyncIterator]() {
      if (started) throw new OptionError('a scan run can be iterated only once; call scan() again');
      started = true;
      scheduler.run();
      const source = mapResumed ? withResumed(scheduler.events, mapResumed) : scheduler.events;
      const inner = source[Symbol.asyncIterator]();
      return {
        async next() {
          const r = await inner.next();
          if (!r.done && r.value.kind === 'end') resolveSummary(r.value.summary);
          return r;
        },
        return: () => inner.return!(),
      };
    },
  };
  return iterable;
}

/** -sV options checked up front; null when -sV is off or nothing is sent (dry run). */
function serviceDetectionOptions(options: ScanOptions): ServiceDetectionOptions | null {
  const sd = options.serviceDetection;
  if (!sd || options.dryRun) return null;
  const o = sd === true ? {} : sd;
  if (o.intensity !== undefined && (!Number.isInteger(o.intensity) || o.intensity < 0 || o.intensity > 9)) {
    throw new OptionError(`invalid version intensity ${o.intensity}: use an integer from 0 to 9`);
  }
  return o;
}

/** -sU: the native prober when built, else connected dgram sockets (nothing sent in a dry run); payloads. */
function udpPlan(ports: Uint16Array, options: ScanOptions, sources: string[] | undefined): NonNullable<EnginePlan['udp']> {
  if (options.proxy !== undefined) throw new OptionError('-sU cannot go through a SOCKS5 proxy (SOCKS5 UDP ASSOCIATE is not supported)');
  return {
    ...(sources ? { sources } : {}),
    ports,
    backend: options.dryRun ? dryUdpBackend : options.backend === 'node' ? dgramUdpBackend : defaultUdpBackend().factory,
    probes: { datagramFor, identify: identifyReply, tableName: (port) => serviceName(port, 'udp'), versions: Boolean(options.serviceDetection) },
  };
}

/** How probes are sent: connect probes (`factory`) and the streams -sV talks over (`dialer`), direct or via --proxy. */
function chooseBackend(options: ScanOptions): { name: string; factory: BackendFactory; dialer: StreamDialer } {
  if (options.dryRun) return { name: 'dry', factory: dryBackend, dialer: directDialer };
  if (options.proxy !== undefined) {
    let endpoint: ReturnType<typeof parseProxyUrl>;
    try {
      endpoint = parseProxyUrl(options.proxy);
    } catch (err) {
      throw new OptionError((err as Error).message);
    }
    return { name: 'socks5', factory: socks5Backend(endpoint), dialer: socks5Dialer(endpoint) };
  }
  const choice = options.backend ?? 'auto';
  if (choice === 'node') return { name: 'node', factory: nodeBackend, dialer: directDialer };
  if (loadNative()) return { name: 'native', factory: nativeBackend, dialer: directDialer };
  if (choice === 'native') throw new OptionError(`--backend native: ${nativeUnavailableReason()}`);
  return { name: 'node', factory: nodeBackend, dialer: directDialer };
}

async function* targetStream(options: ScanOptions, specs: string[]): AsyncGenerator<TargetItem> {
  const exclude = [...(options.exclude ?? [])];
  if (options.excludeFile !== undefined) {
    for await (const spec of readTargetFile(options.excludeFile)) exclude.push(spec);
  }
  // --dry-run sends nothing: no name lookups through the system resolver either (a given resolver is used).
  const resolver = options.resolver ?? (options.dryRun ? dryRunResolver : systemResolver);
  async function* allSpecs(): AsyncGenerator<string> {
    yield* specs;
    if (options.targetFile !== undefined) yield* readTargetFile(options.targetFile);
  }
  const blocklist = options.blocklist === false ? undefined : await loadBlocklist(options.blocklist);
  yield* expandTargets(allSpecs(), { exclude, resolver, resolveAll: options.resolveAll ?? false, ...(blocklist ? { blocklist } : {}) });
}

/** Walk mode: a seed, shards, --randomize-hosts or --resume was asked for (docs/scale.md). */
function usesWalk(options: ScanOptions): boolean {
  return options.seed !== undefined || options.shard !== undefined || options.randomizeHosts === true || options.resume !== undefined;
}

function checkWalkOptions(options: ScanOptions): void {
  if (options.shard) {
    try {
      checkShard(options.shard);
    } catch (err) {
      throw new OptionError((err as Error).message);
    }
    if (options.shard.count > 1 && options.seed === undefined && !options.resume) {
      throw new OptionError('--shards needs --seed: every shard must walk the same order');
    }
  }
}

/** Hosts the literal specs name (before exclusions), or undefined when a name is among them. */
function literalHostCount(specs: string[]): number | undefined {
  let n = 0;
  for (const s of specs) {
    const c = countTargetSpec(s);
    if (c === undefined) return undefined;
    n += Number(c);
  }
  return n;
}

function walkStream(options: ScanOptions, specs: string[], seed: number, sortedPorts: number[], sortedUdp: number[], resumed: ResumeIndex | null, onSize: (n: number) => void): AsyncGenerator<TargetItem> {
  async function* allSpecs(): AsyncGenerator<string> {
    yield* specs;
    if (options.targetFile !== undefined) yield* readTargetFile(options.targetFile);
  }
  return walkTargets(
    {
      specs: allSpecs(),
      exclude: options.exclude ?? [],
      ...(options.excludeFile !== undefined ? { excludeFile: options.excludeFile } : {}),
      // --dry-run sends nothing, name lookups included (as the non-walk path above).
      resolver: options.resolver ?? (options.dryRun ? dryRunResolver : systemResolver),
      resolveAll: options.resolveAll ?? false,
      blocklist: options.blocklist === false ? null : typeof options.blocklist === 'string' ? { file: options.blocklist } : {},
    },
    {
      seed,
      shard: options.shard ?? { index: 0, count: 1 },
      sortedPorts: Uint16Array.from(sortedPorts),
      // -sU: the walk's port axis is TCP ports then UDP ports (docs/scale.md "UDP in the walk").
      ...(sortedUdp.length > 0 ? { sortedUdpPorts: Uint16Array.from(sortedUdp) } : {}),
      sequentialPorts: options.sequentialPorts ?? false,
      onSize,
      ...(resumed ? { finished: resumed.finished, settled: resumed.settled } : {}),
    },
  );
}

/** Fisher–Yates with Math.random: port order only needs to be unpredictable to a casual observer, like nmap's. */
function shuffle(a: Uint16Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
