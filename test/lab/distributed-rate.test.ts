/**
 * A global --max-rate over a fleet, rebalanced when a worker dies (docs/fleet.md, "Rates"): three workers
 * share --max-rate 300 (100/s each); one is SIGKILLed mid-shard; once its heartbeat is stale the two others
 * raise their in-flight shards to 150/s each. The rate is measured with the target kernel's clock: two
 * nftables token buckets in the target count the SYNs above 250/s and above 330/s (as the many-host lab's
 * rateProbe). Before the kill and after it alike: SYNs above 250/s (after the kill only because the
 * survivors took the dead worker's share: 2 × 100/s would stay under), next to nothing above 330/s (the
 * global cap holds).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { startIn, type Proc } from './support/fleet-proc.js';
import { PgCluster, pgUnavailableReason } from './support/pg-cluster.js';

const pgReason = pgUnavailableReason();
const gate = labTestOptions();
const opts = { skip: gate.skip || (pgReason !== null && process.env.CI !== 'true' ? `distributed: ${pgReason}` : false) };

let cluster: PgCluster | undefined;
before(async () => {
  if (opts.skip) return;
  if (pgReason) throw new Error(`distributed test cannot run in CI: ${pgReason}`);
  cluster = await PgCluster.start();
});
after(() => cluster?.close());

const BURST = 20;

function rateRules(lo: number, hi: number): string {
  return [
    'table inet fleetrate',
    'delete table inet fleetrate',
    'table inet fleetrate {',
    '  counter total { }',
    '  counter over_lo { }',
    '  counter over_hi { }',
    `  chain lo { limit rate over ${lo}/second burst ${BURST} packets counter name "over_lo"; }`,
    `  chain hi { limit rate over ${hi}/second burst ${BURST} packets counter name "over_hi"; }`,
    '  chain input {',
    '    type filter hook input priority -20; policy accept;',
    '    tcp flags & (syn | ack) == syn counter name "total" jump lo',
    '    tcp flags & (syn | ack) == syn jump hi',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Fresh buckets and counters, then the SYNs of the next `ms` (the kernel's buckets decide what is "over"). */
async function window(lab: Lab, file: string, ms: number): Promise<{ total: number; overLo: number; overHi: number }> {
  const r = await lab.runInTarget(0, 'nft', ['-f', file]);
  assert.equal(r.code, 0, describeRun(r));
  await sleep(ms);
  const read = async (name: string): Promise<number> => {
    const out = await lab.runInTarget(0, 'nft', ['-j', 'list', 'counter', 'inet', 'fleetrate', name]);
    const doc = JSON.parse(out.stdout) as { nftables: { counter?: { packets: number } }[] };
    return doc.nftables.find((e) => e.counter)?.counter?.packets ?? 0;
  };
  return { total: await read('total'), overLo: await read('over_lo'), overHi: await read('over_hi') };
}

test('--max-rate 300 over three workers: one SIGKILLed, the two others take its share mid-shard, the total stays under the cap', opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await createLab({ targets: 1, icmpRateLimit: 'off' });
  const tmp = tempDir();
  const workers: Proc[] = [];
  try {
    await lab.listen([4000], { target: 0 });
    const rules = tmp.file('rate.nft');
    writeFileSync(rules, rateRules(250, 330));
    for (const a of ['192.0.2.201', '192.0.2.202', '192.0.2.203']) workers.push(startIn(lab, await lab.addScanner(a), ['worker', '--db', db]));
    for (const w of workers) await w.waitErr(/waiting for shards/);
    // 3 shards of 3,000 closed ports: 30 s at 100/s, far longer than this test looks.
    const detach = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--distribute', '--detach', '--shards', '3', '--max-rate', '300', '--lease', '300', '--db', db, '-Pn', '-n', '-p', '1-9000', '192.0.2.2'], {
      timeoutMs: 60_000,
    });
    assert.equal(detach.code, 0, describeRun(detach));
    const id = Number(detach.stdout.trim());
    for (const w of workers) await w.waitErr(/rate cap 100\/s/);

    const three = await window(lab, rules, 3000);
    assert.ok(three.total > 300, `SYNs arrive (${JSON.stringify(three)})`);
    assert.ok(three.overLo >= three.total * 0.05, `three workers at 100/s each reach above 250/s together: ${JSON.stringify(three)}`);
    assert.ok(three.overHi <= BURST + three.total * 0.03, `and stay under the global 300/s (+10%): ${JSON.stringify(three)}`);

    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    for (const w of workers.slice(1)) await w.waitErr(/rate cap 100\/s → 150\/s \(live workers changed\)/, 30_000);
    const two = await window(lab, rules, 3000);
    // Without the rebalancing the two would send 2 × 100/s: nothing above 250/s.
    assert.ok(two.overLo >= two.total * 0.05, `the survivors' 2 × 150/s goes above 250/s: ${JSON.stringify(two)}`);
    assert.ok(two.overHi <= BURST + two.total * 0.03, `and stays under the global 300/s (+10%): ${JSON.stringify(two)}`);

    const cancel = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '--cancel', String(id), '--db', db], { timeoutMs: 60_000 });
    assert.equal(cancel.code, 0, describeRun(cancel));
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await lab.close();
    tmp.remove();
  }
});
