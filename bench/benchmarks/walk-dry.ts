import { spawnSync } from 'node:child_process';
import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';

/**
 * The walk's dry run (issue 13): `scan --list-pairs` over 10.0.0.0/16, /12 and /8 × 1 port prints every pair
 * of the seeded walk and sends nothing (no probe, no name lookup: literal targets, -n). Output to /dev/null.
 * Targets: ≥ 2 M pairs/s on the /8 and a peak RSS < 150 MB that stays flat from /16 to /8.
 */
const SIZES = [
  { label: 'walk /16', cidr: '10.0.0.0/16', pairs: 65_536 },
  { label: 'walk /12', cidr: '10.0.0.0/12', pairs: 1_048_576 },
  { label: 'walk /8', cidr: '10.0.0.0/8', pairs: 16_777_216 },
];
const RATE_GOAL = 2_000_000;
const RSS_GOAL_KB = 150 * 1024;
/** Flat: 256x the pairs costs at most this factor in peak RSS. */
const FLAT_FACTOR = 1.5;

function args(cidr: string): string[] {
  return ['--list-pairs', '-n', '-p', '80', '--seed', '1', cidr];
}

/** CPU seconds (user + sys) of one run: wall time on a shared machine mostly measures the other tenants. */
function cpuSeconds(ctx: BenchContext, cidr: string): number | undefined {
  const ps = portscopeCmd(ctx, args(cidr));
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', ps.cmd, ...ps.args], { cwd: ctx.root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return m ? Number(m[1]) + Number(m[2]) : undefined;
}

export const walkDry: Benchmark = {
  name: 'walk-dry',
  description: 'pairs/s and peak RSS of `portscope scan --list-pairs -p 80` over 10.0.0.0/16, /12, /8 (nothing sent)',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const contenders: Contender[] = SIZES.map((s) => {
      const ps = portscopeCmd(ctx, args(s.cidr));
      return { label: s.label, tool: 'portscope' as const, ...ps, opts: { ...ps.opts, measureRss: true, discardStdout: true } };
    });
    const sbs = await sideBySide(contenders, ctx.n, null, [], ctx.log);
    const small = sbs.contenders[0]!;
    const big = sbs.contenders[2]!;
    const rate = SIZES[2]!.pairs / (big.medianMs / 1000);
    const cpu = cpuSeconds(ctx, SIZES[2]!.cidr);
    const cpuRate = cpu ? SIZES[2]!.pairs / cpu : 0;
    const factor = (big.medianRssKb ?? Infinity) / (small.medianRssKb ?? 1);
    return {
      name: this.name,
      description: this.description,
      ports: 1,
      ...sbs,
      checks: [
        { what: `/8: ≥ ${RATE_GOAL / 1e6} M pairs/s wall (measured ${(rate / 1e6).toFixed(2)} M/s)`, pass: rate >= RATE_GOAL },
        { what: `/8: ≥ ${RATE_GOAL / 1e6} M pairs per CPU second (measured ${(cpuRate / 1e6).toFixed(2)} M)`, pass: cpuRate >= RATE_GOAL },
        { what: `/8: peak RSS < 150 MB (measured ${((big.medianRssKb ?? 0) / 1024).toFixed(0)} MiB)`, pass: (big.medianRssKb ?? Infinity) < RSS_GOAL_KB },
        { what: `peak RSS of /8 ≤ ${FLAT_FACTOR}x that of /16 (measured ${factor.toFixed(2)}x)`, pass: factor <= FLAT_FACTOR },
        { what: 'every run exits 0', pass: sbs.contenders.every((c) => c.runs.every((r) => r.code === 0)) },
      ],
      notes: SIZES.map((s, i) => `${s.cidr}: ${s.pairs} pairs, ${(s.pairs / (sbs.contenders[i]!.medianMs / 1000)) | 0} pairs/s wall`).concat(
        cpu ? [`10.0.0.0/8: ${cpu.toFixed(2)} CPU s (user+sys), ${cpuRate | 0} pairs per CPU second`] : [],
      ),
    };
  },
};
