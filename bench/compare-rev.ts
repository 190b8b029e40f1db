/**
 * Paired revisions: the same scan from two checkouts of portscope, interleaved in one run, so that the load of
 * a shared machine falls on both alike (a regression of 5 % is below the spread between two separate runs).
 *
 *   node dist/bench/compare-rev.js (--old DIR | --rev COMMIT) [--runs N] [--bench NAME] [--no-nmap] [--keep]   (root)
 *
 * --old DIR     a built checkout (dist/ and build/ present) to compare against this one.
 * --rev COMMIT  build COMMIT in a temporary git worktree (node_modules linked from this checkout, the native
 *               addon built from that commit's sources, tsc) and remove the worktree afterwards (--keep: leave it).
 *
 * --bench       loopback-all (default: 65,535 ports of 127.0.0.1 in a namespace with only lo, the flags of
 *               bench/benchmarks/loopback-all.ts), lab-5000 or lab-5000-loss10 (bench/benchmarks/lab-5000.ts's lab).
 * --no-nmap     leave nmap out (lab-5000-loss10: nmap takes minutes per run).
 *
 * Each round runs old, new, nmap -sS, nmap -sT on the benchmark, then old and new on one open port (the
 * start-up cost). Every run's CPU time (user + system, all threads) is read too: on a loaded machine it
 * moves by a few percent where wall time moves by tens. Prints medians, new/old (of medians, and the median
 * of the per-round ratios) and each side's ratio to nmap; writes bench/out/compare-rev-NAME.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLab } from './lib/lab.js';
import { machine } from './lib/machine.js';
import { type Contender, type ContenderResult, sideBySide } from './lib/side-by-side.js';
import { range, statesFromXml } from './lib/states.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ALL = range(1, 65535);
const LISTEN = [22, 8080, 45678];
/** lab-5000's plan (bench/benchmarks/lab-5000.ts). */
const LAB_PORTS = range(20001, 25000);
const LAB_DROPPED = LAB_PORTS.filter((p) => (p - 20001) % 5 < 2);
const LAB_OPEN = LAB_PORTS.filter((p) => (p - 20001) % 50 === 2);
const BENCHES = ['loopback-all', 'lab-5000', 'lab-5000-loss10'] as const;
type BenchName = (typeof BENCHES)[number];

interface Args {
  old?: string;
  rev?: string;
  runs: number;
  keep: boolean;
  bench: BenchName;
  nmap: boolean;
}

function parse(argv: string[]): Args | string {
  const a: Args = { runs: 7, keep: false, bench: 'loopback-all', nmap: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--old') a.old = argv[++i];
    else if (x === '--rev') a.rev = argv[++i];
    else if (x === '--runs' || x === '-n') a.runs = Number(argv[++i]);
    else if (x === '--keep') a.keep = true;
    else if (x === '--no-nmap') a.nmap = false;
    else if (x === '--bench') {
      const b = argv[++i];
      if (!BENCHES.includes(b as BenchName)) return `--bench takes one of ${BENCHES.join(', ')}`;
      a.bench = b as BenchName;
    } else return `unknown argument ${x}`;
  }
  if (!a.old === !a.rev) return 'give exactly one of --old DIR or --rev COMMIT';
  if (!Number.isInteger(a.runs) || a.runs < 1) return '--runs needs a positive integer';
  return a;
}

function sh(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.stderr?.toString().trim().slice(-400)}`);
}

/** A checkout of `rev` beside this one, built the way a developer builds (tsc, native addon from source). */
function buildRev(rev: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-rev-'));
  rmSync(dir, { recursive: true });
  sh('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, rev], ROOT);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // build-native.mjs never fails the build (the pure-Node backend is the fallback), so check for the addon.
  sh(process.execPath, ['scripts/build-native.mjs', '--from-source'], dir);
  if (!existsSync(join(dir, 'build', 'Release'))) process.stderr.write(`compare-rev: ${rev} has no native addon; it runs the pure-Node backend\n`);
  sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
  return dir;
}

const sec = (ms: number): string => (ms / 1000).toFixed(3);

async function main(argv: string[]): Promise<number> {
  const a = parse(argv);
  if (typeof a === 'string') {
    process.stderr.write(`compare-rev: ${a}\n`);
    return 2;
  }
  const oldRoot = a.old ? resolve(a.old) : buildRev(a.rev!);
  try {
    if (!existsSync(join(oldRoot, 'dist', 'src', 'cli', 'main.js'))) throw new Error(`${oldRoot} is not a built checkout (no dist/src/cli/main.js)`);
    const loop = a.bench === 'loopback-all';
    const ns = loop ? await openLab({ open: LISTEN, loopbackOnly: true }) : await openLab({ drop: LAB_DROPPED, open: LAB_OPEN, lossPercent: a.bench === 'lab-5000-loss10' ? 10 : 0 });
    try {
      const ports = loop ? ALL : LAB_PORTS;
      const spec = loop ? ['-p-'] : ['-p', '20001-25000'];
      const full = ['scan', '-d', ...spec, '-n', '-Pn', '-oX', '-', ns.target];
      const one = ['scan', '-p', String(loop ? LISTEN[0] : LAB_OPEN[0]), '-n', '-Pn', '-oX', '-', ns.target];
      const xml = (o: { stdout: string }) => statesFromXml(o.stdout, ports);
      const ps = (label: string, cwd: string, args: string[]): Contender => ({ label, tool: 'portscope', cmd: 'node', args: ['bin/portscope', ...args], opts: { cwd, netns: ns.scannerNs, measureCpu: true }, parse: xml });
      const nmap = (type: string): Contender => ({ label: `nmap ${type} -T4`, tool: 'nmap', cmd: 'nmap', args: [type, ...spec, '-T4', '-n', '-Pn', '-oX', '-', ns.target], opts: { netns: ns.scannerNs, measureCpu: true }, parse: xml });
      const contenders: Contender[] = [
        ps(`old ${a.bench}`, oldRoot, full),
        ps(`new ${a.bench}`, ROOT, full),
        ...(a.nmap ? [nmap('-sS'), nmap('-sT')] : []),
        { ...ps('old one port', oldRoot, one), parse: undefined },
        { ...ps('new one port', ROOT, one), parse: undefined },
      ];
      const truth = ns.truth(ports);
      const sbs = await sideBySide(contenders, a.runs, truth, ports, (l) => process.stderr.write(l + '\n'));
      const by = (label: string): ContenderResult => sbs.contenders.find((c) => c.label === label)!;
      const m = machine();
      const lines = [`## compare-rev ${a.bench}: ${a.rev ?? oldRoot} (old) vs ${ROOT} (new), ${a.runs} interleaved runs`, '', `${m.date} · ${m.cpu} × ${m.cores} · node ${m.node} · ${m.nmap}`, ''];
      lines.push('| contender | median s | min s | max s | median CPU s (user+sys) | misclassified | load (first–last run) |', '|---|---|---|---|---|---|---|');
      for (const c of sbs.contenders)
        lines.push(`| ${c.label} | ${sec(c.medianMs)} | ${sec(c.minMs)} | ${sec(c.maxMs)} | ${c.medianCpuMs === undefined ? 'n/a' : sec(c.medianCpuMs)} | ${c.misclassifiedMax ?? 'n/a'} | ${c.runs[0]?.load1}–${c.runs.at(-1)?.load1} |`);
      lines.push('');
      const ratio = (x: string, y: string): string => (by(x).medianMs / by(y).medianMs).toFixed(3);
      const cpuRatio = (x: string, y: string): string => ((by(x).medianCpuMs ?? Number.NaN) / (by(y).medianCpuMs ?? Number.NaN)).toFixed(3);
      // Paired differences: run i of new against run i of old, which ran seconds apart under the same load.
      const paired = (x: string, y: string): string => {
        const d = by(x)
          .runs.map((r, i) => r.ms / (by(y).runs[i]?.ms ?? Number.NaN))
          .sort((p, q) => p - q);
        return d[Math.floor(d.length / 2)]!.toFixed(3);
      };
      const [o, n] = [`old ${a.bench}`, `new ${a.bench}`];
      lines.push(
        `- new/old, ${a.bench} medians: **${ratio(n, o)}** (median of per-round ratios ${paired(n, o)}; CPU ${cpuRatio(n, o)}); one port: **${ratio('new one port', 'old one port')}** (per-round ${paired('new one port', 'old one port')}; CPU ${cpuRatio('new one port', 'old one port')})`,
      );
      if (a.nmap) for (const side of [o, n]) lines.push(`- ${side} / nmap -sS: **${ratio(side, 'nmap -sS -T4')}**, / nmap -sT: **${ratio(side, 'nmap -sT -T4')}**`);
      for (const c of sbs.contenders) {
        const e = c.runs.find((r) => r.engine)?.engine?.[0];
        if (e) lines.push(`- ${c.label} -d, first run: \`${e}\``);
      }
      if (sbs.contenders.some((c) => c.failedRuns)) lines.push(`- some runs failed: see bench/out/compare-rev-${a.bench}.json`);
      lines.push('');
      process.stdout.write(lines.join('\n') + '\n');
      const outDir = join(ROOT, 'bench', 'out');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `compare-rev-${a.bench}.json`), JSON.stringify({ machine: m, old: a.rev ?? oldRoot, bench: a.bench, runsPerContender: a.runs, ...sbs }, null, 2) + '\n');
      return sbs.contenders.some((c) => c.failedRuns || c.misclassifiedMax) ? 1 : 0;
    } finally {
      await ns.close();
    }
  } finally {
    if (a.rev && !a.keep) spawnSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', oldRoot], { stdio: 'ignore' });
  }
}

process.exitCode = await main(process.argv.slice(2));
