import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, run } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';
import { assertMatchesTruth } from './support/truth-assert.js';

// The files other tools read: nmap.dtd (xmllint), python-libnmap, ndiff; and our -oG/-oN/-oJ/-oA.
const PORTS = '3000-3019';
const PLAN = { drop: [3010, 3011], reset: [3012], adminProhibited: [3013] };
const NMAP_DTD = '/usr/share/nmap/nmap.dtd';
// python-libnmap is installed for Debian's python (LAB-NOTES.md): call it by absolute path.
const LIBNMAP = `import sys
from libnmap.parser import NmapParser
r = NmapParser.parse_fromfile(sys.argv[1])
for h in r.hosts:
    print(h.address, h.status, ",".join(str(p) for p, proto in h.get_open_ports()))`;

async function xmllint(file: string): Promise<void> {
  const r = await run('xmllint', ['--noout', '--dtdvalid', NMAP_DTD, file]);
  assert.equal(r.code, 0, `xmllint ${file}: ${r.stderr}`);
}

test('-oX is valid against nmap.dtd, python-libnmap reads the open ports, ndiff compares two scans', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off', firewall: PLAN });
  const tmp = tempDir();
  try {
    await lab.listen([3000, 3001, 3010]);
    const scanTo = (file: string) => scanCli(lab, ['-Pn', '-n', '-p', PORTS, '-oX', file, lab.target.v4]);
    for (const f of ['a.xml', 'b.xml']) {
      const r = await scanTo(tmp.file(f));
      assert.equal(r.code, 0, describeRun(r));
      await xmllint(tmp.file(f));
    }
    const [host] = readXmlHosts(readFileSync(tmp.file('a.xml'), 'utf8'));
    assert.ok(host);
    assertMatchesTruth(host.ports, lab.truth(PORTS), 'XML');

    const py = await run('/usr/bin/python3', ['-c', LIBNMAP, tmp.file('a.xml')]);
    assert.equal(py.code, 0, py.stderr);
    assert.equal(py.stdout.trim(), `${lab.target.v4} up 3000,3001`);

    const same = await run('ndiff', [tmp.file('a.xml'), tmp.file('b.xml')]);
    assert.equal(same.code, 0, `ndiff of two equal scans: exit ${same.code}\n${same.stdout}${same.stderr}`);
    assert.equal(same.stderr, '');

    await lab.listen([3002]);
    const r = await scanTo(tmp.file('c.xml'));
    assert.equal(r.code, 0, describeRun(r));
    const diff = await run('ndiff', [tmp.file('a.xml'), tmp.file('c.xml')]);
    assert.equal(diff.code, 1, `ndiff exit 1 means "differences": ${diff.stdout}${diff.stderr}`);
    assert.match(diff.stdout, /^\+3002\/tcp\s+open/m);
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('-oG, -oN, -oJ and -oA write complete files that agree with the lab', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off', firewall: PLAN });
  const tmp = tempDir();
  try {
    await lab.listen([3000, 3005]);
    const args = ['-Pn', '-n', '-p', PORTS, '-oG', tmp.file('s.gnmap'), '-oN', tmp.file('s.nmap'), '-oJ', tmp.file('s.json'), '-oA', tmp.file('all'), lab.target.v4];
    const r = await scanCli(lab, args);
    assert.equal(r.code, 0, describeRun(r));
    const truth = lab.truth(PORTS);

    for (const f of ['s.gnmap', 'all.gnmap']) {
      const g = readFileSync(tmp.file(f), 'utf8');
      const line = g.split('\n').find((l) => l.startsWith(`Host: ${lab.target.v4} `) && l.includes('Ports: '));
      assert.ok(line, `${f}: a Ports line\n${g}`);
      assert.match(line, /3000\/open\/tcp\/\//);
      assert.match(line, /3005\/open\/tcp\/\//);
      assert.match(g, /^# portscope done at .*1 IP address \(1 host up\)/m, f);
    }
    for (const f of ['s.nmap', 'all.nmap']) {
      const n = readFileSync(tmp.file(f), 'utf8');
      assert.match(n, new RegExp(`^portscope scan report for ${lab.target.v4.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(n, /^3000\/tcp\s+open/m);
      assert.match(n, /^3005\/tcp\s+open/m);
      assert.match(n, /^# portscope done at /m, f);
    }
    for (const f of ['s.json', 'all.json']) {
      const [host] = readJsonHosts(readFileSync(tmp.file(f), 'utf8'));
      assert.ok(host, f);
      assertMatchesTruth(host.ports, truth, f);
    }
    assert.ok(existsSync(tmp.file('all.xml')));
    await xmllint(tmp.file('all.xml'));
    const [xmlHost] = readXmlHosts(readFileSync(tmp.file('all.xml'), 'utf8'));
    assert.ok(xmlHost);
    assertMatchesTruth(xmlHost.ports, truth, 'all.xml');
  } finally {
    await lab.close();
    tmp.remove();
  }
});
