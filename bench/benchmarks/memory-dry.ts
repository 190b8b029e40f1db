import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';

/**
 * Peak RSS of a dry run (the dry backend sends nothing, so 10.0.0.0/8 addresses are never contacted) over a
 * /16 and a /12: 65,536 vs 1,048,576 hosts. If targets are a stream, the peak stays about the same.
 * Normal output goes to /dev/null: we measure the scanner, not a pipe buffer.
 */
const SIZES = [
  { label: 'portscope --dry-run /16', cidr: '10.0.0.0/16', hosts: 65_536 },
  { label: 'portscope --dry-run /12', cidr: '10.0.0.0/12', hosts: 1_048_576 },
];
/** Flat means: 16x the hosts costs at most this factor in peak RSS. */
const FLAT_FACTOR = 1.25;

export const memoryDry: Benchmark = {
  name: 'memory-dry',
  description: 'peak RSS of `portscope scan --dry-run -p 80 -n -Pn` over a /16 and a /12 (16x the hosts)',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const contenders: Contender[] = SIZES.map((s) => {
      const ps = portscopeCmd(ctx, ['--dry-run', '-p', '80', '-n', '-Pn', s.cidr]);
      return { label: s.label, tool: 'portscope' as const, ...ps, opts: { ...ps.opts, measureRss: true, discardStdout: true } };
    });
    const sbs = await sideBySide(contenders, ctx.n, null, [], ctx.log);
    const [small, big] = sbs.contenders;
    const factor = (big!.medianRssKb ?? Infinity) / (small!.medianRssKb ?? 1);
    return {
      name: this.name,
      description: this.description,
      ports: 1,
      ...sbs,
      checks: [
        { what: `peak RSS of the /12 run <= ${FLAT_FACTOR}x that of the /16 run (measured ${factor.toFixed(2)}x)`, pass: factor <= FLAT_FACTOR },
        { what: 'both dry runs exit 0', pass: sbs.contenders.every((c) => c.runs.every((r) => r.code === 0)) },
      ],
      notes: SIZES.map((s, i) => `${s.cidr}: ${s.hosts} hosts, ${(s.hosts / (sbs.contenders[i]!.medianMs / 1000)) | 0} hosts/s`),
    };
  },
};
