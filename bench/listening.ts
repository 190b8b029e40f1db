/**
 * `portscope listening` against `ss -ltnup` on a crowded host (issue 3, "Performance"):
 * a fresh network namespace with 20,000 listening TCP sockets held by 2,000 processes, both tools run
 * inside it (`ip netns exec`) alternately N times; prints medians and the ratio portscope/ss.
 *
 *   npm run build && node dist/bench/listening.js [--runs N] [--procs N] [--per-proc M]   (root)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg, release } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench → root
const SCRIPT = join(ROOT, 'test', 'fixtures', 'local', 'listeners.py');
const BIN = join(ROOT, 'bin', 'portscope');

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

/** Wall time of one command in ms; its stdout is read fully (as a user's pipe would) and its lines counted. */
function timed(cmd: string, args: string[]): { ms: number; lines: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, lines: r.stdout.split('\n').length };
}

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
    const ss: number[] = [];
    const oursCmd = ['netns', 'exec', ns, process.execPath, BIN, 'listening', '--json'];
    const ssCmd = ['netns', 'exec', ns, 'ss', '-ltnup'];
    // Warm-up of both (page cache, dentry cache for /proc), not counted.
    const w1 = timed('ip', oursCmd);
    const w2 = timed('ip', ssCmd);
    process.stderr.write(`bench: warm-up portscope ${w1.ms.toFixed(0)} ms (${w1.lines} JSON lines), ss ${w2.ms.toFixed(0)} ms (${w2.lines} lines)\n`);
    for (let i = 0; i < runs; i++) {
      ours.push(timed('ip', oursCmd).ms);
      ss.push(timed('ip', ssCmd).ms);
    }
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const mo = median(ours);
    const ms = median(ss);
    const lines = [
      `| tool | command (inside the namespace) | runs (ms) | median (ms) |`,
      `|---|---|---|---|`,
      `| portscope | \`ip netns exec NS node bin/portscope listening --json\` | ${ours.map((x) => x.toFixed(0)).join(', ')} | ${mo.toFixed(0)} |`,
      `| ss | \`ip netns exec NS ss -ltnup\` | ${ss.map((x) => x.toFixed(0)).join(', ')} | ${ms.toFixed(0)} |`,
      '',
      `ratio portscope / ss (medians): **${(mo / ms).toFixed(2)}** (target ≤ 2) — ${procs * perProc} listening sockets, ${procs} processes, ${runs} alternating runs`,
      `machine: ${cpus().length} CPUs, Linux ${release()}, Node ${process.version}, load average after the runs ${load}`,
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
