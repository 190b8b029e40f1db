import { loadavg } from 'node:os';
import { runTimed, type RunOptions, type RunOutcome } from './proc.js';
import { countStates, differences, type StateMap } from './states.js';
import { median } from './stats.js';

/** One tool in a benchmark: a command line and how to read port states from its output. */
export interface Contender {
  label: string;
  /** 'portscope' or 'nmap': ratios are portscope's median over each nmap contender's. */
  tool: 'portscope' | 'nmap';
  cmd: string;
  args: string[];
  opts?: RunOptions;
  /** Runs of this contender (default: the benchmark's N). */
  runs?: number;
  /** Port states from the finished run; omit for benchmarks that measure only time or memory. */
  parse?: (outcome: RunOutcome) => StateMap;
}

export interface RunRecord {
  ms: number;
  code: number;
  maxRssKb?: number;
  /** CPU time, user + system, with the contender's `measureCpu`. */
  cpuMs?: number;
  misclassified?: number;
  /** Up to 5 ports whose state differs from the truth: `port:got/expected`. */
  examples?: string[];
  stateCounts?: Record<string, number>;
  stderrTail?: string;
  /** portscope's own account of the run (`-d`: probes, late answers, loss, retries, timeout). */
  engine?: string[];
  /** 1-minute load average just before the run: other work on the machine skews wall times. */
  load1: number;
}

export interface ContenderResult {
  label: string;
  tool: string;
  command: string;
  runs: RunRecord[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  medianRssKb?: number;
  medianCpuMs?: number;
  /** Worst run's misclassified count against the lab truth (undefined when states are not compared). */
  misclassifiedMax?: number;
  /** Runs that exited non-zero: their times mean nothing, so no ratio is computed for this contender. */
  failedRuns: number;
}

export interface SideBySide {
  contenders: ContenderResult[];
  /** null when either side had a failed run. */
  ratios: { portscope: string; nmap: string; ratio: number | null }[];
  /** Ports where the first run of portscope and the first run of each nmap contender disagree. */
  agreement: { portscope: string; nmap: string; differing: number; examples: string[] }[];
}

/**
 * Run contenders alternately (round i runs every contender that still owes a run), so that drift in the
 * machine's load hits every tool alike, and compare each run's states with the truth.
 */
export async function sideBySide(contenders: Contender[], n: number, truth: StateMap | null, requested: readonly number[], log: (s: string) => void): Promise<SideBySide> {
  const records = contenders.map(() => [] as RunRecord[]);
  const firstStates = contenders.map(() => null as StateMap | null);
  const rounds = Math.max(...contenders.map((c) => c.runs ?? n));
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of contenders.entries()) {
      if (round >= (c.runs ?? n)) continue;
      const load1 = Math.round(loadavg()[0]! * 100) / 100;
      const o = await runTimed(c.cmd, c.args, c.opts);
      const rec: RunRecord = { ms: round3(o.ms), code: o.code, load1 };
      if (o.maxRssKb !== undefined) rec.maxRssKb = o.maxRssKb;
      if (o.cpuMs !== undefined) rec.cpuMs = o.cpuMs;
      const engine = o.stderr.split('\n').filter((l) => /^portscope: .*probes/.test(l));
      if (engine.length) rec.engine = engine.slice(0, 3);
      if (o.code !== 0)
        rec.stderrTail = o.stderr
          .split('\n')
          .filter((l) => l.trim())
          .slice(0, 3)
          .join(' | ')
          .slice(0, 400);
      if (c.parse && o.code === 0) {
        const states = c.parse(o);
        firstStates[i] ??= states;
        rec.stateCounts = countStates(states, requested);
        if (truth) {
          const diff = differences(states, truth, requested);
          rec.misclassified = diff.length;
          rec.examples = diff.slice(0, 5).map((d) => `${d.port}:${d.a}/${d.b}`);
        }
      }
      records[i]!.push(rec);
      log(
        `  ${c.label} run ${round + 1}: ${(o.ms / 1000).toFixed(2)} s, exit ${o.code}, load ${load1}` +
          (rec.misclassified !== undefined ? `, misclassified ${rec.misclassified}` : '') +
          (rec.maxRssKb !== undefined ? `, peak RSS ${(rec.maxRssKb / 1024).toFixed(1)} MiB` : '') +
          (rec.cpuMs !== undefined ? `, CPU ${(rec.cpuMs / 1000).toFixed(2)} s` : '') +
          (rec.stderrTail ? ` (${rec.stderrTail})` : ''),
      );
    }
  }
  const results: ContenderResult[] = contenders.map((c, i) => {
    const runs = records[i]!;
    const times = runs.map((r) => r.ms);
    const res: ContenderResult = {
      label: c.label,
      tool: c.tool,
      command: [...Object.entries(c.opts?.env ?? {}).map(([k, v]) => `${k}=${v}`), c.cmd, ...c.args].join(' '),
      runs,
      medianMs: round3(median(times)),
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      failedRuns: runs.filter((r) => r.code !== 0).length,
    };
    const rss = runs.flatMap((r) => (r.maxRssKb === undefined ? [] : [r.maxRssKb]));
    if (rss.length) res.medianRssKb = median(rss);
    const cpu = runs.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
    if (cpu.length) res.medianCpuMs = median(cpu);
    const mis = runs.flatMap((r) => (r.misclassified === undefined ? [] : [r.misclassified]));
    if (mis.length) res.misclassifiedMax = Math.max(...mis);
    if (res.failedRuns) delete res.misclassifiedMax;
    return res;
  });
  const ratios: SideBySide['ratios'] = [];
  const agreement: SideBySide['agreement'] = [];
  for (const [i, p] of results.entries()) {
    if (p.tool !== 'portscope') continue;
    for (const [j, q] of results.entries()) {
      if (q.tool !== 'nmap') continue;
      const ok = p.failedRuns === 0 && q.failedRuns === 0;
      ratios.push({ portscope: p.label, nmap: q.label, ratio: ok ? Math.round((p.medianMs / q.medianMs) * 1000) / 1000 : null });
      const a = firstStates[i];
      const b = firstStates[j];
      if (a && b) {
        const diff = differences(a, b, requested);
        agreement.push({ portscope: p.label, nmap: q.label, differing: diff.length, examples: diff.slice(0, 5).map((d) => `${d.port}:${d.a}/${d.b}`) });
      }
    }
  }
  return { contenders: results, ratios, agreement };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
