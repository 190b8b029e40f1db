/**
 * A distributed `-sT -sU` scan (issue 14 × the UDP walk, docs/fleet.md): 2 shards over 2 workers, merged
 * result equal to the single-process scan per (host, protocol, port), and every (host, protocol, port)
 * stored exactly once (port rows plus the closed-at-first-try runs, counted in SQL). 2 hosts × (4 TCP +
 * 6 UDP) ports with UDP open (an echo listener), closed (port unreachable), open|filtered (dropped) and
 * filtered (admin-prohibited); the targets' ICMP rate limit is lifted so closed UDP ports answer at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, expandPorts, type Lab } from '../helpers/netlab/index.js';
import { buildUdpTargets } from './support/udp-targets.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { startIn, type Proc } from './support/fleet-proc.js';
import { PgCluster, pgUnavailableReason } from './support/pg-cluster.js';

const pgReason = pgUnavailableReason();
const gate = labTestOptions();
const opts = { skip: gate.skip || (pgReason !== null && process.env.CI !== 'true' ? `distributed UDP: ${pgReason}` : false) };

let cluster: PgCluster | undefined;
before(async () => {
  if (opts.skip) return;
  if (pgReason) throw new Error(`distributed UDP test cannot run in CI: ${pgReason}`);
  cluster = await PgCluster.start();
});
after(() => cluster?.close());

const UDP_PORTS = [7001, 7002, 7003, 7004, 7005, 7006];
const PORTS = `T:4000-4003,U:${UDP_PORTS.join(',')}`;
const TARGETS = '192.0.2.2-3';
/** Per target: UDP ports that answer (open), dropped (open|filtered), admin-prohibited (filtered); the rest closed. */
const UDP_TRUTH = [
  { open: [7001, 7002], drop: [7003], prohibited: [7004] },
  { open: [7004], drop: [7001, 7002], prohibited: [7006] },
];

function buildTargets(lab: Lab): Promise<void> {
  return buildUdpTargets(lab, UDP_TRUTH, 'distudp');
}

/** "address protocol/port" → "state reason", from an -oJ document (listed ports and extraports groups). */
function statesOf(file: string): Map<string, string> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    hosts: { address: string; status: string; ports: { port: number; protocol: string; state: string; reason: string }[]; extraports: { protocol: string; state: string; reason: string; ports: string }[] }[];
  };
  const out = new Map<string, string>();
  const put = (k: string, v: string): void => {
    assert.ok(!out.has(k), `${k} appears twice in ${file}`);
    out.set(k, v);
  };
  for (const h of doc.hosts) {
    out.set(`${h.address} status`, h.status);
    for (const p of h.ports) put(`${h.address} ${p.protocol}/${p.port}`, `${p.state} ${p.reason}`);
    for (const g of h.extraports) for (const port of expandPorts(g.ports)) put(`${h.address} ${g.protocol}/${port}`, `${g.state} ${g.reason}`);
  }
  return out;
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

test('-sT -sU distributed over 2 shards and 2 workers: merged result equals the local scan, every (host, protocol, port) stored once', opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const tmp = tempDir();
  const workers: Proc[] = [];
  try {
    await buildTargets(lab);
    const scanArgs = ['-sT', '-sU', '-Pn', '-n', '-p', PORTS, TARGETS];
    const ref = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', ...scanArgs, '-oJ', tmp.file('ref.json')], { timeoutMs: 120_000 });
    assert.equal(ref.code, 0, describeRun(ref));
    for (const a of ['192.0.2.201', '192.0.2.202']) workers.push(startIn(lab, await lab.addScanner(a), ['worker', '--db', db]));
    for (const w of workers) await w.waitErr(/waiting for shards/);
    const r = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--distribute', '--shards', '2', '--db', db, ...scanArgs, '-oJ', tmp.file('d.json')], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${describeRun(r)}\n--- worker 1\n${workers[0]!.err()}\n--- worker 2\n${workers[1]!.err()}`);

    const local = statesOf(tmp.file('ref.json'));
    // The lab's truth reached the local scan (so the comparison below is about something).
    assert.equal(local.get('192.0.2.2 udp/7001'), 'open udp-response');
    assert.equal(local.get('192.0.2.2 udp/7003'), 'open|filtered no-response');
    assert.equal(local.get('192.0.2.2 udp/7005'), 'closed port-unreach');
    assert.match(local.get('192.0.2.3 udp/7006') ?? '', /^filtered /);
    assert.equal(local.get('192.0.2.3 tcp/4001'), 'open syn-ack');
    assert.equal(local.size, 2 * (1 + 4 + 6));
    assert.deepEqual(statesOf(tmp.file('d.json')), local);

    // Both shards ran, one per worker or both on one: either way each (host, protocol, port) is stored once.
    const done = await query<{ n: string }>(db, "select count(*) as n from dist_shards where state = 'done'");
    assert.equal(Number(done[0]!.n), 2);
    const rows = await query<{ protocol: string; n: string; d: string }>(
      db,
      `with closed as (
         select h.address, x->>0 as protocol, generate_series(split_part(r, '-', 1)::int, coalesce(nullif(split_part(r, '-', 2), ''), split_part(r, '-', 1))::int) as port
         from dist_hosts h, json_array_elements(h.report::json->'closed') x, unnest(string_to_array(x->>2, ',')) r),
       every as (select address, protocol, port from dist_ports union all select address, protocol, port from closed)
       select protocol, count(*) as n, count(distinct (address, port)) as d from every group by protocol order by protocol`,
    );
    assert.deepEqual(
      rows.map((x) => [x.protocol, Number(x.n), Number(x.d)]),
      [
        ['tcp', 2 * 4, 2 * 4],
        ['udp', 2 * 6, 2 * 6],
      ],
    );
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await lab.close();
    tmp.remove();
  }
});
