/**
 * Ctrl-C on a distributed scan's coordinator (docs/fleet.md, "Faults"), through a real terminal: a python3
 * pty (pty.fork) runs the coordinator and relays what the test types, so ^C is the terminal's own SIGINT
 * and the prompt reads a real TTY. y cancels the scan for every worker; n follows on to the end; d detaches;
 * with no terminal (pipes) Ctrl-C detaches and prints how to re-attach, and --attach then finishes it.
 * One worker at 200 probes/s on one lab host × 1,000 ports: a scan lasts about 5 s.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE } from './support/cli.js';
import { startIn, type Proc } from './support/fleet-proc.js';
import { PgCluster, pgUnavailableReason } from './support/pg-cluster.js';

const pgReason = pgUnavailableReason();
const gate = labTestOptions();
const opts = { skip: gate.skip || (pgReason !== null && process.env.CI !== 'true' ? `distributed: ${pgReason}` : false) };

/** Runs argv[1:] on a new pty; stdin → pty, pty → stdout; exits with the child's status (128+N for a signal). */
const PTY_DRIVER = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
inp = sys.stdin.fileno()
reading = True
while True:
    ready = select.select([fd] + ([inp] if reading else []), [], [])[0]
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b''
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    if reading and inp in ready:
        data = os.read(inp, 4096)
        if data:
            os.write(fd, data)
        else:
            reading = False
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(128 - code if code < 0 else code)
`;

let cluster: PgCluster | undefined;
let lab: Lab | undefined;
let worker: Proc | undefined;
let db = '';
before(async () => {
  if (opts.skip) return;
  if (pgReason) throw new Error(`distributed test cannot run in CI: ${pgReason}`);
  cluster = await PgCluster.start();
  db = await cluster.freshDatabase();
  lab = await createLab({ targets: 1, icmpRateLimit: 'off' });
  await lab.listen([4000, 4500], { target: 0 });
  worker = startIn(lab, await lab.addScanner('192.0.2.201'), ['worker', '--db', db, '--max-rate-per-worker', '200']);
  await worker.waitErr(/waiting for shards/);
});
after(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await lab?.close();
  cluster?.close();
});

const SCAN = ['scan', '--distribute', '--shards', '2', '-Pn', '-n', '-p', '4000-4999', '192.0.2.2'];

interface Tty {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp) => Promise<void>;
  exited: Promise<number | null>;
}

function onTty(args: string[]): Tty {
  const child = lab!.spawnIn(lab!.scannerNs, 'python3', ['-c', PTY_DRIVER, process.execPath, PORTSCOPE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) if (w.re.test(out)) w.resolve();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return {
    child,
    output: () => out,
    exited: new Promise((r) => child.once('exit', (code) => r(code))),
    waitFor: (re) =>
      re.test(out)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no ${re} on the terminal within 30 s:\n${out.slice(-2000)}`)), 30_000);
            waiters.push({ re, resolve: () => (clearTimeout(t), resolve()) });
          }),
  };
}

async function stateOf(id: number): Promise<string> {
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  try {
    return (await c.query<{ state: string }>('select state from dist_scans where id = $1', [id])).rows[0]!.state;
  } finally {
    await c.end();
  }
}

async function listed(id: number): Promise<string> {
  const r = await lab!.runInScanner(process.execPath, [PORTSCOPE, 'scans', '--db', db], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, describeRun(r));
  return r.stdout.split('\n').find((l) => l.startsWith(`${id}\t`)) ?? '';
}

/** Start a scan on the terminal, press Ctrl-C once it is queued, answer the prompt. */
async function interruptAndAnswer(answer: string): Promise<{ tty: Tty; id: number; code: number | null }> {
  const tty = onTty([...SCAN, '--db', db]);
  await tty.waitFor(/distributed scan #(\d+) queued/);
  const id = Number(/distributed scan #(\d+) queued/.exec(tty.output())![1]);
  tty.child.stdin!.write('\x03');
  await tty.waitFor(/Cancel scan #\d+ for every worker\?/);
  tty.child.stdin!.write(`${answer}\r`);
  const code = await tty.exited;
  return { tty, id, code };
}

test('Ctrl-C on a terminal, answer y: the scan is cancelled for every worker', opts, async () => {
  assertLabAvailable();
  const { tty, id, code } = await interruptAndAnswer('y');
  assert.equal(code, 130, tty.output());
  assert.match(tty.output(), new RegExp(`scan #${id} cancelled`));
  assert.equal(await stateOf(id), 'cancelled');
  assert.match(await listed(id), new RegExp(`^${id}\\tcancelled\\t`));
});

test('Ctrl-C on a terminal, answer n: the coordinator follows on and writes the merged result', opts, async () => {
  assertLabAvailable();
  const { tty, id, code } = await interruptAndAnswer('n');
  assert.equal(code, 0, tty.output());
  assert.match(tty.output(), /4000\/tcp\s+open/);
  assert.match(tty.output(), /4500\/tcp\s+open/);
  assert.equal(await stateOf(id), 'done');
  assert.match(await listed(id), new RegExp(`^${id}\\tdone\\t2/2\\t`));
});

test('Ctrl-C on a terminal, answer d: detached, the scan goes on and ends done', opts, async () => {
  assertLabAvailable();
  const { tty, id, code } = await interruptAndAnswer('d');
  assert.equal(code, 130, tty.output());
  assert.match(tty.output(), new RegExp(`scan #${id} goes on in the workers; follow it with: portscope scan --attach ${id}`));
  const attach = await lab!.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--attach', String(id), '--db', db, '-q'], { timeoutMs: 60_000 });
  assert.equal(attach.code, 0, describeRun(attach));
  assert.equal(await stateOf(id), 'done');
});

test('Ctrl-C without a terminal detaches (nobody to ask) and says how to re-attach', opts, async () => {
  assertLabAvailable();
  const coord = startIn(lab!, lab!.scannerNs, [...SCAN, '--db', db]);
  await coord.waitErr(/distributed scan #(\d+) queued/);
  const id = Number(/distributed scan #(\d+) queued/.exec(coord.err())![1]);
  coord.child.kill('SIGINT');
  assert.equal(await coord.exited, 130, coord.err());
  assert.match(coord.err(), new RegExp(`scan #${id} goes on in the workers; follow it with: portscope scan --attach ${id} --db`));
  assert.doesNotMatch(coord.err(), /Cancel scan/);
  assert.equal(await stateOf(id), 'running');
  const attach = await lab!.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--attach', String(id), '--db', db], { timeoutMs: 60_000 });
  assert.equal(attach.code, 0, describeRun(attach));
  assert.match(attach.stdout, /4000\/tcp\s+open/);
  assert.equal(await stateOf(id), 'done');
});
