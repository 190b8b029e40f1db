import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';

interface JsonDocHost {
  address: string;
  status: string;
  reason: string;
  ports: unknown[];
}

// Per family: a host whose ping ports are closed (conn-refused), one listening on 80 (syn-ack), one that
// drops the ping ports (silent to TCP, but it answers ARP/NDP: arp-response) and an address nobody holds.
test("-sn finds every live host up with nmap's reason and every dead address down, IPv4 and IPv6", labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 3, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.setFirewall({ drop: [80, 443] }, 2);
    await lab.listen([80], { target: 1, family: 'both' });
    const dead4 = '192.0.2.40';
    const dead6 = '2001:db8::40';
    const want = new Map<string, [string, string]>([
      [lab.targets[0]!.v4, ['up', 'conn-refused']],
      [lab.targets[1]!.v4, ['up', 'syn-ack']],
      [lab.targets[2]!.v4, ['up', 'arp-response']],
      [dead4, ['down', 'no-response']],
      [lab.targets[0]!.v6, ['up', 'conn-refused']],
      [lab.targets[1]!.v6, ['up', 'syn-ack']],
      [lab.targets[2]!.v6, ['up', 'arp-response']],
      [dead6, ['down', 'no-response']],
    ]);
    const r = await scanCli(lab, ['-sn', '-n', '-v', '--reason', '-oJ', tmp.file('d.json'), '-oX', tmp.file('d.xml'), ...want.keys()]);
    assert.equal(r.code, 0, describeRun(r));
    const hosts = (JSON.parse(readFileSync(tmp.file('d.json'), 'utf8')) as { hosts: JsonDocHost[] }).hosts;
    const got = new Map(hosts.map((h) => [h.address, [h.status, h.reason]]));
    assert.deepEqual(got, want, describeRun(r));
    for (const h of hosts) assert.equal(h.ports.length, 0, '-sn scans no ports');
    const xml = readFileSync(tmp.file('d.xml'), 'utf8');
    assert.match(xml, new RegExp(`<status state="up" reason="arp-response"[^>]*/>\\s*<address addr="${lab.targets[2]!.v4.replace(/\./g, '\\.')}"`));
    assert.match(r.stdout, /Host is up, received arp-response/);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
