import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { collect, createLab, run, type Lab, type RunResult } from '../helpers/netlab/index.js';
import { buildUdpTargets } from './support/udp-targets.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';

/**
 * UDP on the walk (docs/scale.md "UDP in the walk"): -sT -sU shards merge back into the unsharded scan,
 * and a SIGINT'd UDP scan resumed ends equal to an uninterrupted one without probing a settled UDP port
 * again (probes counted per port by the target's nftables). 2 hosts × (4 TCP + 6 UDP) ports; the targets'
 * ICMP rate limit is lifted so closed UDP ports answer at once and the test stays cheap.
 */
const UDP_PORTS = [7001, 7002, 7003, 7004, 7005, 7006];
const PORTS = `T:4000-4003,U:${UDP_PORTS.join(',')}`;
/** Per target: UDP ports with a listener that answers (open), dropped (open|filtered), admin-prohibited (filtered); the rest closed. */
const UDP_TRUTH = [
  { open: [7001, 7002], drop: [7003], prohibited: [7004] },
  { open: [7004], drop: [7001, 7002], prohibited: [] as number[] },
];

function buildTargets(lab: Lab): Promise<void> {
  return buildUdpTargets(lab, UDP_TRUTH, 'udpwalk', UDP_PORTS);
}

/** UDP probes each target received so far, by "address port". */
async function udpProbes(lab: Lab): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [i, t] of lab.targets.entries()) {
    const r = await lab.runInTarget(i, 'nft', ['list', 'chain', 'inet', 'udpwalk', 'input']);
    assert.equal(r.code, 0, r.stderr);
    for (const m of r.stdout.matchAll(/udp dport (\d+) counter packets (\d+)/g)) out.set(`${t.v4} ${m[1]}`, Number(m[2]));
  }
  return out;
}

/** "address port/proto" → "state/reason" for every port of every host (listed and folded), and "address" → status. */
function states(text: string): Map<string, string> {
  const doc = JSON.parse(text) as {
    hosts: { address: string; status: string; ports: { port: number; protocol: string; state: string; reason: string }[]; extraports: { state: string; protocol: string; reason: string; ports: string }[] }[];
  };
  const out = new Map<string, string>();
  for (const h of doc.hosts) {
    out.set(h.address, h.status);
    for (const p of h.ports) out.set(`${h.address} ${p.port}/${p.protocol}`, `${p.state}/${p.reason}`);
    for (const g of h.extraports) {
      for (const range of g.ports.split(',')) {
        const [a, b = a] = range.split('-').map(Number) as [number, number?];
        for (let p = a; p <= b!; p++) out.set(`${h.address} ${p}/${g.protocol}`, `${g.state}/${g.reason}`);
      }
    }
  }
  return new Map([...out].sort());
}

const TARGETS = ['192.0.2.2-3'];
const BASE = ['-sT', '-sU', '-Pn', '-n', '-p', PORTS, '--seed', '77'];

test('-sT -sU: 2 shards of one walk hold disjoint TCP and UDP pairs; merged XML and JSON equal the unsharded scan', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await buildTargets(lab);
    const whole = await scanCli(lab, [...BASE, '-oJ', tmp.file('whole.json'), ...TARGETS]);
    assert.equal(whole.code, 0, describeRun(whole));
    const want = states(readFileSync(tmp.file('whole.json'), 'utf8'));
    const udp = [...want].filter(([k]) => k.endsWith('/udp'));
    assert.equal(udp.length, 2 * UDP_PORTS.length, 'every UDP pair in the unsharded scan');
    assert.equal(want.get('192.0.2.2 7001/udp'), 'open/udp-response');
    assert.equal(want.get('192.0.2.3 7001/udp'), 'open|filtered/no-response');
    assert.equal(want.get('192.0.2.2 7005/udp'), 'closed/port-unreach');

    const union = new Map<string, string>();
    for (let i = 0; i < 2; i++) {
      const r = await scanCli(lab, [...BASE, '--shards', '2', '--shard', String(i), '-oJ', tmp.file(`s${i}.json`), '-oX', tmp.file(`s${i}.xml`), ...TARGETS]);
      assert.equal(r.code, 0, describeRun(r));
      const part = [...states(readFileSync(tmp.file(`s${i}.json`), 'utf8'))].filter(([k]) => k.includes(' '));
      const partUdp = part.filter(([k]) => k.endsWith('/udp')).length;
      assert.ok(partUdp > 0 && partUdp < udp.length, `shard ${i} holds a real slice of the UDP pairs (${partUdp})`);
      for (const [k, v] of part) {
        assert.ok(!union.has(k), `pair ${k} in two shards`);
        union.set(k, v);
      }
    }
    const live = (m: Map<string, string>): Map<string, string> => new Map([...m].filter(([k]) => k.includes(' ')).sort());
    assert.deepEqual(new Map([...union].sort()), live(want), 'union of shards = unsharded scan, TCP and UDP');

    for (const ext of ['xml', 'json']) {
      const merged = await run(process.execPath, [PORTSCOPE, 'merge', tmp.file(`s0.${ext}`), tmp.file(`s1.${ext}`), '-oJ', tmp.file(`all-${ext}.json`), '-oX', tmp.file(`all-${ext}.xml`)]);
      assert.equal(merged.code, 0, merged.stderr);
      assert.deepEqual(states(readFileSync(tmp.file(`all-${ext}.json`), 'utf8')), want, `merged ${ext} parts = unsharded scan`);
      const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', tmp.file(`all-${ext}.xml`)]);
      assert.equal(lint.code, 0, lint.stderr);
    }
  } finally {
    await lab.close();
    tmp.remove();
  }
});

/** Start a scan and SIGINT it a little after its first open UDP port is reported (-v). */
async function interruptInUdp(lab: Lab, args: string[]): Promise<RunResult> {
  const child = lab.spawnInScanner(process.execPath, [PORTSCOPE, 'scan', ...args]);
  const done = collect(child, performance.now(), { timeoutMs: 60_000 });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer | string) => {
      out += d.toString();
      if (/Discovered open port \d+\/udp/.test(out)) resolve();
    });
    child.once('exit', () => resolve());
  });
  const timer = setTimeout(() => child.kill('SIGINT'), Math.random() * 300);
  const r = await done;
  clearTimeout(timer);
  return r;
}

test('a -sT -sU scan SIGINT-ed in its UDP phase and resumed equals an uninterrupted one; no settled UDP port is probed again', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await buildTargets(lab);
    // --max-rate 20: the UDP phase lasts seconds (sweep, ICMP rate measurement, confirmations), room to cut it.
    const args = [...BASE, '-v', '--max-rate', '20'];
    const whole = await scanCli(lab, [...args, '-oJ', tmp.file('whole.json'), ...TARGETS]);
    assert.equal(whole.code, 0, describeRun(whole));
    const want = states(readFileSync(tmp.file('whole.json'), 'utf8'));

    const state = tmp.file('paused.json');
    const cut = await interruptInUdp(lab, [...args, '--resume-file', state, '-oJ', tmp.file('r.json'), ...TARGETS]);
    assert.equal(cut.code, 130, describeRun(cut));
    assert.ok(existsSync(state), `resume state written:\n${describeRun(cut)}`);
    // What the interrupted run settled: every port of a finished host, the listed ports of an unfinished one.
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { hosts: { address: string; complete: boolean; ports: { protocol: string; port: number }[] }[] };
    const settled = new Set<string>();
    for (const h of saved.hosts) {
      if (h.complete) for (const p of UDP_PORTS) settled.add(`${h.address} ${p}`);
      else for (const p of h.ports) if (p.protocol === 'udp') settled.add(`${h.address} ${p.port}`);
    }
    const all = ['192.0.2.2', '192.0.2.3'].flatMap((a) => UDP_PORTS.map((p) => `${a} ${p}`));
    const unsettled = all.filter((k) => !settled.has(k));
    assert.ok(settled.size > 0, 'the interrupted run settled some UDP ports');
    assert.ok(unsettled.length > 0, `the interrupt left UDP ports unsettled (settled: ${[...settled].join(', ')})`);

    const before = await udpProbes(lab);
    const resumed = await scanCli(lab, ['--resume', state]);
    assert.equal(resumed.code, 0, describeRun(resumed));
    const after = await udpProbes(lab);
    const sent = (k: string): number => (after.get(k) ?? 0) - (before.get(k) ?? 0);
    for (const k of settled) assert.equal(sent(k), 0, `${k}/udp was settled before the interrupt and probed again ${sent(k)} times`);
    for (const k of unsettled) assert.ok(sent(k) >= 1, `${k}/udp was not settled and the resumed run did not probe it`);
    assert.deepEqual(states(readFileSync(tmp.file('r.json'), 'utf8')), want, 'resumed result = uninterrupted result');
  } finally {
    await lab.close();
    tmp.remove();
  }
});
