/**
 * `planShards()`: the walk of a scan without scanning — which shard owns a (host, port) pair, and a shard's
 * pairs in walk order. Nothing is sent and no reverse DNS is done; names in the targets are resolved (with
 * `resolver` when given). The same options give the same walk as `scan()` with the same seed.
 */
import { OptionError, type Protocol, type Resolver, type TargetProblem } from '../model/index.js';
import { systemResolver } from '../net/index.js';
import { excludePorts, parsePortSpec, topPorts } from '../ports/index.js';
import { PairWalk, seedValue, parseTargetSpec, parseExcludeSpec, readTargetFile } from '../targets/index.js';
import { buildSpace } from './walk-targets.js';

export interface ShardPlanOptions {
  targets?: string[];
  targetFile?: string;
  exclude?: string[];
  excludeFile?: string;
  /** -sT: TCP ports in the walk (the default unless only `udp` is set), as `scan()`. */
  tcp?: boolean;
  /** -sU: UDP ports in the walk, after the TCP ones on its port axis (docs/scale.md "UDP in the walk"). */
  udp?: boolean;
  /** -p spec; default the 1000 most common ports of each protocol, as `scan()`. */
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
  /** Its UDP ports, ascending (empty unless `udp`). */
  udpPorts: number[];
  /** hosts × (TCP ports + UDP ports). */
  pairs: number;
  problems: TargetProblem[];
  /** Pairs shard `index` owns. */
  shardSize(index: number): number;
  /** The shard owning (address, port, protocol), or undefined when the pair is not part of the scan. */
  shardOf(address: string, port: number, protocol?: Protocol): number | undefined;
  /** Shard `index`'s pairs in walk order, from its `from`-th pair on (a resume point). */
  pairsOf(index: number, from?: number): Generator<{ address: string; port: number; protocol: Protocol }>;
  /** The same without allocating per pair: `visit` returns false to stop. */
  forEachPair(index: number, from: number, visit: (address: string, port: number, protocol: Protocol) => boolean | void): void;
  /**
   * Shard `index`'s pairs from `from` on as `ADDRESS PORT\n` lines (`ADDRESS PORT/udp\n` for UDP) of ASCII
   * into `buf`, as many as fit (a line takes at most 50 bytes): no string or object per pair (IPv4), so a
   * dry run of a /8 keeps a flat heap. Returns the pairs and bytes written.
   */
  writePairLines(index: number, from: number, buf: Uint8Array): { pairs: number; bytes: number };
}

/** Longest `ADDRESS PORT/udp\n` line: a 39-character IPv6 address, a space, five digits, `/udp`, a newline. */
const MAX_LINE = 50;

export async function planShards(options: ShardPlanOptions): Promise<ShardPlan> {
  const specs = options.targets ?? [];
  for (const s of specs) parseTargetSpec(s);
  for (const s of options.exclude ?? []) parseExcludeSpec(s);
  if (!Number.isInteger(options.count) || options.count < 1) throw new OptionError(`invalid shard count ${options.count}: use an integer ≥ 1`);
  const { tcp: ports, udp: udpPorts } = walkPorts(options);
  // The walk's port axis: TCP ports, then UDP ports (index j ≥ pt is UDP port udpPorts[j − pt]).
  const pt = ports.length;
  const axis = [...ports, ...udpPorts];
  const protocolOf = (j: number): Protocol => (j < pt ? 'tcp' : 'udp');
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
    walkOf = Array.from({ length: options.count }, (_, index) => new PairWalk(space.size, axis.length, seed, { index, count: options.count }));
  } catch (err) {
    throw new OptionError((err as Error).message);
  }
  const portIndex = { tcp: new Int32Array(65536).fill(-1), udp: new Int32Array(65536).fill(-1) };
  for (let i = 0; i < axis.length; i++) portIndex[protocolOf(i)][axis[i]!] = i;
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
    udpPorts,
    pairs: space.size * axis.length,
    problems,
    shardSize: (index) => walkFor(index).shardPairs,
    shardOf(address, port, protocol = 'tcp') {
      const h = space.indexOf(address);
      const table = portIndex[protocol];
      const j = table && Number.isInteger(port) && port >= 0 && port < 65536 ? table[port]! : -1;
      if (h < 0 || j < 0) return undefined;
      return walkOf[0]!.shardOfPair(h * axis.length + j);
    },
    forEachPair(index, from, visit) {
      walkFor(index).forEach(from, (host, j) => visit(space.addressAt(host), axis[j]!, protocolOf(j)));
    },
    writePairLines(index, from, buf) {
      suffixes ??= portSuffixes(axis, pt);
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
      for (const { host, portIndex: j } of walkFor(index).pairsFrom(from)) yield { address: space.addressAt(host), port: axis[j]!, protocol: protocolOf(j) };
    },
  };
}

/** The TCP and UDP ports `scan()` would probe for the same options, each ascending (same rules as scan()). */
function walkPorts(options: ShardPlanOptions): { tcp: number[]; udp: number[] } {
  if (options.ports !== undefined && options.topPorts !== undefined) throw new OptionError('-p and --top-ports cannot be combined');
  const protocols: Protocol[] = options.udp ? (options.tcp ? ['tcp', 'udp'] : ['udp']) : ['tcp'];
  const has = (p: Protocol): boolean => protocols.includes(p);
  let sel: { tcp: number[]; udp: number[] };
  if (options.ports !== undefined) {
    const parsed = parsePortSpec(options.ports, protocols);
    sel = { tcp: has('tcp') ? parsed.tcp : [], udp: has('udp') ? parsed.udp : [] };
  } else {
    const n = options.topPorts ?? 1000;
    sel = { tcp: has('tcp') ? topPorts(n, 'tcp') : [], udp: has('udp') ? topPorts(n, 'udp') : [] };
  }
  if (options.excludePorts !== undefined) sel = excludePorts(sel, options.excludePorts);
  if (sel.tcp.length + sel.udp.length === 0) throw new OptionError('no ports to scan (check -p and --exclude-ports)');
  return { tcp: [...sel.tcp].sort((a, b) => a - b), udp: [...sel.udp].sort((a, b) => a - b) };
}

/** ` PORT\n` of every port of the axis (` PORT/udp\n` from index `pt` on) as ASCII bytes, j's at offsets[j]..offsets[j+1]. */
function portSuffixes(axis: number[], pt: number): { bytes: Uint8Array; offsets: Uint32Array } {
  const lines = axis.map((p, j) => (j < pt ? ` ${p}\n` : ` ${p}/udp\n`));
  const offsets = new Uint32Array(axis.length + 1);
  for (let j = 0, o = 0; j < axis.length; j++) {
    offsets[j] = o;
    o += lines[j]!.length;
    offsets[j + 1] = o;
  }
  return { bytes: Buffer.from(lines.join(''), 'latin1'), offsets };
}
