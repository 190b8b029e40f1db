import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, run } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts, type JsonHostView } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';

// 3 live targets with open/closed/filtered ports and 2 addresses nobody holds (down), × 12 ports,
// cut into 3 shards of one seeded walk: 60 pairs.
const PORTS = '4000-4011';
const SEED = '20261129';
const SHARDS = 3;

type Pairs = Map<string, string>;

/** "address port" → "state/reason" for every port of every up host; down hosts as "address" → "down". */
function pairsOf(hosts: JsonHostView[]): Pairs {
  const out: Pairs = new Map();
  for (const h of hosts) {
    if (h.status !== 'up') {
      out.set(h.address, h.status);
      continue;
    }
    for (const [port, o] of h.ports) out.set(`${h.address} ${port}`, `${o.state}/${o.reason}`);
  }
  return out;
}

test(`${SHARDS} shards of one seeded walk are disjoint, their union is the unsharded scan, and merge rebuilds it`, labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 3, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.setFirewall({ drop: [4002, 4003], reset: [4004] }, 0);
    await lab.setFirewall({ drop: [4010], adminProhibited: [4011] }, 1);
    await lab.listen([4000, 4001], { target: 0 });
    await lab.listen([4005, 4006, 4007], { target: 1 });
    await lab.listen([4011], { target: 2 });
    const targets = ['192.0.2.2-4', '192.0.2.20-21'];
    const whole = await scanCli(lab, ['-n', '-p', PORTS, '--seed', SEED, '-oJ', tmp.file('whole.json'), ...targets]);
    assert.equal(whole.code, 0, describeRun(whole));
    const wholePairs = pairsOf(readJsonHosts(readFileSync(tmp.file('whole.json'), 'utf8')));
    assert.equal([...wholePairs.keys()].filter((k) => k.includes(' ')).length, 3 * 12, 'every live host × port in the unsharded scan');
    assert.equal(wholePairs.get('192.0.2.20'), 'down');

    const union: Pairs = new Map();
    for (let i = 0; i < SHARDS; i++) {
      const r = await scanCli(lab, ['-n', '-p', PORTS, '--seed', SEED, '--shards', String(SHARDS), '--shard', String(i), '-oJ', tmp.file(`s${i}.json`), '-oX', tmp.file(`s${i}.xml`), ...targets]);
      assert.equal(r.code, 0, describeRun(r));
      const part = pairsOf(readJsonHosts(readFileSync(tmp.file(`s${i}.json`), 'utf8')));
      const live = [...part.keys()].filter((k) => k.includes(' '));
      assert.ok(live.length > 0 && live.length < 36, `shard ${i} holds a real slice (${live.length} pairs)`);
      for (const [k, v] of part) {
        if (k.includes(' ')) assert.ok(!union.has(k), `pair ${k} in two shards`);
        union.set(k, v);
      }
    }
    assert.deepEqual(new Map([...union].sort()), new Map([...wholePairs].sort()), 'union of shards = unsharded scan');

    const merged = await run(process.execPath, [PORTSCOPE, 'merge', ...[0, 1, 2].map((i) => tmp.file(`s${i}.xml`)), '-oX', tmp.file('all.xml'), '-oJ', tmp.file('all.json')]);
    assert.equal(merged.code, 0, merged.stderr);
    const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', tmp.file('all.xml')]);
    assert.equal(lint.code, 0, lint.stderr);
    const xmlHosts = readXmlHosts(readFileSync(tmp.file('all.xml'), 'utf8'));
    assert.equal(new Set(xmlHosts.map((h) => h.address)).size, xmlHosts.length, 'one <host> per address');
    // nmap XML lists no down hosts (nmap does the same without -v), so XML parts merge to the live pairs.
    const live = (m: Pairs): Pairs => new Map([...m].filter(([k]) => k.includes(' ')).sort());
    assert.deepEqual(live(pairsOf(readJsonHosts(readFileSync(tmp.file('all.json'), 'utf8')))), live(wholePairs), 'merged XML = unsharded, live hosts');
    const fromJson = await run(process.execPath, [PORTSCOPE, 'merge', ...[0, 1, 2].map((i) => tmp.file(`s${i}.json`)), '-oJ', tmp.file('all2.json')]);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.deepEqual(new Map([...pairsOf(readJsonHosts(readFileSync(tmp.file('all2.json'), 'utf8')))].sort()), new Map([...wholePairs].sort()), 'merged JSON = unsharded, down hosts too');
  } finally {
    await lab.close();
    tmp.remove();
  }
});
