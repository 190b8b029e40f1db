import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, expandPorts } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { NATIVE_UDP, planPorts, startUdpTarget, truthFor, udpPlan, udpTruth } from './udp-lab.js';

// -S ADDR,ADDR,…: UDP probes leave from four scanner addresses in turn, so the target keeps four ICMP
// rate-limit buckets (docs/udp.md, "Several source addresses"). Under the DEFAULT ICMP rate limit every
// closed port must still come out closed, drops open|filtered, answers open: the per-source token model
// must not trust a silence that one source's empty bucket caused.

const SOURCES = { 4: ['192.0.2.1', '192.0.2.11', '192.0.2.12', '192.0.2.13'], 6: ['2001:db8::1', '2001:db8::11', '2001:db8::12', '2001:db8::13'] };

/** Every UDP port of the one host in a -oJ document: listed ports plus extraports ranges. */
function jsonUdpStates(text: string): Map<number, string> {
  const doc = JSON.parse(text) as { hosts: { ports: { port: number; protocol: string; state: string; reason: string }[]; extraports: { protocol: string; state: string; reason: string; ports: string }[] }[] };
  assert.equal(doc.hosts.length, 1, 'one host in JSON');
  const out = new Map<number, string>();
  for (const p of doc.hosts[0]!.ports) if (p.protocol === 'udp') out.set(p.port, `${p.state}/${p.reason}`);
  for (const g of doc.hosts[0]!.extraports) if (g.protocol === 'udp') for (const port of expandPorts(g.ports)) out.set(port, `${g.state}/${g.reason}`);
  return out;
}

for (const family of [4, 6] as const) {
  test(`-S with four IPv${family} source addresses: every UDP port's state is exact under the default ICMP rate limit`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab({ icmpRateLimit: 'kernel-default', scannerAddresses: [...SOURCES[4].slice(1), ...SOURCES[6].slice(1)] });
    const tmp = tempDir();
    try {
      const plan = { ...udpPlan(60), ntp: null, snmp: null };
      if (process.env.CI === 'true') assert.ok(NATIVE_UDP, 'CI needs the native UDP prober built (npm install)');
      await startUdpTarget(lab, tmp.dir, plan);
      const addr = family === 4 ? lab.target.v4 : lab.target.v6;
      const args = ['-sU', '-Pn', '-n', '--reason', '-d', '-S', SOURCES[family].join(','), '-p', planPorts(plan).join(','), '-oJ', tmp.file('s.json'), addr];
      const r = await scanCli(lab, args, { timeoutMs: 240_000 });
      assert.equal(r.code, 0, describeRun(r));
      const seen = jsonUdpStates(readFileSync(tmp.file('s.json'), 'utf8'));
      const wrong: string[] = [];
      for (const [port, t0] of udpTruth(plan)) {
        const t = truthFor(family, t0);
        const got = seen.get(port);
        if (got !== `${t.state}/${t.reason}`) wrong.push(`${port}/udp: got ${got ?? 'nothing'}, want ${t.state}/${t.reason}`);
      }
      assert.deepEqual(wrong, [], describeRun(r));
      assert.equal(seen.size, udpTruth(plan).size, 'no ports beyond the requested ones');
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}

test('-S with an address that is not local, or not an address, exits 2 with one line', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'kernel-default' });
  try {
    for (const bad of ['192.0.2.1,192.0.2.99', 'not-an-address', '192.0.2.1,2001:db8::1']) {
      const r = await scanCli(lab, ['-sU', '-Pn', '-n', '-S', bad, '-p', '53', lab.target.v4]);
      assert.equal(r.code, 2, describeRun(r));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, describeRun(r));
      assert.match(lines[0]!, /-S/);
      assert.equal(r.stdout, '', 'nothing scanned');
    }
  } finally {
    await lab.close();
  }
});
