import { OptionError, SCAN_FORMATS, splitTargetList, type ScanOptions } from '../entry/scan.js';
import { parseColor } from './color.js';
import type { CommandSpec, OptionSpec } from './options/types.js';
import { parseCount, parseRate, parseTemplate, parseTime } from './parse-time.js';

export interface ScanCliOptions {
  scan: ScanOptions;
  /** `kind` is a SCAN_FORMATS name. */
  outputs: { kind: string; path: string }[];
  openOnly: boolean;
  reason: boolean;
  verbose: number;
  quiet: boolean;
  help: boolean;
  /** --color auto|always|never (--no-color: never). */
  color: 'auto' | 'always' | 'never';
  debug: boolean;
  warnings: string[];
  /** --save: store the scan in the history database (docs/history.md); --db names it. */
  save?: boolean;
  db?: string;
  // --- network scale (docs/scale.md) ---
  /** --shards N / --shard I, combined into scan.shard after parsing. */
  shards?: number;
  shardIndex?: number;
  /** --resume FILE: continue the interrupted scan saved there. */
  resumeFrom?: string;
  /** --resume-file FILE: where an interrupt saves the state to resume from. */
  resumeFile?: string;
  /** --list-pairs: print the walk's (address, port) pairs, send nothing. */
  listPairs?: boolean;
  // --- distributed (issue 14, docs/fleet.md) ---
  distribute?: DistributeCli;
}

/** scan --distribute / --attach ID / --cancel ID and their options (cli/distribute.ts). */
export interface DistributeCli {
  mode?: 'distribute' | 'attach' | 'cancel';
  id?: number;
  shards?: number;
  detach?: boolean;
  fromWorkers?: string[];
  maxRatePerWorker?: number;
  leaseSeconds?: number;
}

const dist = (o: ScanCliOptions): DistributeCli => (o.distribute ??= {});
const distMode = (o: ScanCliOptions, mode: NonNullable<DistributeCli['mode']>, id?: string): void => {
  const d = dist(o);
  if (d.mode !== undefined && d.mode !== mode) throw new OptionError(`--${d.mode} and --${mode} cannot be combined`);
  d.mode = mode;
  if (id !== undefined) d.id = parseCount(`--${mode}`, id, 1, 2 ** 31 - 1);
};

type Opt = OptionSpec<ScanCliOptions>;
const G = {
  targets: 'TARGETS',
  discovery: 'HOST DISCOVERY',
  ports: 'PORTS',
  type: 'SCAN TYPE',
  version: 'SERVICE/VERSION DETECTION  (docs/service-detection.md)',
  timing: 'TIMING AND PERFORMANCE  (TIME is a number with ms, s, m or h; seconds by default)',
  output: 'OUTPUT',
  history: 'HISTORY  (docs/history.md)',
  scale: 'NETWORK SCALE  (docs/scale.md)',
  distributed: 'DISTRIBUTED SCANS  (a PostgreSQL job queue and portscope worker; docs/fleet.md)',
  other: 'OTHER',
};

const flag = (names: string[], group: string, help: string, apply: (o: ScanCliOptions) => void, extra: Partial<Opt> = {}): Opt => ({ names, group, help, apply, ...extra });
const value = (names: string[], arg: string, group: string, help: string, apply: (o: ScanCliOptions, v: string, name: string) => void, extra: Partial<Opt> = {}): Opt => ({ names, arg, group, help, apply, ...extra });
const timeOpt = (key: keyof ScanOptions, name: string, help: string): Opt => value([name], 'TIME', G.timing, help, (o, v) => ((o.scan as Record<string, unknown>)[key] = parseTime(name, v)));
const countOpt = (key: keyof ScanOptions, name: string, min: number, max: number, help: string): Opt => value([name], 'N', G.timing, help, (o, v) => ((o.scan as Record<string, unknown>)[key] = parseCount(name, v, min, max)));

/** nmap: --version-intensity/--version-all/--version-light imply -sV. */
function versionOptions(o: ScanCliOptions): { intensity?: number } {
  const sd = o.scan.serviceDetection;
  return typeof sd === 'object' ? sd : {};
}

/** One option per scan format (SCAN_FORMATS), and -oA for all those with a file extension. */
const OUTPUT_OPTIONS: Opt[] = [
  ...SCAN_FORMATS.filter((f) => f.flag !== undefined).map((f) => value([f.flag!], 'FILE', G.output, f.help, (o, v) => void o.outputs.push({ kind: f.name, path: v }), { attached: true })),
  value(
    ['-oA'],
    'BASE',
    G.output,
    `every format above: ${SCAN_FORMATS.filter((f) => f.ext)
      .map((f) => `BASE.${f.ext}`)
      .join(', ')}\n(with -oN/-oX/-oG/-oJ, FILE "-" writes to stdout instead of the normal output)`,
    (o, v) => {
      if (v === '-') throw new OptionError('-oA needs a file name base, not "-"');
      for (const f of SCAN_FORMATS) if (f.ext) o.outputs.push({ kind: f.name, path: `${v}.${f.ext}` });
    },
    { attached: true },
  ),
];

/** nmap's flags where nmap has them (nmap(1)); ours are long options. */
export const SCAN_OPTIONS: readonly Opt[] = [
  value(['-iL'], 'FILE', G.targets, 'read targets from FILE (whitespace separated, # comments; - = stdin)', (o, v) => (o.scan.targetFile = v), { attached: true }),
  value(['--exclude'], 'LIST', G.targets, 'comma-separated targets to skip (same syntax)', (o, v) => (o.scan.exclude = [...(o.scan.exclude ?? []), ...splitTargetList(v)])),
  value(['--excludefile'], 'FILE', G.targets, 'targets to skip, from a file', (o, v) => (o.scan.excludeFile = v)),
  flag(['-n'], G.targets, 'no reverse DNS for hosts found up', (o) => (o.scan.noReverseDns = true)),
  flag(['-R'], G.targets, 'always resolve (default)', (o) => (o.scan.noReverseDns = false)),
  flag(['--resolve-all'], G.targets, 'scan every address a name resolves to (default: the first)', (o) => (o.scan.resolveAll = true)),
  flag(['-6'], G.targets, 'accepted for nmap compatibility (IPv6 works without it)', () => {}),
  flag(['-Pn', '--skip-host-discovery'], G.discovery, 'treat every host as up (skip the connect ping to ports 80 and 443)', (o) => (o.scan.skipDiscovery = true)),
  flag(['-sn'], G.discovery, 'host discovery only: report which hosts are up, scan no ports', (o) => (o.scan.pingOnly = true)),
  flag(['-PS'], G.discovery, 'TCP connect ping to PORTS (attached: -PS22,80; bare -PS: port 80); a reset proves life too', (o) => (o.scan.pingPorts = '80'), { display: '-PS[PORTS]' }),
  flag(['-PU'], G.discovery, 'UDP ping to PORTS (attached: -PU53,161; bare -PU: port 40125): an ICMP port-unreachable\nor any reply proves life', (o) => (o.scan.pingUdpPorts = '40125'), { display: '-PU[PORTS]' }),
  flag(['-PE'], G.discovery, 'ICMP echo ping (a ping socket where net.ipv4.ping_group_range allows, else raw with\nCAP_NET_RAW); any -P option replaces the default ping, several combine', (o) => (o.scan.pingEcho = true)),
  flag(['--no-arp-ping', '--disable-arp-ping'], G.discovery, "do not use the kernel's neighbour table (ARP/NDP) to prove on-link hosts up", (o) => (o.scan.neighbourDiscovery = false)),
  value(['-p'], 'SPEC', G.ports, "22,80,8000-8100 · -p- (1-65535) · -100 · 60000- · T:22,U:53 · service names (http,ssh,'http*')", (o, v) => (o.scan.ports = v), { attached: true }),
  value(['--top-ports'], 'N', G.ports, "the N most common TCP ports (portscope's own ranking, docs/top-ports.md)", (o, v) => (o.scan.topPorts = parseCount('--top-ports', v, 1, 65536))),
  flag(['-F'], G.ports, 'fast: the 100 most common ports (default: 1000)', (o) => (o.scan.topPorts = 100)),
  value(['--exclude-ports'], 'SPEC', G.ports, 'ports to leave out', (o, v) => (o.scan.excludePorts = v)),
  flag(['-r'], G.ports, 'probe ports in order (default: random order)', (o) => (o.scan.sequentialPorts = true)),
  flag(['-sT'], G.type, 'TCP connect scan (the default; needs no privileges)', (o) => (o.scan.tcp = true)),
  flag(['-sS'], G.type, 'accepted; runs a connect scan (portscope sends no raw packets yet)', (o) => o.warnings.push('-sS (SYN scan) needs raw sockets, which portscope does not use yet: running a connect scan (-sT)')),
  flag(['-sU'], G.type, 'UDP scan (with -sT or as -sTU: both; T:/U: in -p pick ports per protocol; docs/udp.md)', (o) => (o.scan.udp = true)),
  value(['--proxy', '--proxies'], 'URL', G.type, 'connect through a SOCKS5 proxy: socks5://[user:pass@]HOST:PORT (states: docs/proxy.md)', (o, v) => (o.scan.proxy = v)),
  flag(['-sV'], G.version, 'identify the service, product and version on open TCP ports; TLS on any port', (o) => (o.scan.serviceDetection = versionOptions(o))),
  value(['--version-intensity'], 'N', G.version, '0 (light) to 9 (try every probe); default 7; implies -sV', (o, v) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: parseCount('--version-intensity', v, 0, 9) })),
  flag(['--version-light'], G.version, '--version-intensity 2', (o) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: 2 })),
  flag(['--version-all'], G.version, '--version-intensity 9', (o) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: 9 })),
  value(['-T'], 'TEMPLATE', G.timing, 'paranoid, sneaky, polite, normal (default), aggressive, insane (or 0-5)', (o, v) => (o.scan.template = parseTemplate(v)), {
    attached: true,
    display: '-T0..-T5',
    choices: ['0', '1', '2', '3', '4', '5', 'paranoid', 'sneaky', 'polite', 'normal', 'aggressive', 'insane'],
  }),
  value(['--min-rate'], 'N', G.timing, 'send at least N probes per second', (o, v) => (o.scan.minRate = parseRate('--min-rate', v))),
  value(['--max-rate'], 'N', G.timing, 'send at most N probes per second', (o, v) => (o.scan.maxRate = parseRate('--max-rate', v))),
  countOpt('maxRetries', '--max-retries', 0, 50, 'cap on retries of an unanswered port (default: 10; -T4 6; -T5 2). portscope retries\nonly as much as the measured packet loss calls for, up to this cap'),
  timeOpt('hostTimeoutMs', '--host-timeout', 'give up on a host after TIME'),
  timeOpt('minRttTimeoutMs', '--min-rtt-timeout', 'lower bound of the adaptive per-probe timeout'),
  timeOpt('maxRttTimeoutMs', '--max-rtt-timeout', 'upper bound of the adaptive per-probe timeout'),
  timeOpt('initialRttTimeoutMs', '--initial-rtt-timeout', 'start value of the adaptive per-probe timeout'),
  countOpt('minParallelism', '--min-parallelism', 1, 65536, 'probes in flight, at least'),
  countOpt('maxParallelism', '--max-parallelism', 1, 65536, 'probes in flight, at most'),
  countOpt('maxHostgroup', '--max-hostgroup', 1, 65535, 'hosts scanned at once'),
  timeOpt('scanDelayMs', '--scan-delay', 'wait TIME between probes'),
  value(['--max-rate-per-host'], 'N', G.timing, 'send at most N probes per second to any one host', (o, v) => (o.scan.maxRatePerHost = parseRate('--max-rate-per-host', v))),
  ...OUTPUT_OPTIONS,
  flag(['--open'], G.output, 'show only open ports', (o) => (o.openOnly = true)),
  flag(['--reason'], G.output, 'show why each port has its state', (o) => (o.reason = true)),
  flag(['-v'], G.output, "more detail (open ports as they are found, down hosts, wildcard hosts' ports)", (o) => o.verbose++, { display: '-v, -vv' }),
  flag(['-q', '--quiet'], G.output, 'no progress line and no warnings on stderr', (o) => (o.quiet = true)),
  value(['--color'], 'WHEN', G.output, 'auto (default: on a terminal; NO_COLOR and FORCE_COLOR respected), always, never', (o, v) => (o.color = parseColor(v)), { choices: ['auto', 'always', 'never'] }),
  flag(['--no-color'], G.output, '--color never', (o) => (o.color = 'never')),
  flag(['-d'], G.output, "debug: say which connect backend runs and how each host's time was spent", (o) => (o.debug = true)),
  flag(['--save'], G.history, 'store the scan in the history database (after the outputs are written)', (o) => (o.save = true)),
  value(['--db'], 'PATH', G.history, 'history database: SQLite file or postgres:// URL (default: $PORTSCOPE_DB, else\n$XDG_DATA_HOME/portscope/history.db, ~/.local/share/portscope/history.db)', (o, v) => (o.db = v)),
  value(['--seed'], 'SEED', G.scale, 'seed of the random walk over host x port (a number or a word); same seed, same order', (o, v) => (o.scan.seed = parseSeed(v))),
  value(['--shards'], 'N', G.scale, 'split the walk into N disjoint shards (with --shard I and the same --seed)', (o, v) => (o.shards = parseCount('--shards', v, 1, 1_000_000))),
  value(['--shard'], 'I', G.scale, 'scan shard I (0-based) of --shards N', (o, v) => (o.shardIndex = parseCount('--shard', v, 0, 999_999))),
  flag(['--randomize-hosts'], G.scale, 'scan hosts in a random order (nmap), through the seeded walk', (o) => (o.scan.randomizeHosts = true)),
  value(['--blocklist'], 'FILE', G.scale, 'ranges never scanned inside larger targets (replaces the default: 0/8, 224/4, 240/4, ::/128, ff00::/8)', (o, v) => (o.scan.blocklist = v)),
  flag(['--no-blocklist'], G.scale, 'no default blocklist', (o) => (o.scan.blocklist = false)),
  value(['--resume'], 'FILE', G.scale, 'continue the interrupted scan saved in FILE, port by port', (o, v) => (o.resumeFrom = v)),
  value(['--resume-file'], 'FILE', G.scale, 'where an interrupt (Ctrl-C, SIGTERM) saves the scan state for --resume', (o, v) => (o.resumeFile = v)),
  flag(['--list-pairs'], G.scale, "print the walk's (address, port) pairs in order and send nothing", (o) => (o.listPairs = true)),
  flag(['--distribute'], G.distributed, 'split the scan into shards (--shards N, default one per live worker) on the queue in --db postgres://…; workers scan them', (o) => distMode(o, 'distribute')),
  flag(['--detach'], G.distributed, 'with --distribute: print the scan id and return at once', (o) => (dist(o).detach = true)),
  value(['--attach'], 'ID', G.distributed, 'follow distributed scan ID again (progress, then the outputs)', (o, v) => distMode(o, 'attach', v)),
  value(['--cancel'], 'ID', G.distributed, 'cancel distributed scan ID', (o, v) => distMode(o, 'cancel', v)),
  value(
    ['--from-workers'],
    'L[,L...]',
    G.distributed,
    'run every shard once from workers of each label (vantage points) and show the differences',
    (o, v) => (dist(o).fromWorkers = [...(dist(o).fromWorkers ?? []), ...v.split(',').filter(Boolean)]),
  ),
  value(['--max-rate-per-worker'], 'N', G.distributed, 'cap of each worker, probes per second (--max-rate is split across live workers)', (o, v) => (dist(o).maxRatePerWorker = parseRate('--max-rate-per-worker', v))),
  value(['--lease'], 'SECONDS', G.distributed, "a shard's lease: a worker silent that long loses it to another (default 600)", (o, v) => (dist(o).leaseSeconds = parseCount('--lease', v, 5, 86_400))),
  value(
    ['-S'],
    'ADDR[,ADDR...]',
    G.other,
    "UDP probes leave from these local addresses in turn: each is its own ICMP rate-limit\nbucket at the target, so closed ports confirm k times faster (docs/udp.md); TCP: kernel's",
    (o, v) => (o.scan.sourceAddresses = [...(o.scan.sourceAddresses ?? []), ...v.split(',')]),
  ),
  value(['--backend'], 'auto|native|node', G.other, 'probe backends (native: epoll-based addons for TCP connects and UDP with exact ICMP\ncodes, Linux; node: net.Socket and node:dgram)', (o, v) => (o.scan.backend = parseBackend(v)), {
    choices: ['auto', 'native', 'node'],
  }),
  flag(['--dry-run'], G.other, 'send nothing; run the whole plan and report every port closed (reason dry-run)', (o) => (o.scan.dryRun = true)),
  flag(['-h', '--help'], G.other, 'this help', (o) => (o.help = true)),
];

const UNSUPPORTED: Record<string, string> = {
  '-O': 'OS detection (-O) is not supported',
  '-A': '-A (OS and version detection, scripts) is not supported',
  '-sC': 'scripts (-sC) are not supported',
};

/** nmap's spellings the table cannot hold: -vv/-v3 (a count), and options nmap has that we refuse by name. */
export function scanSpecial(o: ScanCliOptions, arg: string): boolean {
  if (/^-v+$/.test(arg)) {
    o.verbose += arg.length - 1;
    return true;
  }
  if (/^-v\d$/.test(arg)) {
    o.verbose = Number(arg.slice(2));
    return true;
  }
  if (UNSUPPORTED[arg]) throw new OptionError(UNSUPPORTED[arg]!);
  // nmap's -PS[portlist]: the list is attached (getopt optional argument); bare -PS means port 80.
  if (arg.startsWith('-PS')) {
    o.scan.pingPorts = arg.length > 3 ? arg.slice(3) : '80';
    return true;
  }
  // -PU[portlist] likewise; nmap's default UDP ping port is 40125 (nmap(1), "-PU").
  if (arg.startsWith('-PU')) {
    o.scan.pingUdpPorts = arg.length > 3 ? arg.slice(3) : '40125';
    return true;
  }
  if (/^-PE./.test(arg)) throw new OptionError(`${arg}: -PE takes no argument`);
  if (/^-P[PMYAO]/.test(arg)) throw new OptionError(`${arg.slice(0, 3)} is not available: host discovery uses -PS (TCP connect), -PU (UDP), -PE (ICMP echo) and the neighbour table`);
  return false;
}

function parseSeed(v: string): string {
  if (v === '' || v.length > 256) throw new OptionError('invalid --seed: give a number or a word of at most 256 characters');
  return v;
}

function parseBackend(v: string): 'auto' | 'native' | 'node' {
  if (v === 'auto' || v === 'native' || v === 'node') return v;
  throw new OptionError(`invalid --backend "${v}": use auto, native or node`);
}

export const initScanCli = (): ScanCliOptions => ({ scan: { targets: [] }, outputs: [], openOnly: false, reason: false, verbose: 0, quiet: false, help: false, color: 'auto', debug: false, warnings: [] });

export const SCAN_COMMAND: CommandSpec<ScanCliOptions> = {
  name: 'scan',
  usage: ['[options] TARGET...'],
  description: "TCP connect and UDP scans of hosts and networks, with nmap's flags where nmap has them.",
  style: 'nmap',
  options: SCAN_OPTIONS,
  operand: {
    name: 'TARGET',
    group: G.targets,
    help: '192.0.2.7, 2001:db8::7, 192.0.2.0/24, 2001:db8::/120, 10.0.0.1-20, 10.0.1-3.1,\n10.0.0.*, host.example, host.example/28 (name, then CIDR)',
    apply: (o, v) => void o.scan.targets!.push(v),
  },
  special: scanSpecial,
  init: initScanCli,
  footer: `Exit status: 0 scan finished, 1 scan failed (e.g. no connection could be opened), 2 bad input, or --save
failed (outputs are written first), 130/143 interrupted by SIGINT/SIGTERM (outputs are complete and valid
with the results so far).

Examples:
  portscope scan 127.0.0.1
  portscope scan -p- -T4 -n -Pn --open 192.0.2.0/28 -oA lab
  portscope scan -p 22,80,443 --reason -oX - scanme.example`,
};
