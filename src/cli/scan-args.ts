import { splitTargetList } from '../targets/index.js';
import { OptionError } from '../model/index.js';
import type { ScanOptions } from '../api/scan.js';
import { parseCount, parseRate, parseTime } from './parse-time.js';

export type OutputKind = 'normal' | 'xml' | 'grepable' | 'json';

export interface ScanCliOptions {
  scan: ScanOptions;
  outputs: { kind: OutputKind; path: string }[];
  openOnly: boolean;
  reason: boolean;
  verbose: number;
  quiet: boolean;
  help: boolean;
  noColor: boolean;
  debug: boolean;
  warnings: string[];
  /** --save: store the scan in the history database (docs/history.md); --db names it. */
  save?: boolean;
  db?: string;
  // ---- distributed (issue 14) ----
  distribute?: DistributeCli;
  // ---- end distributed ----
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
}

// ---- distributed (issue 14): scan --distribute / --attach / --cancel (cli/distribute.ts) ----
export interface DistributeCli {
  /** --distribute: split and enqueue; --attach ID: follow again; --cancel ID. */
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
const DISTRIBUTE_OPTIONS: OptionSpec[] = [
  { names: ['--distribute'], value: false, apply: (o) => distMode(o, 'distribute') },
  { names: ['--attach'], value: true, apply: (o, v) => distMode(o, 'attach', v) },
  { names: ['--cancel'], value: true, apply: (o, v) => distMode(o, 'cancel', v) },
  { names: ['--detach'], value: false, apply: (o) => (dist(o).detach = true) },
  { names: ['--from-workers'], value: true, apply: (o, v) => (dist(o).fromWorkers = [...(dist(o).fromWorkers ?? []), ...v.split(',').filter(Boolean)]) },
  { names: ['--max-rate-per-worker'], value: true, apply: (o, v) => (dist(o).maxRatePerWorker = parseRate('--max-rate-per-worker', v)) },
  { names: ['--lease'], value: true, apply: (o, v) => (dist(o).leaseSeconds = parseCount('--lease', v, 5, 86_400)) },
];
// ---- end distributed ----

type Handler = (o: ScanCliOptions, value: string) => void;
interface OptionSpec {
  names: string[];
  /** Takes a value (next argument, `--x=value`, or attached for one-letter flags). */
  value: boolean;
  apply: Handler;
}

const TEMPLATE_NAMES: Record<string, number> = { paranoid: 0, sneaky: 1, polite: 2, normal: 3, aggressive: 4, insane: 5 };

const set =
  <K extends keyof ScanOptions>(key: K, parse: (flag: string, v: string) => ScanOptions[K]) =>
  (flag: string): Handler =>
  (o, v) => {
    o.scan[key] = parse(flag, v);
  };

const time = (key: keyof ScanOptions, flag: string): OptionSpec => ({ names: [flag], value: true, apply: set(key, parseTime)(flag) });
const count = (key: keyof ScanOptions, flag: string, min: number, max: number): OptionSpec => ({
  names: [flag],
  value: true,
  apply: set(key, (f, v) => parseCount(f, v, min, max))(flag),
});

/** nmap's flags where nmap has them (nmap(1)); ours are long options. */
const OPTIONS: OptionSpec[] = [
  { names: ['-h', '--help'], value: false, apply: (o) => (o.help = true) },
  { names: ['-iL'], value: true, apply: (o, v) => (o.scan.targetFile = v) },
  { names: ['--exclude'], value: true, apply: (o, v) => (o.scan.exclude = [...(o.scan.exclude ?? []), ...splitTargetList(v)]) },
  { names: ['--excludefile'], value: true, apply: (o, v) => (o.scan.excludeFile = v) },
  { names: ['-n'], value: false, apply: (o) => (o.scan.noReverseDns = true) },
  { names: ['-R'], value: false, apply: (o) => (o.scan.noReverseDns = false) },
  { names: ['--resolve-all'], value: false, apply: (o) => (o.scan.resolveAll = true) },
  { names: ['-6'], value: false, apply: () => {} },
  { names: ['-Pn', '--skip-host-discovery'], value: false, apply: (o) => (o.scan.skipDiscovery = true) },
  { names: ['-sT'], value: false, apply: (o) => (o.scan.tcp = true) },
  { names: ['-sU'], value: false, apply: (o) => (o.scan.udp = true) },
  { names: ['-sTU', '-sUT'], value: false, apply: (o) => ((o.scan.tcp = true), (o.scan.udp = true)) },
  { names: ['-p'], value: true, apply: (o, v) => (o.scan.ports = v) },
  { names: ['--top-ports'], value: true, apply: (o, v) => (o.scan.topPorts = parseCount('--top-ports', v, 1, 65536)) },
  { names: ['-F'], value: false, apply: (o) => (o.scan.topPorts = 100) },
  { names: ['--exclude-ports'], value: true, apply: (o, v) => (o.scan.excludePorts = v) },
  { names: ['-r'], value: false, apply: (o) => (o.scan.sequentialPorts = true) },
  { names: ['-T'], value: true, apply: (o, v) => (o.scan.template = parseTemplate(v)) },
  { names: ['--min-rate'], value: true, apply: set('minRate', parseRate)('--min-rate') },
  { names: ['--max-rate'], value: true, apply: set('maxRate', parseRate)('--max-rate') },
  count('maxRetries', '--max-retries', 0, 50),
  count('minParallelism', '--min-parallelism', 1, 65536),
  count('maxParallelism', '--max-parallelism', 1, 65536),
  count('maxHostgroup', '--max-hostgroup', 1, 65535),
  time('hostTimeoutMs', '--host-timeout'),
  time('minRttTimeoutMs', '--min-rtt-timeout'),
  time('maxRttTimeoutMs', '--max-rtt-timeout'),
  time('initialRttTimeoutMs', '--initial-rtt-timeout'),
  time('scanDelayMs', '--scan-delay'),
  { names: ['-S'], value: true, apply: (o, v) => (o.scan.sourceAddresses = [...(o.scan.sourceAddresses ?? []), ...v.split(',')]) },
  { names: ['--proxy', '--proxies'], value: true, apply: (o, v) => (o.scan.proxy = v) },
  { names: ['--backend'], value: true, apply: (o, v) => (o.scan.backend = parseBackend(v)) },
  { names: ['--dry-run'], value: false, apply: (o) => (o.scan.dryRun = true) },
  { names: ['-oN'], value: true, apply: (o, v) => o.outputs.push({ kind: 'normal', path: v }) },
  { names: ['-oX'], value: true, apply: (o, v) => o.outputs.push({ kind: 'xml', path: v }) },
  { names: ['-oG'], value: true, apply: (o, v) => o.outputs.push({ kind: 'grepable', path: v }) },
  { names: ['-oJ'], value: true, apply: (o, v) => o.outputs.push({ kind: 'json', path: v }) },
  {
    names: ['-oA'],
    value: true,
    apply: (o, v) => {
      if (v === '-') throw new OptionError('-oA needs a file name base, not "-"');
      o.outputs.push({ kind: 'normal', path: `${v}.nmap` }, { kind: 'xml', path: `${v}.xml` }, { kind: 'grepable', path: `${v}.gnmap` }, { kind: 'json', path: `${v}.json` });
    },
  },
  { names: ['--open'], value: false, apply: (o) => (o.openOnly = true) },
  { names: ['--reason'], value: false, apply: (o) => (o.reason = true) },
  { names: ['-q', '--quiet'], value: false, apply: (o) => (o.quiet = true) },
  { names: ['--no-color'], value: false, apply: (o) => (o.noColor = true) },
  { names: ['-d'], value: false, apply: (o) => (o.debug = true) },
  { names: ['--save'], value: false, apply: (o) => (o.save = true) },
  { names: ['--db'], value: true, apply: (o, v) => (o.db = v) },
  { names: ['-sV'], value: false, apply: (o) => (o.scan.serviceDetection = versionOptions(o)) },
  {
    names: ['--version-intensity'],
    value: true,
    apply: (o, v) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: parseCount('--version-intensity', v, 0, 9) }),
  },
  { names: ['--version-light'], value: false, apply: (o) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: 2 }) },
  { names: ['--version-all'], value: false, apply: (o) => (o.scan.serviceDetection = { ...versionOptions(o), intensity: 9 }) },
  // --- network scale (docs/scale.md): walk, shards, blocklist, resume ---
  { names: ['--seed'], value: true, apply: (o, v) => (o.scan.seed = parseSeed(v)) },
  { names: ['--shards'], value: true, apply: (o, v) => (o.shards = parseCount('--shards', v, 1, 1_000_000)) },
  { names: ['--shard'], value: true, apply: (o, v) => (o.shardIndex = parseCount('--shard', v, 0, 999_999)) },
  { names: ['--randomize-hosts'], value: false, apply: (o) => (o.scan.randomizeHosts = true) },
  { names: ['--blocklist'], value: true, apply: (o, v) => (o.scan.blocklist = v) },
  { names: ['--no-blocklist'], value: false, apply: (o) => (o.scan.blocklist = false) },
  { names: ['--resume'], value: true, apply: (o, v) => (o.resumeFrom = v) },
  { names: ['--resume-file'], value: true, apply: (o, v) => (o.resumeFile = v) },
  { names: ['--list-pairs'], value: false, apply: (o) => (o.listPairs = true) },
  { names: ['-sn'], value: false, apply: (o) => (o.scan.pingOnly = true) },
  { names: ['--no-arp-ping', '--disable-arp-ping'], value: false, apply: (o) => (o.scan.neighbourDiscovery = false) },
  { names: ['--max-rate-per-host'], value: true, apply: set('maxRatePerHost', parseRate)('--max-rate-per-host') },
  // --- end of network scale ---
];

function parseSeed(v: string): string {
  if (v === '' || v.length > 256) throw new OptionError('invalid --seed: give a number or a word of at most 256 characters');
  return v;
}

/** --shards N --shard I → scan.shard; one without the other is an error. */
function combineShards(o: ScanCliOptions): void {
  if (o.shards === undefined && o.shardIndex === undefined) return;
  if (o.shards === undefined) throw new OptionError('--shard needs --shards N (the number of shards)');
  const index = o.shardIndex ?? (o.shards === 1 ? 0 : undefined);
  if (index === undefined) throw new OptionError('--shards needs --shard I (which shard, 0-based)');
  if (index >= o.shards) throw new OptionError(`--shard ${index} is outside 0..${o.shards - 1} for --shards ${o.shards}`);
  o.scan.shard = { index, count: o.shards };
}

const UNSUPPORTED: Record<string, string> = {
  '-O': 'OS detection (-O) is not supported',
  '-A': '-A (OS and version detection, scripts) is not supported',
  '-sC': 'scripts (-sC) are not supported',
};

const byName = new Map<string, OptionSpec>();
for (const spec of [...OPTIONS, ...DISTRIBUTE_OPTIONS]) for (const n of spec.names) byName.set(n, spec);

/** nmap: --version-intensity/--version-all/--version-light imply -sV. */
function versionOptions(o: ScanCliOptions): { intensity?: number } {
  const sd = o.scan.serviceDetection;
  return typeof sd === 'object' ? sd : {};
}

function parseTemplate(v: string): number {
  const named = TEMPLATE_NAMES[v.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-5]$/.test(v)) throw new OptionError(`invalid timing template "-T${v}": use -T0 to -T5 or paranoid|sneaky|polite|normal|aggressive|insane`);
  return Number(v);
}

function parseBackend(v: string): 'auto' | 'native' | 'node' {
  if (v === 'auto' || v === 'native' || v === 'node') return v;
  throw new OptionError(`invalid --backend "${v}": use auto, native or node`);
}

/** Parse `portscope scan` arguments, nmap style. Throws OptionError with a one-line message. */
export function parseScanArgs(argv: string[]): ScanCliOptions {
  const o: ScanCliOptions = { scan: { targets: [] }, outputs: [], openOnly: false, reason: false, verbose: 0, quiet: false, help: false, noColor: false, debug: false, warnings: [] };
  const warnings = o.warnings;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      o.scan.targets!.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      o.scan.targets!.push(arg);
      continue;
    }
    if (/^-v+$/.test(arg)) {
      o.verbose += arg.length - 1;
      continue;
    }
    if (/^-v\d$/.test(arg)) {
      o.verbose = Number(arg.slice(2));
      continue;
    }
    if (arg === '-sS') {
      warnings.push('-sS (SYN scan) needs raw sockets, which portscope does not use yet: running a connect scan (-sT)');
      continue;
    }
    if (UNSUPPORTED[arg]) throw new OptionError(UNSUPPORTED[arg]!);
    // nmap's -PS[portlist]: the list is attached (getopt optional argument); bare -PS means port 80.
    if (arg.startsWith('-PS')) {
      o.scan.pingPorts = arg.length > 3 ? arg.slice(3) : '80';
      continue;
    }
    if (/^-P[UEPMY]/.test(arg)) throw new OptionError(`${arg.slice(0, 3)} is not available yet: host discovery uses the TCP connect ping (-PS) and the neighbour table`);
    let name = arg;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      name = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    }
    let spec = byName.get(name);
    if (!spec && !arg.startsWith('--')) {
      // Attached values: -p22, -p-, -T4, -oXfile (nmap accepts these).
      for (const prefix of ['-iL', '-oN', '-oX', '-oG', '-oJ', '-oA', '-p', '-T']) {
        if (arg.startsWith(prefix) && arg.length > prefix.length) {
          spec = byName.get(prefix);
          inline = arg.slice(prefix.length);
          break;
        }
      }
    }
    if (!spec) throw new OptionError(`unknown option "${arg}" (see portscope scan --help)`);
    if (!spec.value) {
      if (inline !== undefined) throw new OptionError(`option ${name} takes no value`);
      spec.apply(o, '');
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new OptionError(`option ${name} needs a value`);
    }
    spec.apply(o, value);
  }
  o.scan.verbose = o.verbose;
  if (o.distribute) {
    // --distribute --shards N: N is how many shards to split into (the workers take one each), not a local slice.
    if (o.distribute.mode === undefined) throw new OptionError('--detach, --from-workers, --max-rate-per-worker and --lease need --distribute');
    if (o.shardIndex !== undefined) throw new OptionError('--shard I is for a local slice; --distribute hands every shard to the workers');
    if (o.shards !== undefined) o.distribute.shards = o.shards;
    return o;
  }
  combineShards(o);
  return o;
}

