/**
 * Paired revisions: the same scan from two checkouts of portscope, interleaved in one run, so that the load of
 * a shared machine falls on both alike (a regression of 5 % is below the spread between two separate runs).
 *
 *   node dist/bench/compare-rev.js (--old DIR | --rev COMMIT) [--runs N] [--keep]      (root: a namespace)
 *
 * --old DIR     a built checkout (dist/ and build/ present) to compare against this one.
 * --rev COMMIT  build COMMIT in a temporary git worktree (node_modules linked from this checkout, the native
 *               addon built from that commit's sources, tsc) and remove the worktree afterwards (--keep: leave it).
 *
 * Rounds run old, new, nmap -sS, nmap -sT for loopback-all (65,535 ports of 127.0.0.1 in a namespace with only
 * lo, the flags of bench/benchmarks/loopback-all.ts), then old and new for a one-port scan (the start-up cost).
 * Prints medians, new/old, and each side's ratio to nmap; writes bench/out/compare-rev.json.
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

interface Args {
  old?: string;
  rev?: string;
  runs: number;
  keep: boolean;
}

function parse(argv: string[]): Args | string {
  const a: Args = { runs: 7, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--old') a.old = argv[++i];
    else if (x === '--rev') a.rev = argv[++i];
    else if (x === '--runs' || x === '-n') a.runs = Number(argv[++i]);
    else if (x === '--keep') a.keep = true;
    else return `unknown argument ${x}`;
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
    const ns = await openLab({ open: LISTEN, loopbackOnly: true });
    try {
      const full = ['scan', '-d', '-p-', '-n', '-Pn', '-oX', '-', '127.0.0.1'];
      const one = ['scan', '-p', '22', '-n', '-Pn', '-oX', '-', '127.0.0.1'];
      const xml = (o: { stdout: string }) => statesFromXml(o.stdout, ALL);
      const ps = (label: string, cwd: string, args: string[]): Contender => ({ label, tool: 'portscope', cmd: 'node', args: ['bin/portscope', ...args], opts: { cwd, netns: ns.scannerNs, measureCpu: true }, parse: xml });
      const contenders: Contender[] = [
        ps('old loopback-all', oldRoot, full),
        ps('new loopback-all', ROOT, full),
        { label: 'nmap -sS -T4', tool: 'nmap', cmd: 'nmap', args: ['-sS', '-p-', '-T4', '-n', '-Pn', '-oX', '-', '127.0.0.1'], opts: { netns: ns.scannerNs, measureCpu: true }, parse: xml },
        { label: 'nmap -sT -T4', tool: 'nmap', cmd: 'nmap', args: ['-sT', '-p-', '-T4', '-n', '-Pn', '-oX', '-', '127.0.0.1'], opts: { netns: ns.scannerNs, measureCpu: true }, parse: xml },
        { ...ps('old one port', oldRoot, one), parse: undefined },
        { ...ps('new one port', ROOT, one), parse: undefined },
      ];
      const truth = ns.truth(ALL);
      const sbs = await sideBySide(contenders, a.runs, truth, ALL, (l) => process.stderr.write(l + '\n'));
      const by = (label: string): ContenderResult => sbs.contenders.find((c) => c.label === label)!;
      const m = machine();
      const lines = [`## compare-rev: ${a.rev ?? oldRoot} (old) vs ${ROOT} (new), ${a.runs} interleaved runs`, '', `${m.date} · ${m.cpu} × ${m.cores} · node ${m.node} · ${m.nmap}`, ''];
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
      lines.push(
        `- new/old, loopback-all medians: **${ratio('new loopback-all', 'old loopback-all')}** (median of per-round ratios ${paired('new loopback-all', 'old loopback-all')}; CPU ${cpuRatio('new loopback-all', 'old loopback-all')}); one port: **${ratio('new one port', 'old one port')}** (per-round ${paired('new one port', 'old one port')}; CPU ${cpuRatio('new one port', 'old one port')})`,
      );
      for (const side of ['old', 'new']) lines.push(`- ${side} loopback-all / nmap -sS: **${ratio(`${side} loopback-all`, 'nmap -sS -T4')}**, / nmap -sT: **${ratio(`${side} loopback-all`, 'nmap -sT -T4')}**`);
      for (const c of sbs.contenders) {
        const e = c.runs.find((r) => r.engine)?.engine?.[0];
        if (e) lines.push(`- ${c.label} -d, first run: \`${e}\``);
      }
      if (sbs.contenders.some((c) => c.failedRuns)) lines.push('- some runs failed: see bench/out/compare-rev.json');
      lines.push('');
      process.stdout.write(lines.join('\n') + '\n');
      const outDir = join(ROOT, 'bench', 'out');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'compare-rev.json'), JSON.stringify({ machine: m, old: a.rev ?? oldRoot, runsPerContender: a.runs, ...sbs }, null, 2) + '\n');
      return sbs.contenders.some((c) => c.failedRuns || c.misclassifiedMax) ? 1 : 0;
    } finally {
      await ns.close();
    }
  } finally {
    if (a.rev && !a.keep) spawnSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', oldRoot], { stdio: 'ignore' });
  }
}

process.exitCode = await main(process.argv.slice(2));
