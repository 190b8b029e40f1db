/**
 * `scan --list-pairs`: the walk's dry run (as zmap's --dryrun, at pair level): one `ADDRESS PORT` line per
 * pair of this shard, in walk order; nothing is sent, no reverse DNS. Written in large chunks that wait
 * for the pipe to drain, so memory stays flat however many pairs there are.
 */
import { dryRunResolver, planShards, type ScanOptions } from '../entry/scan.js';
import type { CliIO } from './io.js';

/** About 16,000 IPv4 lines per write. */
const CHUNK_BYTES = 256 * 1024;

export async function listPairs(scan: ScanOptions, io: CliIO): Promise<number> {
  if (scan.seed === undefined) scan.seed = String(Math.floor(Math.random() * 2 ** 32));
  const shard = scan.shard ?? { index: 0, count: 1 };
  const plan = await planShards({
    ...(scan.targets ? { targets: scan.targets } : {}),
    ...(scan.targetFile !== undefined ? { targetFile: scan.targetFile } : {}),
    ...(scan.exclude ? { exclude: scan.exclude } : {}),
    ...(scan.excludeFile !== undefined ? { excludeFile: scan.excludeFile } : {}),
    ...(scan.tcp !== undefined ? { tcp: scan.tcp } : {}),
    ...(scan.udp !== undefined ? { udp: scan.udp } : {}),
    ...(scan.ports !== undefined ? { ports: scan.ports } : {}),
    ...(scan.topPorts !== undefined ? { topPorts: scan.topPorts } : {}),
    ...(scan.excludePorts !== undefined ? { excludePorts: scan.excludePorts } : {}),
    ...(scan.blocklist !== undefined ? { blocklist: scan.blocklist } : {}),
    // The walk's dry run: it resolves no name either (the system resolver may send DNS queries).
    resolver: scan.resolver ?? dryRunResolver,
    resolveAll: scan.resolveAll ?? false,
    seed: scan.seed,
    count: shard.count,
  });
  for (const p of plan.problems) io.stderr.write(`${p.message}\n`);
  const axis = plan.udpPorts.length === 0 ? `${plan.ports.length} ports` : `${plan.ports.length + plan.udpPorts.length} ports (${plan.ports.length} TCP, ${plan.udpPorts.length} UDP)`;
  io.stderr.write(`portscope: walk of ${plan.hosts} hosts × ${axis}, seed ${plan.seed}, shard ${shard.index}/${shard.count}: ${plan.shardSize(shard.index)} pairs\n`);
  const total = plan.shardSize(shard.index);
  // Lines are formatted as bytes into one buffer, reused once the stream has taken each chunk: no string
  // per pair and no buffer per chunk, so memory stays flat from a /16 to a /8 (docs/scale.md).
  const buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  for (let from = 0; from < total; ) {
    const { pairs, bytes } = plan.writePairLines(shard.index, from, buf);
    if (pairs === 0) break;
    from += pairs;
    await write(io.stdout, buf.subarray(0, bytes));
  }
  return 0;
}

/** Resolves when the stream is done with `chunk` (its callback: flushed, or failed, which watchStdout reports). */
function write(out: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    out.write(chunk, () => resolve());
  });
}
