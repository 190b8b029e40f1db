import type { SideBySide } from './side-by-side.js';

/** What every benchmark receives. */
export interface BenchContext {
  /** Runs per contender (the CLI's --runs, default 3). */
  n: number;
  /** Package root: portscope runs as `node bin/portscope` from here, as a user would. */
  root: string;
  log: (line: string) => void;
}

/** What a benchmark returns; run.ts adds machine facts and writes bench/out/<name>.json. */
export interface BenchResult extends SideBySide {
  name: string;
  description: string;
  /** Ports per host and the truth's state counts, for the table. */
  ports: number;
  truthCounts?: Record<string, number>;
  /** Pass/fail statements checked against the targets. */
  checks: { what: string; pass: boolean }[];
  notes: string[];
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** The portscope CLI as a user runs it from a checkout. */
export function portscopeCmd(ctx: BenchContext, args: string[]): { cmd: string; args: string[]; opts: { cwd: string } } {
  return { cmd: 'node', args: ['bin/portscope', 'scan', ...args], opts: { cwd: ctx.root } };
}
