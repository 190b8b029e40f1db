import { OptionError } from '../entry/scan.js';
import { parseCommandLine } from './options/parse.js';
import { SCAN_COMMAND, type ScanCliOptions } from './scan-options.js';

export type { ScanCliOptions } from './scan-options.js';

/** Parse `portscope scan` arguments, nmap style (scan-options.ts). Throws OptionError with a one-line message. */
export function parseScanArgs(argv: readonly string[]): ScanCliOptions {
  const o = parseCommandLine(SCAN_COMMAND, argv);
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

/** --shards N --shard I → scan.shard; one without the other is an error. */
function combineShards(o: ScanCliOptions): void {
  if (o.shards === undefined && o.shardIndex === undefined) return;
  if (o.shards === undefined) throw new OptionError('--shard needs --shards N (the number of shards)');
  const index = o.shardIndex ?? (o.shards === 1 ? 0 : undefined);
  if (index === undefined) throw new OptionError('--shards needs --shard I (which shard, 0-based)');
  if (index >= o.shards) throw new OptionError(`--shard ${index} is outside 0..${o.shards - 1} for --shards ${o.shards}`);
  o.scan.shard = { index, count: o.shards };
}
