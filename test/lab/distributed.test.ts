/**
 * Distributed scans (issue 14): a throwaway PostgreSQL, three workers in three scanner namespaces (source
 * addresses 192.0.2.201-203) on a six-host lab (3,000 host × port pairs, 12 shards). One worker is
 * SIGKILLed mid-shard, PostgreSQL is restarted once and the first coordinator is SIGKILLed; a second one
 * re-attaches. The merged result must equal a single-process scan exactly, every (host, port) stored once,
 * the XML valid against nmap's DTD. Bad input: unreachable database, wrong password, a worker of another
 * version, a cancelled scan. Vantage points: two labelled workers see a source-filtered port differently.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { startIn, type Proc } from './support/fleet-proc.js';
import { PASSWORD, PASSWORD_USER, PgCluster, pgUnavailableReason } from './support/pg-cluster.js';
import { readJsonHosts } from './support/read-json.js';

const pgReason = pgUnavailableReason();
const gate = labTestOptions();
const opts = { skip: gate.skip || (pgReason !== null && process.env.CI !== 'true' ? `distributed: ${pgReason}` : false) };
const DTD = '/usr/share/nmap/nmap.dtd';

let cluster: PgCluster | undefined;
before(async () => {
  if (opts.skip) return;
  if (pgReason) throw new Error(`distributed test cannot run in CI: ${pgReason}`);
  cluster = await PgCluster.start();
});
after(() => cluster?.close());

const PORTS = '4000-4499';
const TARGETS = '192.0.2.2-7';

async function sixHostLab(): Promise<Lab> {
  const lab = await createLab({ targets: 6, icmpRateLimit: 'off' });
  for (let t = 0; t < 6; t++) {
    await lab.listen([4000 + t, 4100 + t * 7, 4400 + t, 4499], { target: t });
    await lab.setFirewall({ drop: [4010 + t, 4200, 4201], reset: [4020 + t], adminProhibited: [4300 + t] }, t);
  }
  return lab;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

function statesOf(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of readJsonHosts(readFileSync(file, 'utf8'))) {
    out.set(`${h.address} status`, h.status);
    for (const [port, o] of h.ports) out.set(`${h.address} ${port}`, `${o.state} ${o.reason}`);
  }
  return out;
}

test('three workers, one SIGKILLed mid-shard, a PostgreSQL restart and a coordinator restart: the merged result equals a local scan', opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await sixHostLab();
  const tmp = tempDir();
  const workers: Proc[] = [];
  try {
    const ref = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '-Pn', '-n', '-p', PORTS, '-oJ', tmp.file('ref.json'), TARGETS], { timeoutMs: 120_000 });
    assert.equal(ref.code, 0, describeRun(ref));
    const namespaces: string[] = [];
    for (const a of ['192.0.2.201', '192.0.2.202', '192.0.2.203']) namespaces.push(await lab.addScanner(a));
    // 200 probes/s each: a shard (~250 pairs) takes over a second, long enough to be killed in the middle.
    for (const ns of namespaces) workers.push(startIn(lab, ns, ['worker', '--db', db, '--max-rate-per-worker', '200']));
    for (const w of workers) await w.waitErr(/waiting for shards/);

    const detach = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--distribute', '--detach', '--shards', '12', '--lease', '8', '--db', db, '-Pn', '-n', '-p', PORTS, TARGETS], { timeoutMs: 60_000 });
    assert.equal(detach.code, 0, describeRun(detach));
    const id = Number(detach.stdout.trim());
    assert.ok(id > 0, detach.stdout);
    const first = startIn(lab, lab.scannerNs, ['scan', '--attach', String(id), '--db', db]);

    await workers[0]!.waitErr(/started \(attempt/);
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    await workers[1]!.waitErr(/done, \d+ hosts/);
    cluster!.restart();
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--attach', String(id), '--db', db, '-oJ', tmp.file('d.json'), '-oX', tmp.file('d.xml'), '-oG', tmp.file('d.gnmap'), '-oN', tmp.file('d.nmap')], {
      timeoutMs: 180_000,
    });
    assert.equal(second.code, 0, `${describeRun(second)}\n--- worker 2\n${workers[1]!.err()}\n--- worker 3\n${workers[2]!.err()}`);

    // Exactly the local scan: every host's status, every port's state and reason.
    assert.deepEqual(statesOf(tmp.file('d.json')), statesOf(tmp.file('ref.json')));
    // Port rows plus the closed-at-first-try runs kept in the host rows (src/fleet/results.ts), expanded here in SQL.
    const rows = await query<{ n: string; d: string }>(
      db,
      `with closed as (
         select h.address, x->>0 as protocol, generate_series(split_part(r, '-', 1)::int, coalesce(nullif(split_part(r, '-', 2), ''), split_part(r, '-', 1))::int) as port
         from dist_hosts h, json_array_elements(h.report::json->'closed') x, unnest(string_to_array(x->>2, ',')) r where h.scan_id = ${id}),
       every as (select address, protocol, port from dist_ports where scan_id = ${id} union all select address, protocol, port from closed)
       select count(*) as n, count(distinct (address, protocol, port)) as d from every`,
    );
    assert.equal(Number(rows[0]!.n), 6 * 500);
    assert.equal(Number(rows[0]!.d), 6 * 500, 'every (host, port) stored once');
    const redone = await query<{ n: string }>(db, `select count(*) as n from dist_shards where scan_id = ${id} and attempts > 1`);
    assert.ok(Number(redone[0]!.n) >= 1, "the killed worker's shard was redone by another worker");
    const state = await query<{ state: string }>(db, `select state from dist_scans where id = ${id}`);
    assert.equal(state[0]!.state, 'done');
    if (existsSync(DTD)) execFileSync('xmllint', ['--noout', '--dtdvalid', DTD, tmp.file('d.xml')], { stdio: 'pipe' });
    assert.match(readFileSync(tmp.file('d.gnmap'), 'utf8'), /Host: 192\.0\.2\.2 \(\)\tPorts: /);
    assert.match(readFileSync(tmp.file('d.nmap'), 'utf8'), /6 IP addresses \(6 hosts up\)/);

    const list = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scans', '--db', db], { timeoutMs: 30_000 });
    assert.match(list.stdout, new RegExp(`^${id}\\tdone\\t12/12\\t`, 'm'));
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await lab.close();
    tmp.remove();
  }
});

test('--from-workers A,B runs the same shards from both vantages and shows where they differ', opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const workers: Proc[] = [];
  try {
    await lab.listen([4000, 4001], { target: 0 });
    await lab.listen([4000], { target: 1 });
    const inside = await lab.addScanner('192.0.2.211');
    const outside = await lab.addScanner('192.0.2.212');
    // Only the "outside" vantage is filtered on 192.0.2.2:4001.
    await lab.runInTarget(0, 'nft', ['insert', 'rule', 'inet', 'portscope_lab', 'input', 'ip', 'saddr', '192.0.2.212', 'tcp', 'dport', '4001', 'drop']);
    workers.push(startIn(lab, inside, ['worker', '--db', db, '--label', 'inside']));
    workers.push(startIn(lab, outside, ['worker', '--db', db, '--label', 'outside']));
    for (const w of workers) await w.waitErr(/waiting for shards/);
    const r = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--distribute', '--shards', '2', '--from-workers', 'inside,outside', '--max-rate', '100', '--db', db, '-Pn', '-n', '-p', '4000-4003', '192.0.2.2-3'], {
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, describeRun(r));
    // The global --max-rate is shared by the two live workers of the scan.
    const [row] = await query<{ max_rate: number; rate_per_worker: number }>(db, 'select max_rate, rate_per_worker from dist_scans');
    assert.deepEqual([Number(row!.max_rate), Number(row!.rate_per_worker)], [100, 50]);
    const diff = r.stdout.slice(r.stdout.indexOf('Per-vantage differences'));
    assert.match(diff, /Per-vantage differences \(1 ports\):/);
    assert.match(diff, /192\.0\.2\.2\t4001\/tcp\topen\tfiltered/);
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await lab.close();
  }
});

test('bad input: unreachable database, wrong password, a worker of another version, a cancelled scan: one line each', opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await createLab({ targets: 1 });
  try {
    const cli = (args: string[]) => lab.runInScanner(process.execPath, [PORTSCOPE, ...args], { timeoutMs: 60_000 });
    const oneLine = (r: { stderr: string }, re: RegExp): void => {
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, re);
    };
    const dead = await cli(['worker', '--db', 'postgres://postgres@/x?host=%2Fnonexistent-dir']);
    assert.equal(dead.code, 2, describeRun(dead));
    oneLine(dead, /^portscope: cannot open history database postgres:\/\/postgres@\/x/);

    const name = new URL(db.replace('@/', '@h/')).pathname.slice(1);
    const wrong = await cli(['scan', '--distribute', '--db', cluster!.url(name, PASSWORD_USER, 'wrong'), '-p', '80', '192.0.2.2']);
    assert.equal(wrong.code, 2, describeRun(wrong));
    oneLine(wrong, /password authentication failed/);
    assert.ok(!wrong.stderr.includes('wrong'), 'the password is not echoed');
    const right = await cli(['scans', '--db', cluster!.url(name, PASSWORD_USER, PASSWORD)]);
    assert.equal(right.code, 0, describeRun(right));

    const detach = await cli(['scan', '--distribute', '--detach', '--db', db, '-Pn', '-p', '80', '192.0.2.2']);
    assert.equal(detach.code, 0, describeRun(detach));
    const id = Number(detach.stdout.trim());
    await query(db, `update dist_scans set version = '0.0.0-other' where id = ${id}`);
    const old = await cli(['worker', '--db', db]);
    assert.equal(old.code, 2, describeRun(old));
    oneLine(old, new RegExp(`^portscope: scan #${id} in .* belongs to portscope 0\\.0\\.0-other; this worker is portscope `));

    const cancel = await cli(['scan', '--cancel', String(id), '--db', db]);
    assert.equal(cancel.code, 0, describeRun(cancel));
    const attach = await cli(['scan', '--attach', String(id), '--db', db]);
    assert.equal(attach.code, 2, describeRun(attach));
    oneLine(attach, new RegExp(`^portscope: scan #${id} was cancelled; no outputs written$`));
    const again = await cli(['scan', '--cancel', String(id), '--db', db]);
    assert.equal(again.code, 2);
    oneLine(again, /is already cancelled/);
    const none = await cli(['scan', '--attach', '999', '--db', db]);
    assert.equal(none.code, 2);
    oneLine(none, /^portscope: no distributed scan #999 in /);
    const sqlite = await cli(['worker', '--db', `${cluster!.dir}/not-postgres.db`]);
    assert.equal(sqlite.code, 2);
    oneLine(sqlite, /needs a postgres:\/\/ database/);
  } finally {
    await lab.close();
  }
});
