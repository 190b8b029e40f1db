import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createManyHostLab, manyTruth, MANY_PORTS } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';

interface DocHost {
  address: string;
  status: string;
  reason: string;
}

// 1,536 documentation addresses behind one gateway (1,100 live: 400 IPv4, 700 IPv6) + 1 on-link host in
// two families, × 5 ports, default discovery: every live host up with its reason, every dead one down,
// every live host × port reported once with its true state.
test('many-host lab: discovery reasons, exactly-once coverage and true states over 1,538 addresses', { ...labTestOptions(), timeout: 300_000 }, async () => {
  assertLabAvailable();
  const many = await createManyHostLab();
  const tmp = tempDir();
  try {
    const ports = MANY_PORTS.join(',');
    const r = await scanCli(many.lab, ['-n', '--seed', '13', '-p', ports, '-oJ', tmp.file('m.json'), ...many.specs], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, describeRun(r));
    const text = readFileSync(tmp.file('m.json'), 'utf8');
    const doc = (JSON.parse(text) as { hosts: DocHost[] }).hosts;
    const byAddress = new Map(doc.map((h) => [h.address, h]));
    assert.equal(byAddress.size, doc.length, 'each host reported once');
    assert.equal(doc.length, many.live.length + many.dead.length + many.onLink.length, 'every address of the space reported');
    const problems: string[] = [];
    for (const a of many.live) {
      const h = byAddress.get(a);
      const want = a.split(/[.:]/).pop()!;
      const idx = a.includes(':') ? parseInt(want, 16) : Number(want);
      const reasons = idx % 3 === 0 ? ['conn-refused'] : ['syn-ack', 'conn-refused'];
      if (h?.status !== 'up' || !reasons.includes(h.reason)) problems.push(`${a}: ${h?.status}/${h?.reason}`);
    }
    for (const a of many.dead) if (byAddress.get(a)?.status !== 'down' || byAddress.get(a)?.reason !== 'no-response') problems.push(`${a}: ${byAddress.get(a)?.status}/${byAddress.get(a)?.reason} (dead)`);
    for (const a of many.onLink) if (byAddress.get(a)?.reason !== 'arp-response') problems.push(`${a}: ${byAddress.get(a)?.reason} (on-link)`);
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} hosts with a wrong status`);
    const hosts = new Map(readJsonHosts(text).map((h) => [h.address, h]));
    const wrong: string[] = [];
    for (const a of many.live) {
      const h = hosts.get(a)!;
      assert.equal(h.ports.size, MANY_PORTS.length, `${a}: every port once`);
      for (const p of MANY_PORTS) if (h.ports.get(p)?.state !== manyTruth(a, p)) wrong.push(`${a}:${p} ${h.ports.get(p)?.state} want ${manyTruth(a, p)}`);
    }
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} ports misclassified`);
  } finally {
    await many.close();
    tmp.remove();
  }
});

// The global --max-rate, checked by the target's kernel. Upper bound: an nftables token bucket at 1.05× the
// rate counts SYNs above it; its burst is 200 ms worth (the scanner's own bucket holds 50 ms, and on a
// loaded 2-core machine sends leave in clumps), and each run lasts 3-6 s, so that an average above ~1.1×
// would still overflow it. Lower bound: the SYNs the target counted over the
// scan time the scanner reports reach 0.95× the rate. Only ports that answer at once (open, or RST) are
// probed, so no kernel SYN retransmission is counted.
// PORTSCOPE_RATE_CAPS (comma list, default 200,2000,5000,20000) sets the rates. On an otherwise idle 2-core
// machine (as CI runs lab files, one at a time) 20000 held 99.4-99.9% of the rate in 6 of 6 runs, on Node 20
// under c8 and on Node 24 (bench/RESULTS.md); on a machine loaded by other work (load 10-17) it passed 12 of 15
// (92.8-99.4%): there, PORTSCOPE_RATE_CAPS=200,2000,5000 leaves it out.
const RATES = (process.env.PORTSCOPE_RATE_CAPS ?? '200,2000,5000,20000').split(',').map(Number);
for (const rate of RATES) {
  test(`--max-rate ${rate}: SYNs arrive within ±5% of the rate (nftables buckets in the target)`, { ...labTestOptions(), timeout: 180_000 }, async (t) => {
    assertLabAvailable();
    const many = await createManyHostLab();
    try {
      const burst = Math.ceil(rate / 5) + 5;
      const read = await many.rateProbe(rate * 0.95, rate * 1.05, burst);
      const v4 = many.live.filter((a) => !a.includes(':'));
      // 443 and 444-600 are closed and 1-79 open or closed on every live host (80 and 3306 drop on some).
      // Above 5,000/s: all 1,100 live hosts (86,900 SYNs, 4.3 s at 20,000/s), so start-up and tail weigh ~1%.
      const plan: [string[], string] = rate <= 200 ? [v4.slice(0, 300), '22,443'] : rate <= 2000 ? [v4.slice(0, 400), '1-15'] : rate <= 5000 ? [v4, '1-79'] : [many.live, '1-79'];
      const [targets, ports] = plan;
      const r = await scanCli(many.lab, ['-n', '-Pn', '--max-rate', String(rate), '-p', ports, ...targets], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, describeRun(r));
      const c = await read();
      assert.ok(c.total > 2 * burst, `enough SYNs to judge (${c.total})`);
      const seconds = Number(/scanned in ([\d.]+) seconds/.exec(r.stdout)?.[1]);
      assert.ok(seconds > 0, describeRun(r));
      t.diagnostic(`${c.total} SYNs in ${seconds} s: ${(c.total / seconds).toFixed(0)}/s (${((c.total / seconds / rate) * 100).toFixed(1)}% of ${rate}); ${c.overHi} above 1.05×`);
      assert.ok(c.overHi <= c.total * 0.005, `at most 0.5% of SYNs above 1.05× the rate: ${c.overHi} of ${c.total} (average ${(c.total / seconds).toFixed(0)}/s over ${seconds} s)`);
      assert.ok(c.total / seconds >= rate * 0.95, `achieved ${(c.total / seconds).toFixed(0)} SYN/s over the scan's ${seconds} s, below 0.95× ${rate}`);
    } finally {
      await many.close();
    }
  });
}
