import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, expandPorts } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { NATIVE_UDP, planPorts, startUdpTarget, truthFor, udpPlan, udpTruth } from './udp-lab.js';

// -sU against real services (dnsmasq, chrony, snmpd), an echo service, a silent listener, drops,
// admin-prohibited, host-unreachable and net-unreachable rejects and closed ports, under the target
// kernel's DEFAULT ICMP rate limit: every closed port must come out closed, not open|filtered, and every
// reject filtered with its ICMP reason (issue 5). Every port is checked, in JSON and XML.

interface Seen {
  state: string;
  reason: string;
  service?: string;
}

/** Every UDP port of the one host in a -oJ document: listed ports plus extraports ranges. */
function jsonUdpPorts(text: string): Map<number, Seen> {
  const doc = JSON.parse(text) as {
    hosts: { ports: { port: number; protocol: string; state: string; reason: string; service?: { name: string } }[]; extraports: { protocol: string; state: string; reason: string; ports: string }[] }[];
  };
  assert.equal(doc.hosts.length, 1, 'one host in JSON');
  const out = new Map<number, Seen>();
  for (const p of doc.hosts[0]!.ports) {
    if (p.protocol !== 'udp') continue;
    const s: Seen = { state: p.state, reason: p.reason };
    if (p.service) s.service = p.service.name;
    out.set(p.port, s);
  }
  for (const g of doc.hosts[0]!.extraports) if (g.protocol === 'udp') for (const port of expandPorts(g.ports)) out.set(port, { state: g.state, reason: g.reason });
  return out;
}

/** Every UDP port in nmap XML: <port protocol="udp"> elements plus <extrareasons proto="udp">. */
function xmlUdpPorts(xml: string): Map<number, Seen> {
  const out = new Map<number, Seen>();
  for (const m of xml.matchAll(/<port protocol="udp" portid="(\d+)"><state state="([^"]+)" reason="([^"]+)"/g)) out.set(Number(m[1]), { state: m[2]!, reason: m[3]! });
  for (const ex of xml.matchAll(/<extraports state="([^"]+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
    for (const r of ex[2]!.matchAll(/<extrareasons reason="([^"]+)" count="\d+" proto="udp" ports="([^"]+)"/g)) {
      for (const port of expandPorts(r[2]!)) out.set(port, { state: ex[1]!, reason: r[1]! });
    }
  }
  return out;
}

for (const family of [4, 6] as const) {
  test(`every UDP port of an IPv${family} target gets its true state under the default ICMP rate limit`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab({ icmpRateLimit: 'kernel-default' });
    const tmp = tempDir();
    try {
      // IPv4 refills one ICMP error per second: 30 closed ports after a burst of 6 is about 25 s.
      const plan = udpPlan(family === 4 ? 30 : 60, true);
      if (process.env.CI === 'true') assert.ok(plan.ntp !== null && plan.snmp !== null, 'CI needs chrony and snmpd installed (.ci/run)');
      if (process.env.CI === 'true') assert.ok(NATIVE_UDP, 'CI needs the native UDP prober built (npm install)');
      await startUdpTarget(lab, tmp.dir, plan);
      const addr = family === 4 ? lab.target.v4 : lab.target.v6;
      const ports = planPorts(plan);
      const r = await scanCli(lab, ['-sU', '-Pn', '-n', '--reason', '-d', '-p', ports.join(','), '-oX', tmp.file('u.xml'), '-oJ', tmp.file('u.json'), addr], { timeoutMs: 240_000 });
      assert.equal(r.code, 0, describeRun(r));
      const truth = udpTruth(plan);
      const json = jsonUdpPorts(readFileSync(tmp.file('u.json'), 'utf8'));
      const xml = xmlUdpPorts(readFileSync(tmp.file('u.xml'), 'utf8'));
      const wrong: string[] = [];
      for (const [port, t0] of truth) {
        const t = truthFor(family, t0);
        for (const [fmt, seen] of [
          ['JSON', json.get(port)],
          ['XML', xml.get(port)],
        ] as const) {
          if (!seen || seen.state !== t.state || seen.reason !== t.reason) wrong.push(`${fmt} ${port}/udp: got ${seen ? `${seen.state}/${seen.reason}` : 'nothing'}, want ${t.state}/${t.reason}`);
        }
        if (t.service) assert.equal(json.get(port)?.service, t.service, `service on ${port}/udp`);
      }
      assert.deepEqual(wrong, [], describeRun(r));
      assert.equal(json.size, truth.size, 'no ports beyond the requested ones');
      assert.match(r.stderr, /UDP \d+ probes: sweep .* ICMP answers, rate-limit floor/, 'the -d line says where the time went');
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}

test('-sTU scans T: ports over TCP and U: ports over UDP in one host report', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'kernel-default' });
  const tmp = tempDir();
  try {
    const plan = { ...udpPlan(3), ntp: null, snmp: null };
    await startUdpTarget(lab, tmp.dir, plan);
    await lab.listen([2000]);
    const r = await scanCli(lab, ['-sTU', '-Pn', '-n', '--reason', '-p', 'T:2000-2001,U:53,7,5000,20000-20002', '-oJ', tmp.file('b.json'), lab.target.v4]);
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(readFileSync(tmp.file('b.json'), 'utf8')) as { scaninfo?: unknown; hosts: { ports: { port: number; protocol: string; state: string }[]; extraports: { protocol: string; state: string; ports: string }[] }[] };
    const seen = new Map<string, string>();
    for (const p of doc.hosts[0]!.ports) seen.set(`${p.port}/${p.protocol}`, p.state);
    for (const g of doc.hosts[0]!.extraports) for (const port of expandPorts(g.ports)) seen.set(`${port}/${g.protocol}`, g.state);
    assert.deepEqual(
      Object.fromEntries([...seen].sort()),
      Object.fromEntries(
        [
          ['2000/tcp', 'open'],
          ['2001/tcp', 'closed'],
          ['53/udp', 'open'],
          ['7/udp', 'open'],
          ['5000/udp', 'open|filtered'],
          ['20000/udp', 'closed'],
          ['20001/udp', 'closed'],
          ['20002/udp', 'closed'],
        ].sort(),
      ),
    );
    assert.match(r.stdout, /53\/udp\s+open\s+domain/);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
