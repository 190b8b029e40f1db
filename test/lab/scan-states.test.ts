import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type FirewallPlan } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';
import { assertMatchesTruth } from './support/truth-assert.js';

// Every state and reason a connect scan can meet, a few ports each, checked port by port against the lab's
// ground truth (test/helpers/netlab/truth.ts), over IPv4 and IPv6, with and without random loss.
const PORTS = '2000-2039';
const PLAN: FirewallPlan = {
  drop: [2010, 2011, 2012, 2013, 2030, 2031],
  reset: [2014, 2015, 2016, 2032],
  adminProhibited: [2017, 2018, 2019],
  portUnreachable: [2020, 2021, 2022],
  hostUnreachable: [2023, 2024],
};
// 2000-2004 open; 2030-2031 listeners behind drop (filtered), 2032 behind reset (closed); the rest closed.
const LISTENING = [2000, 2001, 2002, 2003, 2004, 2030, 2031, 2032];

const cases = [
  { family: 4, loss: 0, icmp: 'off' },
  { family: 6, loss: 0, icmp: 'off' },
  { family: 4, loss: 10, icmp: 'off' },
  { family: 6, loss: 10, icmp: 'off' },
  { family: 4, loss: 0, icmp: 'kernel-default' },
] as const;

for (const c of cases) {
  const how = [c.loss ? `${c.loss}% random loss` : 'no loss', c.icmp === 'off' ? 'every ICMP error sent' : "the kernel's ICMP rate limit"].join(', ');
  test(`every port of an IPv${c.family} target gets its true state and reason (${how})`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab({ icmpRateLimit: c.icmp, firewall: { ...PLAN, lossPercent: c.loss } });
    const tmp = tempDir();
    try {
      await lab.listen(LISTENING);
      const addr = c.family === 4 ? lab.target.v4 : lab.target.v6;
      const ports = PORTS;
      const r = await scanCli(lab, ['-Pn', '-n', '--reason', '-p', ports, '-oX', tmp.file('s.xml'), '-oJ', tmp.file('s.json'), addr]);
      assert.equal(r.code, 0, describeRun(r));
      const truth = lab.truth(ports, { family: c.family });
      // The truth itself must cover every kind of port, or this test proves less than it claims.
      const kinds = new Set([...truth.values()].map((t) => `${t.state}/${t.reason}`));
      assert.ok(kinds.has('open/syn-ack') && kinds.has('closed/conn-refused') && kinds.has('filtered/no-response'));

      const [xmlHost, ...moreXml] = readXmlHosts(readFileSync(tmp.file('s.xml'), 'utf8'));
      assert.ok(xmlHost && moreXml.length === 0, 'one host in XML');
      assert.equal(xmlHost.address, addr);
      assertMatchesTruth(xmlHost.ports, truth, `IPv${c.family} XML`);

      const [jsonHost] = readJsonHosts(readFileSync(tmp.file('s.json'), 'utf8'));
      assert.ok(jsonHost, 'one host in JSON');
      assertMatchesTruth(jsonHost.ports, truth, `IPv${c.family} JSON`);
      assert.equal(jsonHost.complete, true);
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}
