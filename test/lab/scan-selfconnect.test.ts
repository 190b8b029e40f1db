import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';

// A full-range connect scan of 127.0.0.1 makes the kernel pick, now and then, the destination port as the
// ephemeral source port: the socket connects to itself (TCP simultaneous open, LAB-NOTES.md). Such a port
// must not be reported open. A fresh namespace with only lo has no other listeners to confuse the count.
// Two of the listeners sit inside the ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default).
const LISTENERS = [2222, 40404, 55555];

for (const round of [1, 2]) {
  test(`all 65535 ports of 127.0.0.1: exactly the listeners are open, every other port closed (round ${round})`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab({ targets: 0 });
    const tmp = tempDir();
    try {
      await lab.listen(LISTENERS, { target: 'scanner', family: 4 });
      const r = await scanCli(lab, ['-n', '-p', '1-65535', '-oJ', tmp.file('lo.json'), '-oX', tmp.file('lo.xml'), '127.0.0.1']);
      assert.equal(r.code, 0, describeRun(r));
      for (const file of ['lo.json', 'lo.xml']) {
        const text = readFileSync(tmp.file(file), 'utf8');
        const [host] = file.endsWith('.json') ? readJsonHosts(text) : readXmlHosts(text);
        assert.ok(host, file);
        assert.equal(host.ports.size, 65535, `${file}: one state per port`);
        const open = [...host.ports].filter(([, o]) => o.state === 'open').map(([p]) => p);
        assert.deepEqual(
          open.sort((a, b) => a - b),
          LISTENERS,
          `${file}: open ports`,
        );
        const notClosed = [...host.ports].filter(([p, o]) => !LISTENERS.includes(p) && (o.state !== 'closed' || o.reason !== 'conn-refused'));
        assert.deepEqual(notClosed, [], `${file}: every other port closed/conn-refused`);
      }
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}
