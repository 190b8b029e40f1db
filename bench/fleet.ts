/**
 * Distributed-scan benchmarks (issue 14), standalone: node dist/bench/fleet.js [--runs N] [overhead] [scaleout] [throughput]
 * (--no-shards4: overhead without the four-shard runs; BENCH_FLEET_LOG=1: worker and coordinator stderr;
 * BENCH_FLEET_PROF=DIR: CPU profiles of the timed commands)
 * A throwaway PostgreSQL (unix socket), a netlab of 100 targets and three extra scanner namespaces for
 * workers. Results: bench/out/fleet.json and stdout; figures are copied into bench/RESULTS.md.
 *  - overhead: the same scan locally vs. `scan --distribute` with one idle worker (wall time, whole command),
 *    and where a one-shard run spends its time (from the rows' timestamps).
 *  - scaleout: --max-rate-per-worker 1000, 1 worker vs 3 workers.
 *  - throughput: dry-run shards (nothing sent): 1000 tiny shards (queue: shards/s) and 512,000 results
 *    (store: results/s), 3 workers.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createLab, type Lab } from '../test/helpers/netlab/index.js';
import { PORTSCOPE } from '../test/lab/support/cli.js';
import { startIn, type Proc } from '../test/lab/support/fleet-proc.js';
import { PgCluster } from '../test/lab/support/pg-cluster.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const which = new Set(args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1)));
const want = (n: string): boolean => which.size === 0 || which.has(n);
const TARGETS = 100;
const RANGE = `192.0.2.2-${1 + TARGETS}`;
const out: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs: RUNS };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function q<T>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

/** CPU seconds (user + system) of the last timed command, from /proc (the command's own getrusage via `time`). */
let lastCpuS = 0;

async function timed(lab: Lab, ns: string, argv: string[]): Promise<number> {
  // BENCH_FLEET_PROF=DIR: every timed command writes a V8 CPU profile there (node --cpu-prof).
  const prof = process.env.BENCH_FLEET_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_FLEET_PROF] : [];
  // GNU time's line goes last on stderr: "PSCPU user system" (seconds).
  const r = await lab.runIn(ns, '/usr/bin/time', ['-f', 'PSCPU %U %S', process.execPath, ...prof, PORTSCOPE, ...argv], { timeoutMs: 900_000 });
  if (r.code !== 0) throw new Error(`portscope ${argv.join(' ')}: exit ${r.code}\n${r.stderr.slice(-2000)}`);
  const m = /PSCPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  lastCpuS = m ? Number(m[1]) + Number(m[2]) : Number.NaN;
  if (process.env.BENCH_FLEET_LOG && r.stderr) console.log(r.stderr);
  return r.ms;
}

/** CPU seconds a running process has used so far (utime + stime of /proc/PID/stat). */
function cpuOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name: state is field 3, utime 14 and stime 15 (proc(5)), in clock ticks (100/s).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function stateCounts(file: string): string {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { hosts: { ports: { state: string }[]; extraports: { state: string; count: number }[] }[] };
  const c: Record<string, number> = {};
  for (const h of doc.hosts) {
    for (const p of h.ports) c[p.state] = (c[p.state] ?? 0) + 1;
    for (const g of h.extraports) c[g.state] = (c[g.state] ?? 0) + g.count;
  }
  return JSON.stringify(Object.fromEntries(Object.entries(c).sort()));
}

async function workersIn(lab: Lab, nss: string[], db: string, extra: string[] = []): Promise<Proc[]> {
  const ws = nss.map((ns) => startIn(lab, ns, ['worker', ...(process.env.BENCH_FLEET_LOG ? [] : ['-q']), '--db', db, ...extra]));
  // -q: no log lines; the worker is up once its heartbeat row exists.
  for (let i = 0; i < 100; i++) {
    const n = await q<{ n: string }>(db, "select count(*) as n from fleet_workers where state != 'stopped'").catch(() => [{ n: '0' }]);
    if (Number(n[0]!.n) >= nss.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return ws;
}

/** Where a distributed run's time went, from the rows' own timestamps (ms since the coordinator started). */
async function phases(db: string, t0: number, wall: number): Promise<Record<string, number>> {
  const [r] = await q<{ c: string; s: string; d: string; e: string }>(
    db,
    'select s.created_at as c, min(d.started_at) as s, max(d.done_at) as d, s.ended_at as e from dist_scans s join dist_shards d on d.scan_id = s.id group by s.id order by s.id desc limit 1',
  );
  const c = Number(r!.c);
  return { startup: c - t0, queue: Number(r!.s) - c, shards: Number(r!.d) - Number(r!.s), notice: Number(r!.e) - Number(r!.d), mergeAndOutputs: t0 + wall - Number(r!.e) };
}

async function stop(ws: Proc[]): Promise<void> {
  for (const w of ws) w.child.kill('SIGTERM');
  await Promise.all(ws.map((w) => w.exited));
}

const cluster = await PgCluster.start();
const lab = await createLab({ targets: TARGETS, icmpRateLimit: 'off' });
try {
  for (let t = 0; t < TARGETS; t++) {
    await lab.listen([22 + (t % 5), 80, 443, 100 + t], { target: t });
    await lab.setFirewall({ drop: [25, 110 + (t % 50)], reset: [23] }, t);
  }
  const nss = [await lab.addScanner('192.0.2.201'), await lab.addScanner('192.0.2.202'), await lab.addScanner('192.0.2.203')];
  mkdirSync('bench/out', { recursive: true });
  const tmp = `/tmp/portscope-fleet-bench-${process.pid}`;
  mkdirSync(tmp, { recursive: true });

  if (want('overhead')) {
    const db = await cluster.freshDatabase();
    const ws = await workersIn(lab, [nss[0]!], db);
    const scanArgs = ['-Pn', '-n', '-p', '1-500', RANGE];
    const local: number[] = [];
    const dist1: number[] = [];
    const dist4: number[] = [];
    const phase1: Record<string, number>[] = [];
    const localCpu: number[] = [];
    const dist1Cpu: { coordinator: number; worker: number }[] = [];
    const load: number[] = [];
    // --shards 1: the distribution machinery alone (queue, store, merge, outputs); --shards 4 adds the cost
    // of slicing the walk (each slice is a scan of its own, run one after the other by the one worker).
    for (let i = 0; i < RUNS; i++) {
      load.push(loadavg()[0]!);
      local.push(await timed(lab, lab.scannerNs, ['scan', ...scanArgs, '-oJ', `${tmp}/local.json`]));
      localCpu.push(lastCpuS);
      const t0 = Date.now();
      const w0 = cpuOf(ws[0]!.child.pid);
      dist1.push(await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--shards', '1', '--lease', '60', '--db', db, ...scanArgs, '-oJ', `${tmp}/dist1.json`]));
      dist1Cpu.push({ coordinator: lastCpuS, worker: Math.round((cpuOf(ws[0]!.child.pid) - w0) * 100) / 100 });
      console.log(`run ${i + 1}: local ${local.at(-1)!.toFixed(0)} ms (cpu ${localCpu.at(-1)} s), distributed ${dist1.at(-1)!.toFixed(0)} ms (cpu ${JSON.stringify(dist1Cpu.at(-1))} s)`);
      const ph = await phases(db, t0, dist1.at(-1)!);
      phase1.push(ph);
      console.log('shards 1 phases', JSON.stringify(ph));
      if (!args.includes('--no-shards4')) dist4.push(await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--shards', '4', '--lease', '60', '--db', db, ...scanArgs, '-oJ', `${tmp}/dist.json`]));
    }
    if (process.env.BENCH_FLEET_LOG) console.log(ws[0]!.err());
    await stop(ws);
    const same = (!dist4.length || stateCounts(`${tmp}/local.json`) === stateCounts(`${tmp}/dist.json`)) && stateCounts(`${tmp}/local.json`) === stateCounts(`${tmp}/dist1.json`);
    out.overhead = {
      pairs: TARGETS * 500,
      localMs: local,
      shards1Ms: dist1,
      shards4Ms: dist4,
      shards1Phases: phase1,
      localCpuS: localCpu,
      shards1CpuS: dist1Cpu,
      ratio1: median(dist1) / median(local),
      ratio4: dist4.length ? median(dist4) / median(local) : null,
      sameStates: same,
      states: stateCounts(`${tmp}/dist1.json`),
      load1: load,
    };
    console.log('overhead', JSON.stringify(out.overhead));
  }

  if (want('scaleout')) {
    const db = await cluster.freshDatabase();
    // 60,000 pairs at 1000/s per worker: a minute for one worker, long enough that the per-shard start-up
    // (a shard is a scan of its own) and the final merge are a small part. 6 shards: 2 per worker.
    const scanArgs = ['-Pn', '-n', '-p', '1-600', RANGE];
    const one: number[] = [];
    const three: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let ws = await workersIn(lab, [nss[0]!], db, ['--max-rate-per-worker', '1000']);
      one.push(await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--shards', '6', '--lease', '120', '--db', db, ...scanArgs, '-oJ', `${tmp}/one.json`]));
      await stop(ws);
      ws = await workersIn(lab, nss, db, ['--max-rate-per-worker', '1000']);
      three.push(await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--shards', '6', '--lease', '120', '--db', db, ...scanArgs, '-oJ', `${tmp}/three.json`]));
      await stop(ws);
    }
    out.scaleout = { pairs: TARGETS * 600, shards: 6, ratePerWorker: 1000, oneWorkerMs: one, threeWorkersMs: three, speedup: median(one) / median(three), sameStates: stateCounts(`${tmp}/one.json`) === stateCounts(`${tmp}/three.json`) };
    console.log('scaleout', JSON.stringify(out.scaleout));
  }

  if (want('throughput')) {
    const span = async (db: string): Promise<{ shards: number; rows: number; ms: number }> => {
      const [s] = await q<{ n: string; a: string; b: string }>(db, 'select count(*) as n, min(started_at) as a, max(done_at) as b from dist_shards');
      // Results stored: port rows plus the closed-at-first-try ports kept as runs in the host rows.
      const [r] = await q<{ n: string }>(db, "select (select count(*) from dist_ports) + (select coalesce(sum((report::json->>'closedCount')::int), 0) from dist_hosts) as n");
      return { shards: Number(s!.n), rows: Number(r!.n), ms: Number(s!.b) - Number(s!.a) };
    };
    let db = await cluster.freshDatabase();
    let ws = await workersIn(lab, nss, db);
    const queueWall = await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--dry-run', '--shards', '1000', '--db', db, '-Pn', '-n', '-p', '1-10', '198.51.100.0/24', '-oJ', '/dev/null']);
    const queue = await span(db);
    await stop(ws);
    db = await cluster.freshDatabase();
    ws = await workersIn(lab, nss, db);
    const storeWall = await timed(lab, lab.scannerNs, ['scan', '--distribute', '-q', '--dry-run', '--shards', '24', '--db', db, '-Pn', '-n', '-p', '1-1000', '198.51.100.0/24', '203.0.113.0/24', '-oJ', '/dev/null']);
    const store = await span(db);
    await stop(ws);
    out.throughput = {
      queue: { ...queue, wallMs: queueWall, shardsPerSecond: (queue.shards * 1000) / queue.ms },
      store: { ...store, wallMs: storeWall, resultsPerSecond: (store.rows * 1000) / store.ms },
    };
    console.log('throughput', JSON.stringify(out.throughput));
  }
  writeFileSync(`bench/out/fleet-${[...which].join('-') || 'all'}.json`, `${JSON.stringify(out, null, 2)}\n`);
} finally {
  await lab.close();
  cluster.close();
}
