import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateRuleset, renderIptables, renderNft, type GenRuleset } from '../helpers/firewall-gen/index.js';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab, type LabTarget } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';

// The differential oracle of issue 15: for seeded generated rulesets loaded in lab targets that have
// listeners, `explain` (run inside each target namespace, reading the live firewall) predicts every port's
// state and reason, and a scan from the scanner namespace observes them; the two must agree, port by port,
// over IPv4 and IPv6, TCP and UDP (no UDP listeners: accepted UDP ports are closed, dropped ones open|filtered). Per backend: RULESETS rulesets, TARGETS at a time (one scan covers a batch).
const RULESETS = Number(process.env.PORTSCOPE_FW_ORACLE_RULESETS ?? 200);
const TARGETS = 20;
const FIRST = 4000;
const PORTS = Array.from({ length: 12 }, (_, i) => FIRST + i);
const SPEC = `${FIRST}-${FIRST + PORTS.length - 1}`;
// One listener process per target on 4000-4009: IPv4 and IPv6 on even targets, IPv4 only on odd ones
// (there the same ports are closed over IPv6); nothing listens on 4010-4011.
const LISTENING = '4000-4009';
const SCANNER = { v4: '192.0.2.1', v6: '2001:db8::1' };

type Backend = 'nftables' | 'iptables-nft' | 'iptables-legacy';
const BACKENDS: { name: Backend; seedBase: number }[] = [
  { name: 'nftables', seedBase: 1_000_000 },
  { name: 'iptables-nft', seedBase: 2_000_000 },
  { name: 'iptables-legacy', seedBase: 3_000_000 },
];

async function must(lab: Lab, ns: string, cmd: string, args: string[], input?: string): Promise<void> {
  const r = await lab.runIn(ns, cmd, args, input === undefined ? {} : { input });
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} in ${ns}: ${describeRun(r)}\n--- input\n${input ?? ''}`);
}

async function apply(lab: Lab, t: LabTarget, backend: Backend, g: GenRuleset): Promise<string> {
  if (backend === 'nftables') {
    const script = renderNft(g);
    await must(lab, t.ns, 'nft', ['-f', '-'], script);
    return script;
  }
  const [v4, v6] = [renderIptables(g, 4), renderIptables(g, 6)];
  const [r4, r6] = backend === 'iptables-nft' ? ['iptables-nft-restore', 'ip6tables-nft-restore'] : ['iptables-legacy-restore', 'ip6tables-legacy-restore'];
  await must(lab, t.ns, r4, [], v4);
  await must(lab, t.ns, r6, [], v6);
  return `# IPv4\n${v4}# IPv6\n${v6}`;
}

interface Row {
  protocol: 'tcp' | 'udp';
  port: number;
  family: 'ipv4' | 'ipv6';
  predicted: string;
  reason: string;
  verdict: string;
  rule: { text: string } | null;
  note?: string;
}

for (const backend of BACKENDS) {
  test(`firewall oracle, ${backend.name}: explain's predicted state = the scanned state for ${RULESETS} generated rulesets × ${PORTS.length} ports × TCP and UDP × IPv4 and IPv6`, { ...labTestOptions(), timeout: 600_000 }, async () => {
    assertLabAvailable();
    const lab = await createLab({ targets: TARGETS, icmpRateLimit: 'off' });
    const tmp = tempDir();
    const mismatches: string[] = [];
    const compared = { tcp: 0, udp: 0 };
    try {
      for (const t of lab.targets) {
        await lab.listen(LISTENING, { target: t.index, family: t.index % 2 === 0 ? 'both' : 4 });
      }
      for (let batch = 0; batch < RULESETS; batch += TARGETS) {
        const here = lab.targets.slice(0, Math.min(TARGETS, RULESETS - batch));
        const sets = here.map((t) => generateRuleset(backend.seedBase + batch + t.index, { ports: PORTS, scanner: SCANNER, nft: backend.name === 'nftables' }));
        const texts = await Promise.all(here.map((t, i) => apply(lab, t, backend.name, sets[i]!)));
        // One explain per target for both protocols (-sTU), one scan per protocol for the whole batch.
        const explained = await Promise.all(here.map((t) => lab.runIn(t.ns, process.execPath, [PORTSCOPE, 'explain', '-sTU', '--json', '--only-ports', '-p', SPEC, '--from', `${SCANNER.v4},${SCANNER.v6}`])));
        const addrs = here.flatMap((t) => [t.v4, t.v6]);
        const scanned = new Map<string, Map<string, ReturnType<typeof readJsonHosts>[number]>>();
        for (const proto of ['tcp', 'udp'] as const) {
          const out = tmp.file(`b${batch}-${proto}.json`);
          const scan = await scanCli(lab, [...(proto === 'udp' ? ['-sU'] : []), '-Pn', '-n', '--reason', '-T5', '--max-retries', '1', '-p', SPEC, '-oJ', out, ...addrs]);
          assert.equal(scan.code, 0, describeRun(scan));
          scanned.set(proto, new Map(readJsonHosts(readFileSync(out, 'utf8')).map((h) => [h.address, h])));
        }
        here.forEach((t, i) => {
          const ex = explained[i]!;
          assert.equal(ex.code, 0, `explain in ${t.ns} (seed ${sets[i]!.seed}): ${describeRun(ex)}`);
          const rows = (JSON.parse(ex.stdout) as { ports: Row[] }).ports;
          assert.equal(rows.length, PORTS.length * 4, `seed ${sets[i]!.seed}: one row per port, protocol and family`);
          for (const row of rows) {
            const seen = scanned
              .get(row.protocol)
              ?.get(row.family === 'ipv4' ? t.v4 : t.v6)
              ?.ports.get(row.port);
            compared[row.protocol]++;
            if (!seen || seen.state !== row.predicted || seen.reason !== row.reason) {
              mismatches.push(
                `seed ${sets[i]!.seed} ${row.family} ${row.port}/${row.protocol}: predicted ${row.predicted}/${row.reason} (${row.verdict}: ${row.rule?.text ?? 'policy'}${row.note ? `; ${row.note}` : ''}) observed ${seen ? `${seen.state}/${seen.reason}` : 'nothing'}\n${texts[i]}`,
              );
            }
          }
        });
      }
      assert.deepEqual(compared, { tcp: RULESETS * PORTS.length * 2, udp: RULESETS * PORTS.length * 2 });
      assert.deepEqual(mismatches.slice(0, 3), [], `${mismatches.length} of ${compared.tcp + compared.udp} ports differ`);
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}
