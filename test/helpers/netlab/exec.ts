import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** The outcome of one command run to its end (or killed at its timeout). */
export interface RunResult {
  /** Exit code; null when the process ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** True when the timeout killed it (SIGKILL). */
  timedOut: boolean;
}

export interface RunOptions {
  /** Kill with SIGKILL after this long (default 120 s). */
  timeoutMs?: number;
  /** Written to stdin, which is then closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Run a command to its end, collecting output. Never rejects for a non-zero exit: callers assert on it. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const spawnOpts: SpawnOptions = { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env };
  if (opts.cwd !== undefined) spawnOpts.cwd = opts.cwd;
  const child = spawn(cmd, [...args], spawnOpts);
  return collect(child, t0, opts);
}

/** Wait for an already spawned child (with piped stdout/stderr) and collect its output. */
export function collect(child: ChildProcess, t0 = performance.now(), opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, timedOut });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the command may exit without reading its input
      child.stdin.end(opts.input ?? '');
    }
  });
}

/** Run and throw (with the command's stderr) unless it exits 0. For lab setup steps. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`netlab: \`${[cmd, ...args].join(' ')}\` failed (${r.timedOut ? 'timed out' : `exit ${r.code ?? r.signal}`}): ${r.stderr.trim()}`);
  }
  return r.stdout;
}

/** Synchronous, error-swallowing variant for exit-time cleanup, where nothing async can run any more. */
export function runQuiet(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    return '';
  }
}
