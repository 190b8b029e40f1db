/**
 * `planShards()`: the walk of a scan without scanning — which shard owns a (host, port) pair, and a shard's
 * pairs in walk order. Nothing is sent and no reverse DNS is done; names in the targets are resolved (with
 * `resolver` when given). The same options give the same walk as `scan()` with the same seed.
 */
import { OptionError, type Resolver, type TargetProblem } from '../model/index.js';
import { systemResolver } from '../net/index.js';
import { excludePorts, parsePortSpec, topPorts } from '../ports/index.js';
import { PairWalk, seedValue, parseTargetSpec, parseExcludeSpec, readTargetFile } from '../targets/index.js';
import { buildSpace } from './walk-targets.js';

export interface ShardPlanOptions {
  targets?: string[];
  targetFile?: string;
  exclude?: string[];
  excludeFile?: string;
  /** -p spec; default the 1000 most common TCP ports, as `scan()`. */
  ports?: string;
  topPorts?: number;
  excludePorts?: string;
  seed: string | number;
  /** Number of shards (1 = the whole walk). */
  count: number;
  blocklist?: string | false;
  resolveAll?: boolean;
  resolver?: Resolver;
}

export interface ShardPlan {
  seed: number;
  count: number;
  /** Addresses in the space (after exclusions and blocklist) and its TCP ports, ascending. */
  hosts: number;
  ports: number[];
  /** hosts × ports. */
  pairs: number;
  problems: TargetProblem[];
  /** Pairs shard `index` owns. */
  shardSize(index: number): number;
  /** The shard owning (address, port), or undefined when the pair is not part of the scan. */
  shardOf(address: string, port: number): number | undefined;
  /** Shard `index`'s pairs in walk order, from its `from`-th pair on (a resume point). */
  pairsOf(index: number, from?: number): Generator<{ address: string; port: number }>;
  /** The same without allocating per pair: `visit` returns false to stop. */
  forEachPair(index: number, from: number, visit: (address: string, port: number) => boolean | void): void;
  /**
   * Shard `index`'s pairs from `from` on as `ADDRESS PORT\n` lines of ASCII into `buf`, as many as fit
   * (a line takes at most 46 bytes): no string or object per pair (IPv4), so a dry run of a /8 keeps a flat
   * heap. Returns the pairs and bytes written.
   */
  writePairLines(index: number, from: number, buf: Uint8Array): { pairs: number; bytes: number };
}

/** Longest `ADDRESS PORT\n` line: a 39-character IPv6 address, a space, five digits, a newline. */
const MAX_LINE = 46;

export async function planShards(options: ShardPlanOptions): Promise<ShardPlan> {
  const specs = options.targets ?? [];
  for (const s of specs) parseTargetSpec(s);
  for (const s of options.exclude ?? []) parseExcludeSpec(s);
  if (!Number.isInteger(options.count) || options.count < 1) throw new OptionError(`invalid shard count ${options.count}: use an integer ≥ 1`);
  const ports = tcpPorts(options);
  const seed = seedValue(options.seed);
  async function* allSpecs(): AsyncGenerator<string> {
    yield* specs;
    if (options.targetFile !== undefined) yield* readTargetFile(options.targetFile);
  }
  const { space, problems } = await buildSpace({
    specs: allSpecs(),
    exclude: options.exclude ?? [],
    ...(options.excludeFile !== undefined ? { excludeFile: options.excludeFile } : {}),
    resolver: options.resolver ?? systemResolver,
    resolveAll: options.resolveAll ?? false,
    blocklist: options.blocklist === false ? null : typeof options.blocklist === 'string' ? { file: options.blocklist } : {},
  });
  let walkOf: PairWalk[];
  try {
    walkOf = Array.from({ length: options.count }, (_, index) => new PairWalk(space.size, ports.length, seed, { index, count: options.count }));
  } catch (err) {
    throw new OptionError((err as Error).message);
  }
  const portIndex = new Int32Array(65536).fill(-1);
  for (let i = 0; i < ports.length; i++) portIndex[ports[i]!] = i;
  let suffixes: { bytes: Uint8Array; offsets: Uint32Array } | undefined;
  const walkFor = (index: number): PairWalk => {
    const w = walkOf[index];
    if (!w) throw new RangeError(`shard index ${index} is outside 0..${options.count - 1}`);
    return w;
  };
  return {
    seed,
    count: options.count,
    hosts: space.size,
    ports,
    pairs: space.size * ports.length,
    problems,
    shardSize: (index) => walkFor(index).shardPairs,
    shardOf(address, port) {
      const h = space.indexOf(address);
      const j = Number.isInteger(port) && port >= 0 && port < 65536 ? portIndex[port]! : -1;
      if (h < 0 || j < 0) return undefined;
      return walkOf[0]!.shardOfPair(h * ports.length + j);
    },
    forEachPair(index, from, visit) {
      walkFor(index).forEach(from, (host, j) => visit(space.addressAt(host), ports[j]!));
    },
    writePairLines(index, from, buf) {
      suffixes ??= portSuffixes(ports);
      const { bytes: sfx, offsets } = suffixes;
      let off = 0;
      let pairs = 0;
      const room = buf.length - MAX_LINE;
      if (room < 0) return { pairs, bytes: off };
      walkFor(index).forEach(from, (host, j) => {
        off = space.writeAddress(host, buf, off);
        for (let k = offsets[j]!, end = offsets[j + 1]!; k < end; k++) buf[off++] = sfx[k]!;
        pairs++;
        return off <= room;
      });
      return { pairs, bytes: off };
    },
    *pairsOf(index, from = 0) {
      for (const { host, portIndex: j } of walkFor(index).pairsFrom(from)) yield { address: space.addressAt(host), port: ports[j]! };
    },
  };
}

/** The TCP ports `scan()` would probe for the same options, ascending. */
function tcpPorts(options: ShardPlanOptions): number[] {
  if (options.ports !== undefined && options.topPorts !== undefined) throw new OptionError('-p and --top-ports cannot be combined');
  let ports = options.ports !== undefined ? parsePortSpec(options.ports, ['tcp']).tcp : topPorts(options.topPorts ?? 1000, 'tcp');
  if (options.excludePorts !== undefined) ports = excludePorts({ tcp: ports, udp: [] }, options.excludePorts).tcp;
  if (ports.length === 0) throw new OptionError('no ports to scan (check -p and --exclude-ports)');
  return [...ports].sort((a, b) => a - b);
}

/** ` PORT\n` of every port as ASCII bytes, port j's at offsets[j]..offsets[j+1]. */
function portSuffixes(ports: number[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const text = ports.map((p) => ` ${p}\n`).join('');
  const offsets = new Uint32Array(ports.length + 1);
  for (let j = 0, o = 0; j < ports.length; j++) {
    offsets[j] = o;
    o += String(ports[j]).length + 2;
    offsets[j + 1] = o;
  }
  return { bytes: Buffer.from(text, 'latin1'), offsets };
}
