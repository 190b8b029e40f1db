import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One finished command: exit code, captured output, wall time, and peak RSS when measured. */
export interface RunOutcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the command in KiB (GNU time's %M), only with `measureRss`. */
  maxRssKb?: number;
  /** User + system CPU time of the command in ms (GNU time's %U + %S), only with `measureCpu`. */
  cpuMs?: number;
}

export interface RunOptions {
  /** Run inside this network namespace (`ip netns exec NS …`). */
  netns?: string;
  /** Throw away stdout instead of buffering it (outputs of a /12 dry run are hundreds of MB). */
  discardStdout?: boolean;
  /** Wrap in GNU time to read the peak RSS (`/usr/bin/time -f %M`); adds ~1 ms, applied to every tool alike. */
  measureRss?: boolean;
  /**
   * Also read the CPU time (user + system) the same way: on a loaded machine wall times of two runs differ
   * by tens of percent, CPU time by a few (bench/compare-rev.ts).
   */
  measureCpu?: boolean;
  cwd?: string;
  /** Extra environment variables for the command. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Run a command and time it from spawn to exit with the monotonic clock. Wall time includes process start
 * (node's ~40 ms for portscope), because that is what a user waits for; `ip netns exec` costs the same for
 * every tool. Never rejects on a non-zero exit: the caller decides.
 */
export async function runTimed(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunOutcome> {
  let argv = [cmd, ...args];
  let rssDir: string | null = null;
  if (opts.measureRss || opts.measureCpu) {
    rssDir = mkdtempSync(join(tmpdir(), 'psbench-rss-'));
    argv = ['/usr/bin/time', '-f', '%M %U %S', '-o', join(rssDir, 'rss'), ...argv];
  }
  if (opts.netns) argv = ['ip', 'netns', 'exec', opts.netns, ...argv];
  const t0 = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd,
    stdio: ['ignore', opts.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  let timer: NodeJS.Timeout | undefined;
  if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (timer) clearTimeout(timer);
  const outcome: RunOutcome = { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms };
  if (rssDir) {
    try {
      const [kb, user, sys] = (readFileSync(join(rssDir, 'rss'), 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
      if (opts.measureRss && Number.isFinite(kb)) outcome.maxRssKb = kb!;
      if (opts.measureCpu && Number.isFinite(user) && Number.isFinite(sys)) outcome.cpuMs = Math.round((user! + sys!) * 1000);
    } finally {
      rmSync(rssDir, { recursive: true, force: true });
    }
  }
  return outcome;
}

/** Run and require exit 0 (for setup commands: ip, nft). */
export async function must(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runTimed(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
