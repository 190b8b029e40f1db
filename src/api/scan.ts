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
  reverseLookup,
  socks5Backend,
  dryRunResolver,
  systemResolver,
  type BackendFactory,
  defaultUdpBackend,
  dgramUdpBackend,
  dryUdpBackend,
  checkSourceAddresses,
} from '../net/index.js';
import { datagramFor, identifyReply } from '../probes/udp/index.js';
import { excludePorts, parsePortSpec, serviceName, topPorts, formatPortRanges } from '../ports/index.js';
import { checkTargetFile, expandTargets, isLoopback, parseExcludeSpec, parseTargetSpec, readTargetFile } from '../targets/index.js';
import type { Resolver } from '../model/index.js';
import { VERSION } from '../version.js';
import { withServiceDetection, type ServiceDetectionOptions } from './service-detect.js';

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
}

const DEFAULT_TOP_PORTS = 1000;
/** nmap's unprivileged host discovery: a connect to 80 and 443 (nmap(1), "Host Discovery"). */
const DISCOVERY_PORTS = Uint16Array.of(80, 443);

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
  if (ports.length + udpPorts.length === 0) throw new OptionError('no ports to scan (check -p and --exclude-ports)');
  const targetSpecs = options.targets ?? [];
  for (const spec of targetSpecs) parseTargetSpec(spec);
  for (const spec of options.exclude ?? []) parseExcludeSpec(spec);
  if (options.targetFile !== undefined) checkTargetFile(options.targetFile, '-iL');
  if (options.excludeFile !== undefined) checkTargetFile(options.excludeFile, '--excludefile');
  if (targetSpecs.length === 0 && options.targetFile === undefined) {
    throw new OptionError('no targets given (name hosts or networks, or use -iL FILE)');
  }
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
  const targets = targetStream(options, targetSpecs);
  const plan: EnginePlan = {
    start,
    targets,
    ports: probeOrder,
    timing,
    discoveryPorts: options.skipDiscovery ? null : DISCOVERY_PORTS,
    backend: backend.factory,
    isLoopback,
    serviceName: (port) => serviceName(port, 'tcp'),
    wildcard: { minPorts: options.wildcardMinPorts ?? 20, openRatio: options.wildcardOpenRatio ?? 0.9 },
    progressIntervalMs: options.progressIntervalMs ?? 0,
  };
  if (!options.noReverseDns && !options.dryRun) plan.reverseDns = (a) => reverseLookup(a);
  if (options.signal) plan.signal = options.signal;
  if (udpOrder.length > 0) plan.udp = udpPlan(udpOrder, options, sources);
  const scheduler = new Scheduler(plan);
  let resolveSummary!: (s: ScanSummary) => void;
  const summary = new Promise<ScanSummary>((r) => (resolveSummary = r));
  let started = false;
  const detectAbort = new AbortController();
  options.signal?.addEventListener('abort', () => detectAbort.abort(), { once: true });
  const iterable: ScanRun = {
    summary,
    backendName: backend.name,
    warnings,
    stop: (reason = 'Stopped') => {
      detectAbort.abort();
      scheduler.interrupt(reason);
    },
    [Symbol.asyncIterator]() {
      if (started) throw new OptionError('a scan run can be iterated only once; call scan() again');
      started = true;
      scheduler.run();
      const source = detection ? withServiceDetection(scheduler.events, detection, detectAbort.signal) : scheduler.events;
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
  // Detection opens its own connections; through a proxy they would bypass it and reach the target directly.
  if (options.proxy !== undefined) throw new OptionError('-sV cannot be combined with --proxy yet');
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

function chooseBackend(options: ScanOptions): { name: string; factory: BackendFactory } {
  if (options.dryRun) return { name: 'dry', factory: dryBackend };
  if (options.proxy !== undefined) {
    let endpoint;
    try {
      endpoint = parseProxyUrl(options.proxy);
    } catch (err) {
      throw new OptionError((err as Error).message);
    }
    return { name: 'socks5', factory: socks5Backend(endpoint) };
  }
  const choice = options.backend ?? 'auto';
  if (choice === 'node') return { name: 'node', factory: nodeBackend };
  if (loadNative()) return { name: 'native', factory: nativeBackend };
  if (choice === 'native') throw new OptionError(`--backend native: ${nativeUnavailableReason()}`);
  return { name: 'node', factory: nodeBackend };
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
  yield* expandTargets(allSpecs(), { exclude, resolver, resolveAll: options.resolveAll ?? false });
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
