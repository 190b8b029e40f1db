/**
 * `scan --list-pairs`: the walk's dry run (as zmap's --dryrun, at pair level): one `ADDRESS PORT` line per
 * pair of this shard, in walk order; nothing is sent, no reverse DNS. Written in large chunks that wait
 * for the pipe to drain, so memory stays flat however many pairs there are.
 */
import { dryRunResolver, planShards, type ScanOptions } from '../entry/scan.js';
import type { CliIO } from './io.js';

const CHUNK_LINES = 8192;

export async function listPairs(scan: ScanOptions, io: CliIO): Promise<number> {
  if (scan.seed === undefined) scan.seed = String(Math.floor(Math.random() * 2 ** 32));
  const shard = scan.shard ?? { index: 0, count: 1 };
  const plan = await planShards({
    ...(scan.targets ? { targets: scan.targets } : {}),
    ...(scan.targetFile !== undefined ? { targetFile: scan.targetFile } : {}),
    ...(scan.exclude ? { exclude: scan.exclude } : {}),
    ...(scan.excludeFile !== undefined ? { excludeFile: scan.excludeFile } : {}),
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
  io.stderr.write(`portscope: walk of ${plan.hosts} hosts × ${plan.ports.length} ports, seed ${plan.seed}, shard ${shard.index}/${shard.count}: ${plan.shardSize(shard.index)} pairs\n`);
  const total = plan.shardSize(shard.index);
  for (let from = 0; from < total; from += CHUNK_LINES) {
    let text = '';
    let n = 0;
    plan.forEachPair(shard.index, from, (address, port) => {
      text += `${address} ${port}\n`;
      return ++n < CHUNK_LINES;
    });
    await write(io.stdout, text);
  }
  return 0;
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', () => resolve());
  });
}
