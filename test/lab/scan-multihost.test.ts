import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonDoc, readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';
import { assertMatchesTruth } from './support/truth-assert.js';

const PORTS = '4000-4015';

test('a range of two hosts plus an unresolvable name: the name is reported, both hosts are scanned exactly', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.setFirewall({ drop: [4001, 4002], reset: [4003] }, 0);
    await lab.setFirewall({ drop: [4010], adminProhibited: [4011], portUnreachable: [4012] }, 1);
    await lab.listen([4000, 4004], { target: 0 });
    await lab.listen([4005, 4006, 4010], { target: 1 });
    const bad = 'does-not-exist.invalid';
    // No -Pn: the connect ping to 80/443 (closed on both) must find both hosts up.
    const r = await scanCli(lab, ['-n', '-p', PORTS, '-oJ', tmp.file('m.json'), '-oX', tmp.file('m.xml'), '192.0.2.2-3', bad]);
    assert.equal(r.code, 0, describeRun(r));
    const stderrLines = r.stderr.trim().split('\n');
    assert.equal(stderrLines.length, 1, `one stderr line for the bad name:\n${r.stderr}`);
    assert.match(stderrLines[0]!, new RegExp(bad.replace(/\./g, '\\.')));

    const doc = readJsonDoc(readFileSync(tmp.file('m.json'), 'utf8'));
    assert.deepEqual(
      doc.targetProblems.map((p) => p.spec),
      [bad],
    );
    const hosts = readJsonHosts(readFileSync(tmp.file('m.json'), 'utf8'));
    const xmlHosts = readXmlHosts(readFileSync(tmp.file('m.xml'), 'utf8'));
    for (const t of lab.targets) {
      const truth = lab.truth(PORTS, { target: t.index });
      const host = hosts.find((h) => h.address === t.v4);
      assert.ok(host, `${t.v4} in JSON`);
      assert.equal(host.status, 'up');
      assertMatchesTruth(host.ports, truth, `${t.v4} JSON`);
      const xmlHost = xmlHosts.find((h) => h.address === t.v4);
      assert.ok(xmlHost, `${t.v4} in XML`);
      assertMatchesTruth(xmlHost.ports, truth, `${t.v4} XML`);
    }
    assert.deepEqual(hosts.map((h) => h.address).sort(), ['192.0.2.2', '192.0.2.3']);
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('a host that does not exist on the lab network is reported down and the others are still scanned', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 1, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.listen([4000]);
    // 192.0.2.9 answers no ARP: the connect ping fails with EHOSTUNREACH (or times out) and the host is down.
    const r = await scanCli(lab, ['-n', '-p', PORTS, '-oJ', tmp.file('d.json'), '192.0.2.9', lab.target.v4]);
    assert.equal(r.code, 0, describeRun(r));
    const hosts = readJsonHosts(readFileSync(tmp.file('d.json'), 'utf8'));
    const up = hosts.find((h) => h.address === lab.target.v4);
    assert.ok(up);
    assertMatchesTruth(up.ports, lab.truth(PORTS), 'live host');
    const down = hosts.find((h) => h.address === '192.0.2.9');
    if (down) assert.equal(down.status, 'down');
    assert.match(r.stdout, /2 IP addresses \(1 host up\)/);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
