import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { assertMatchesTruth } from './support/truth-assert.js';

// Issue 10 item 2: a host that sends at most 200 RSTs a second (FreeBSD's and macOS's icmplim default),
// imitated by the target's output hook (netlab FirewallPlan.rstPerSecond). 3000 ports: 30 open, 30 dropped
// (filtered: silence that is not the limit's), 2940 closed whose RSTs the limit delays. Every port's state
// must be right, and the engine must have found the limit and paced to it (src/engine/answer-pacer.ts).
// About 20 s (the limit's floor is 14.7 s).
const LO = 30001;
const HI = 33000;
const OPEN: number[] = [];
const DROPPED: number[] = [];
for (let p = LO; p <= HI; p++) {
  if ((p - LO) % 100 === 7) OPEN.push(p);
  if ((p - LO) % 100 === 53) DROPPED.push(p);
}

test('every one of 3000 ports of a host limited to 200 RSTs/s gets its true state (30 open, 30 filtered, 2940 closed)', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ firewall: { drop: DROPPED, rstPerSecond: 200 } });
  const tmp = tempDir();
  try {
    await lab.listen(OPEN);
    const r = await scanCli(lab, ['-Pn', '-n', '-p', `${LO}-${HI}`, '-oJ', tmp.file('s.json'), lab.target.v4]);
    assert.equal(r.code, 0, describeRun(r));
    const truth = lab.truth(`${LO}-${HI}`);
    const states = [...truth.values()].map((t) => t.state);
    assert.deepEqual([states.filter((s) => s === 'open').length, states.filter((s) => s === 'filtered').length, states.filter((s) => s === 'closed').length], [30, 30, 2940]);
    const json = readFileSync(tmp.file('s.json'), 'utf8');
    const [host] = readJsonHosts(json);
    assert.ok(host, 'one host in JSON');
    assertMatchesTruth(host.ports, truth, 'rst-limited host');
    assert.equal(host.complete, true);
    const stats = (JSON.parse(json) as { hosts: { stats: { answerRateLimit?: number } }[] }).hosts[0]!.stats;
    assert.ok(stats.answerRateLimit !== undefined && stats.answerRateLimit > 0, `the engine should have paced to the answer rate: ${JSON.stringify(stats)}`);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
