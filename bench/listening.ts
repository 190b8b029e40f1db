/**
 * `portscope listening` (--json, and the default table) against `ss -ltnup` on a crowded host (issue 3, "Performance"):
 * a fresh network namespace with 20,000 listening TCP sockets held by 2,000 processes, both tools run
 * inside it (`ip netns exec`) alternately N times; prints medians and the ratio portscope/ss. CLI against
 * CLI (Node's start-up included, as a user running either sees it): portscope with its default reader
 * (sock_diag netlink + the native fd walk) and forced to /proc (PORTSCOPE_LISTENING_SOURCE=proc), wall
 * time and CPU time (user+sys of the child, from our cutime/cstime). Then in-process: listeningReport()
 * + the JSON rendering repeated in one process (bench/listening-inproc.ts), against ss's wall time.
 *
 *   npm run build && node dist/bench/listening.js [--runs N] [--procs N] [--per-proc M]   (root)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, release } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench → root
const SCRIPT = join(ROOT, 'test', 'fixtures', 'local', 'listeners.py');
const BIN = join(ROOT, 'bin', 'portscope');
const INPROC = join(ROOT, 'dist', 'bench', 'listening-inproc.js');

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a positive integer`);
  return v;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU time (user + sys, ms) of our waited-for children so far: fields 16-17 of /proc/self/stat (proc(5)), in clock ticks (100/s). */
function childCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

/** Wall and CPU time of one command in ms; its stdout is read fully (as a user's pipe would) and its lines counted. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; cpu: number; lines: number; stdout: string } {
  const c0 = childCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpu: childCpuMs() - c0, lines: r.stdout.split('\n').length, stdout: r.stdout };
}

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

async function main(argv: string[]): Promise<number> {
  const runs = arg(argv, '--runs', 5);
  const procs = arg(argv, '--procs', 2000);
  const perProc = arg(argv, '--per-proc', 10);
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench: needs root (network namespace)\n');
    return 2;
  }
  const ns = `psbench${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  const child = spawn('ip', ['netns', 'exec', ns, '/usr/bin/python3', SCRIPT, '--procs', String(procs), '--per-proc', String(perProc), '--base-port', '20000'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const setup0 = Date.now();
    await new Promise<void>((res, rej) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && res());
      child.once('exit', (c) => rej(new Error(`listeners.py exited ${c}`)));
    });
    process.stderr.write(`bench: ${procs * perProc} sockets in ${procs} processes ready in ${Date.now() - setup0} ms\n`);
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const proc: number[] = [];
    const procCpu: number[] = [];
    const late: number[] = [];
    const lateCpu: number[] = [];
    const table: number[] = [];
    const tableCpu: number[] = [];
    const ss: number[] = [];
    const ssCpu: number[] = [];
    const oursCmd = ['netns', 'exec', ns, process.execPath, BIN, 'listening', '--json'];
    // The default table output: what a terminal user compares with ss's text (like for like).
    const tableCmd = ['netns', 'exec', ns, process.execPath, BIN, 'listening'];
    const ssCmd = ['netns', 'exec', ns, 'ss', '-ltnup'];
    const PROC = { PORTSCOPE_LISTENING_SOURCE: 'proc' };
    const LATE = { PORTSCOPE_EARLY_WALK: '0' };
    // Warm-up of each (page cache, dentry cache for /proc), not counted.
    const w1 = timed('ip', oursCmd);
    const w2 = timed('ip', ssCmd);
    const w3 = timed('ip', oursCmd, PROC);
    timed('ip', tableCmd);
    const sourceOf = (out: string): string => /"source":"(\w+)"/.exec(out)?.[1] ?? '?';
    process.stderr.write(
      `bench: warm-up portscope ${w1.ms.toFixed(0)} ms (${w1.lines} JSON lines, source ${sourceOf(w1.stdout)}), /proc ${w3.ms.toFixed(0)} ms (source ${sourceOf(w3.stdout)}), ss ${w2.ms.toFixed(0)} ms (${w2.lines} lines)\n`,
    );
    for (let i = 0; i < runs; i++) {
      const a = timed('ip', oursCmd);
      ours.push(a.ms);
      oursCpu.push(a.cpu);
      const l = timed('ip', oursCmd, LATE);
      late.push(l.ms);
      lateCpu.push(l.cpu);
      const t = timed('ip', tableCmd);
      table.push(t.ms);
      tableCpu.push(t.cpu);
      const b = timed('ip', ssCmd);
      ss.push(b.ms);
      ssCpu.push(b.cpu);
      const c = timed('ip', oursCmd, PROC);
      proc.push(c.ms);
      procCpu.push(c.cpu);
    }
    const inproc = JSON.parse(timed('ip', ['netns', 'exec', ns, process.execPath, INPROC, String(runs)]).stdout) as { first: number; times: number[]; source: string };
    const inprocProc = JSON.parse(timed('ip', ['netns', 'exec', ns, process.execPath, INPROC, String(runs), 'proc']).stdout) as { first: number; times: number[]; source: string };
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const mo = median(ours);
    const mp = median(proc);
    const ms = median(ss);
    const mi = median(inproc.times);
    const mip = median(inprocProc.times);
    const lines = [
      `| tool | command (inside the namespace) | wall, runs (ms) | wall median (ms) | CPU user+sys median (ms) |`,
      `|---|---|---|---|---|`,
      `| portscope (sock_diag) | \`ip netns exec NS node bin/portscope listening --json\` | ${fmt(ours)} | ${mo.toFixed(0)} | ${median(oursCpu).toFixed(0)} |`,
      `| portscope (sock_diag), walk not started early | \`PORTSCOPE_EARLY_WALK=0 ip netns exec NS node bin/portscope listening --json\` | ${fmt(late)} | ${median(late).toFixed(0)} | ${median(lateCpu).toFixed(0)} |`,
      `| portscope (sock_diag), table | \`ip netns exec NS node bin/portscope listening\` | ${fmt(table)} | ${median(table).toFixed(0)} | ${median(tableCpu).toFixed(0)} |`,
      `| portscope (/proc) | \`PORTSCOPE_LISTENING_SOURCE=proc ip netns exec NS node bin/portscope listening --json\` | ${fmt(proc)} | ${mp.toFixed(0)} | ${median(procCpu).toFixed(0)} |`,
      `| ss | \`ip netns exec NS ss -ltnup\` | ${fmt(ss)} | ${ms.toFixed(0)} | ${median(ssCpu).toFixed(0)} |`,
      `| in-process, sock_diag | listeningReport() + JSON render, ${runs}× in one process (first: ${inproc.first.toFixed(0)}) | ${fmt(inproc.times)} | ${mi.toFixed(0)} | |`,
      `| in-process, /proc | the same with source 'proc' (first: ${inprocProc.first.toFixed(0)}) | ${fmt(inprocProc.times)} | ${mip.toFixed(0)} | |`,
      '',
      `CLI vs CLI, ratio portscope / ss (wall medians): **${(mo / ms).toFixed(2)}** with sock_diag (target ≤ 1.0), ${(mp / ms).toFixed(2)} with /proc; CPU ${(median(oursCpu) / median(ssCpu)).toFixed(2)} / ${(median(procCpu) / median(ssCpu)).toFixed(2)}`,
      `CLI vs CLI, the table (default output) / ss: wall **${(median(table) / ms).toFixed(2)}**, CPU ${(median(tableCpu) / median(ssCpu)).toFixed(2)}`,
      `in-process, ratio to ss's wall: **${(mi / ms).toFixed(2)}** with sock_diag, ${(mip / ms).toFixed(2)} with /proc (sources used: ${inproc.source}, ${inprocProc.source})`,
      `${procs * perProc} listening sockets, ${procs} processes, ${runs} alternating runs; machine: ${cpus().length} CPUs, Linux ${release()}, Node ${process.version}, load average after the runs ${load}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
    // Let the killed children be reaped before the namespace goes.
    await new Promise((r) => setTimeout(r, 500));
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

process.exitCode = await main(process.argv.slice(2));
