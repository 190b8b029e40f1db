import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { scan, type ScanOptions } from '../../src/index.js';
import type { HostReport } from '../../src/model/index.js';
import { PORTSCOPE } from './support/cli.js';
import { HANG_CLOSED_PORTS, startHangTarget, type HangTarget } from './support/hang-recipe.js';

// Issue 10 item 1: a paced scan could hang for good (about one in 70 with --scan-delay 250ms). The cause was
// the scheduler's pump reading the send budget twice (docs/engine.md, "Pacing and the lost wakeup"). This
// runs the native backend's scan 2,000 times in this process on loopback (no namespace needed), each run
// with a hard timeout. The delays are 1 to 3 ms instead of 250 ms: the race window is a few microseconds per
// paced pump, so short delays hit it more often per second of test (the unfixed code hung here within the
// first few hundred runs), and 2,000 runs take well under a minute. Then 100 CLI processes run the issue's
// exact recipe (`portscope scan -n -Pn --scan-delay 250ms -p 1-6,PORT 127.0.0.1`; before the fix 1 to 4 of
// 100 never ended here): that covers process start-up and exit too, in about a minute (they mostly sleep).

// .ci/run keeps these counts on the machine's Node and lowers them on the other versions it tests (time).
const RUNS = Number(process.env.PORTSCOPE_STRESS_RUNS ?? 2000);
/** A run sends 7 probes a few milliseconds apart: 5 s without an end is a hang, not a slow machine. */
const RUN_TIMEOUT_MS = 5000;

/** The CLI variant: issue 10's exact recipe (--scan-delay 250ms, about 1.8 s a run), four processes at once. */
const CLI_RUNS = Number(process.env.PORTSCOPE_STRESS_CLI_RUNS ?? 100);
const CLI_PARALLEL = 4;
/** 20 s without exit is a hang even on a loaded machine. */
const CLI_TIMEOUT_MS = 20_000;

let target: HangTarget;
let openPort = 0;

before(async () => {
  target = await startHangTarget();
  openPort = target.openPort;
});

after(() => target.close());

/** One scan to its end; rejects with a description when it has not ended after RUN_TIMEOUT_MS. */
async function runOnce(options: ScanOptions, label: string): Promise<HostReport> {
  const run = scan(options);
  assert.equal(run.backendName, 'native');
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.stop('hung');
      reject(new Error(`${label} did not end within ${RUN_TIMEOUT_MS} ms (hang)`));
    }, RUN_TIMEOUT_MS);
  });
  const collect = (async () => {
    let host: HostReport | undefined;
    for await (const ev of run) if (ev.kind === 'host') host = ev.host;
    return host;
  })();
  try {
    const host = await Promise.race([collect, hang]);
    assert.ok(host, `${label}: no host report`);
    return host;
  } finally {
    clearTimeout(timer);
  }
}

test(`the native backend ends each of ${RUNS} paced loopback scans (7 ports, --scan-delay 1-3 ms) with every port right`, async () => {
  const ports = [...HANG_CLOSED_PORTS, openPort];
  for (let i = 0; i < RUNS; i++) {
    const scanDelayMs = 1 + (i % 3);
    const label = `run ${i + 1} of ${RUNS} (--scan-delay ${scanDelayMs}ms)`;
    const host = await runOnce({ targets: ['127.0.0.1'], ports: ports.join(','), skipDiscovery: true, noReverseDns: true, scanDelayMs, backend: 'native' }, label);
    const states = new Map(host.ports.map((p) => [p.port, p.state]));
    for (const p of ports) assert.equal(states.get(p), p === openPort ? 'open' : 'closed', `${label}: port ${p}`);
    assert.equal(host.ports.length, ports.length, label);
  }
});

interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PORTSCOPE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

test(`${CLI_RUNS} CLI runs of issue 10's recipe (--scan-delay 250ms, native backend) all end with every port right`, async () => {
  const args = ['scan', '-n', '-Pn', '--backend', 'native', '--scan-delay', '250ms', '-p', `1-6,${openPort}`, '127.0.0.1'];
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CLI_RUNS && failures.length === 0) {
      const i = ++next;
      const r = await runCli(args);
      const expected = [...HANG_CLOSED_PORTS.map((p) => new RegExp(`^${p}/tcp +closed `, 'm')), new RegExp(`^${openPort}/tcp +open `, 'm')];
      if (r.hung) failures.push(`run ${i} of ${CLI_RUNS} hung (killed after ${CLI_TIMEOUT_MS} ms); stdout:\n${r.stdout}`);
      else if (r.code !== 0) failures.push(`run ${i} exited ${r.code ?? r.signal}\n${r.stdout}\n${r.stderr}`);
      else if (!expected.every((re) => re.test(r.stdout))) failures.push(`run ${i}: a port's state is wrong\n${r.stdout}`);
    }
  };
  await Promise.all(Array.from({ length: CLI_PARALLEL }, worker));
  assert.deepEqual(failures, []);
});
