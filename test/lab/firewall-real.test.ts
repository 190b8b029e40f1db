import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { firewalldInThisNamespace, firewalldInstalled, snapshotEtcFirewalld, startFirewalld, type Firewalld } from './support/firewalld.js';
import { readJsonHosts } from './support/read-json.js';

// Real rulesets loaded in a lab target: ufw (run inside the namespace, its /etc/ufw a private copy),
// firewalld (run inside the namespace on a private D-Bus: support/firewalld.ts) and Docker's chains (as Docker writes them, with ufw's
// user chains beside). For every port explain predicts a definite state for, the scan observes it.
const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/firewall/${name}`, import.meta.url));

interface Row {
  protocol: string;
  port: number;
  family: string;
  predicted: string;
  reason: string;
  verdict: string;
  rule: { ufwNumber?: number; comment?: string; chain: string; table: string } | null;
}

async function compare(lab: Lab, ports: string, protocol: 'tcp' | 'udp' = 'tcp'): Promise<Row[]> {
  const tmp = tempDir();
  const sU = protocol === 'udp' ? ['-sU'] : [];
  try {
    const ex = await lab.runInTarget(0, process.execPath, [PORTSCOPE, 'explain', '--json', ...sU, '--only-ports', '-p', ports, '--from', '192.0.2.1,2001:db8::1']);
    assert.equal(ex.code, 0, describeRun(ex));
    const rows = (JSON.parse(ex.stdout) as { ports: Row[] }).ports;
    const scan = await scanCli(lab, [...sU, '-Pn', '-n', '--reason', '-T5', '--max-retries', '1', '-p', ports, '-oJ', tmp.file('s.json'), lab.target.v4, lab.target.v6]);
    assert.equal(scan.code, 0, describeRun(scan));
    const hosts = new Map(readJsonHosts(readFileSync(tmp.file('s.json'), 'utf8')).map((h) => [h.address, h]));
    for (const r of rows) {
      if (r.predicted === 'unknown') continue;
      const seen = hosts.get(r.family === 'ipv4' ? lab.target.v4 : lab.target.v6)?.ports.get(r.port);
      assert.equal(`${seen?.state}/${seen?.reason}`, `${r.predicted}/${r.reason}`, `${r.family} ${r.port}: ${JSON.stringify(r)}`);
    }
    return rows;
  } finally {
    tmp.remove();
  }
}

test("ufw's defaults plus numbered, commented rules: explain names ufw's rule numbers and predicts every port", labTestOptions(), async () => {
  assertLabAvailable();
  const hostConf = readFileSync('/etc/ufw/ufw.conf', 'utf8');
  const lab = await createLab({ icmpRateLimit: 'off' });
  // `ip netns exec` bind-mounts /etc/netns/NS/ufw over /etc/ufw: ufw writes its private copy, never the host's.
  const etc = `/etc/netns/${lab.target.ns}`;
  try {
    mkdirSync(etc, { recursive: true });
    cpSync('/etc/ufw', `${etc}/ufw`, { recursive: true });
    await lab.listen('4200,4203', { family: 'both' });
    for (const args of [
      ['--force', 'enable'],
      ['allow', '4200/tcp', 'comment', 'web'],
      ['deny', '4201/tcp'],
      ['reject', '4202'],
      ['allow', 'from', '192.0.2.0/24', 'to', 'any', 'port', '4203', 'proto', 'tcp'],
    ]) {
      const r = await lab.runInTarget(0, 'ufw', args);
      assert.equal(r.code, 0, describeRun(r));
    }
    const rows = await compare(lab, '4199-4204');
    const r4200 = rows.find((r) => r.port === 4200 && r.family === 'ipv4')!;
    assert.deepEqual([r4200.predicted, r4200.rule?.ufwNumber, r4200.rule?.comment], ['open', 1, 'web']);
    assert.equal(rows.find((r) => r.port === 4200 && r.family === 'ipv6')!.rule?.ufwNumber, 5);
    assert.equal(rows.filter((r) => r.predicted !== 'unknown').length, 12, 'every row definite');
    assert.equal(readFileSync('/etc/ufw/ufw.conf', 'utf8'), hostConf, "the host's ufw configuration is untouched");
  } finally {
    await lab.close();
    rmSync(etc, { recursive: true, force: true });
  }
});

test("the real firewalld (default zone public, plus a service, ports and rich rules) in the target: explain names its rules, every port as predicted; close's firewall-cmd steps close them", labTestOptions(), async (t) => {
  assertLabAvailable();
  if (!firewalldInstalled()) {
    if (process.env.CI === 'true') throw new Error('lab test cannot run in CI: firewalld (and dbus-daemon) not installed');
    t.skip('firewalld not installed (Debian package firewalld)');
    return;
  }
  const hostEtc = snapshotEtcFirewalld();
  const hostRuleset = execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' });
  const lab = await createLab({ icmpRateLimit: 'off' });
  let fw: Firewalld | undefined;
  try {
    fw = await startFirewalld(lab);
    const f = fw;
    const must = async (args: string[]): Promise<void> => {
      const r = await f.cmd(args);
      assert.equal(r.code, 0, `firewall-cmd ${args.join(' ')}: ${describeRun(r)}\n${f.log()}`);
    };
    const zone = await f.cmd(['--get-default-zone']);
    assert.equal(zone.stdout.trim(), 'public', describeRun(zone));
    // One firewall-cmd call per kind (it allows no mix; each call is a Python start): a service, two ports,
    // rich rules with sources and a drop.
    await must(['--add-service=http']);
    await must(['--add-port=8080/tcp', '--add-port=5353/udp']);
    await must([
      '--add-rich-rule=rule family="ipv4" source address="192.0.2.0/24" port port="9000" protocol="tcp" accept',
      '--add-rich-rule=rule family="ipv4" source address="198.51.100.0/24" port port="9001" protocol="tcp" accept',
      '--add-rich-rule=rule port port="9002" protocol="tcp" drop',
    ]);
    await lab.listen('22,80,4300,9000-9002', { family: 'both' });
    const TCP = '21-23,80,4300,8080,9000-9002';
    const UDP = '22,546,5353-5354';
    const rows = [...(await compare(lab, TCP)), ...(await compare(lab, UDP, 'udp'))];
    const fmt = (r: Row): string => `${r.protocol} ${r.port} ${r.family}: ${r.predicted}/${r.reason} ${r.rule?.table}.${r.rule?.chain}`;
    // Only DHCPv6's accept (`ip6 daddr fe80::/64 udp dport 546`) depends on which address is scanned.
    assert.deepEqual(rows.filter((r) => r.predicted === 'unknown').map(fmt), ['udp 546 ipv6: unknown/indeterminate firewalld.filter_IN_public_allow']);
    assert.ok(
      rows.every((r) => r.rule?.table === 'firewalld'),
      rows.map(fmt).join('\n'),
    );
    const by = (proto: string, port: number, family = 'ipv4'): string => fmt(rows.find((r) => r.protocol === proto && r.port === port && r.family === family)!);
    assert.deepEqual(
      [by('tcp', 21), by('tcp', 22), by('tcp', 22, 'ipv6'), by('tcp', 4300, 'ipv6'), by('tcp', 8080), by('tcp', 9000), by('tcp', 9000, 'ipv6'), by('tcp', 9001), by('tcp', 9002), by('udp', 5353), by('udp', 5354), by('udp', 546)],
      [
        'tcp 21 ipv4: filtered/host-unreach firewalld.filter_IN_public',
        'tcp 22 ipv4: open/syn-ack firewalld.filter_IN_public_allow',
        'tcp 22 ipv6: open/syn-ack firewalld.filter_IN_public_allow',
        'tcp 4300 ipv6: filtered/admin-prohibited firewalld.filter_IN_public',
        'tcp 8080 ipv4: closed/conn-refused firewalld.filter_IN_public_allow',
        'tcp 9000 ipv4: open/syn-ack firewalld.filter_IN_public_allow',
        'tcp 9000 ipv6: filtered/admin-prohibited firewalld.filter_IN_public',
        'tcp 9001 ipv4: filtered/host-unreach firewalld.filter_IN_public',
        'tcp 9002 ipv4: filtered/no-response firewalld.filter_IN_public_deny',
        'udp 5353 ipv4: closed/port-unreach firewalld.filter_IN_public_allow',
        'udp 5354 ipv4: filtered/admin-prohibited firewalld.filter_IN_public',
        'udp 546 ipv4: filtered/admin-prohibited firewalld.filter_IN_public',
      ],
    );

    // close: firewalld's own command for each way a port was opened, which, run, closes it.
    const steps = async (port: string): Promise<string[]> => {
      const r = await lab.runInTarget(0, process.execPath, [PORTSCOPE, 'close', port, '--json'], { env: f.env });
      assert.equal(r.code, 0, describeRun(r));
      const plan = JSON.parse(r.stdout) as { firewalld: boolean; steps: string[] };
      assert.equal(plan.firewalld, true);
      return plan.steps.filter((s) => s.startsWith('firewall-cmd'));
    };
    const expected: [string, string][] = [
      ['80/tcp', '--remove-service=http'],
      ['8080/tcp', '--remove-port=8080/tcp'],
      ['9000/tcp', `--add-rich-rule='rule port port="9000" protocol="tcp" drop'`],
    ];
    for (const [port, change] of expected) {
      const got = await steps(port);
      assert.deepEqual(got, [`firewall-cmd --zone=public ${change}`, `firewall-cmd --permanent --zone=public ${change}`], port);
      // Run the runtime step as printed (its single-quoted argument unquoted the way sh does).
      await must(['--zone=public', change.replace(/^(--add-rich-rule=)'(.*)'$/, '$1$2')]);
    }
    assert.deepEqual(await steps('4300/tcp'), [], 'firewalld does not allow 4300: nothing of its own to change');
    const after = await compare(lab, '80,8080,9000');
    assert.deepEqual(after.filter((r) => r.family === 'ipv4').map(fmt), [
      'tcp 80 ipv4: filtered/host-unreach firewalld.filter_IN_public',
      'tcp 8080 ipv4: filtered/host-unreach firewalld.filter_IN_public',
      'tcp 9000 ipv4: filtered/no-response firewalld.filter_IN_public_deny',
    ]);
    const ex = await lab.runInTarget(0, process.execPath, [PORTSCOPE, 'explain', '--only-ports', '-p', '22']);
    assert.match(ex.stdout, /managed by firewalld/, describeRun(ex));
    // Without --from and without a default route (the lab's targets have none), the reverse path is not known.
    assert.match(ex.stdout, /22\/tcp ipv6: indeterminate[^\n]*\n.*filter_PREROUTING[^\n]*\n\s*depends on the route back to the source/, describeRun(ex));
    // A source the target has no route back to (its only IPv6 route is 2001:db8::/64 on eth0): firewalld's
    // reverse-path filter drops it; portscope asks the namespace's routing table, as nft's fib does.
    const spoof = await lab.runInTarget(0, process.execPath, [PORTSCOPE, 'explain', '--json', '--only-ports', '-p', '22', '--from', '2001:db8:ffff::1']);
    const [row] = (JSON.parse(spoof.stdout) as { ports: Row[] }).ports;
    assert.equal(row && fmt(row), 'tcp 22 ipv6: filtered/no-response firewalld.filter_PREROUTING', describeRun(spoof));
  } finally {
    await lab.close();
    fw?.remove();
  }
  assert.deepEqual(firewalldInThisNamespace(), [], "no firewalld runs in the machine's own network namespace");
  assert.equal(execFileSync('nft', ['list', 'ruleset'], { encoding: 'utf8' }), hostRuleset, "the machine's own ruleset is untouched");
  assert.deepEqual(snapshotEtcFirewalld(), hostEtc, "the host's /etc/firewalld is untouched");
});

test("Docker's chains (DOCKER, DOCKER-USER, nat DOCKER with a published port) and ufw's: every host port as predicted", labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off' });
  try {
    // Without its ipset (the lab has none) the -m set line cannot load.
    const save = readFileSync(fixture('docker-ufw.iptables-save'), 'utf8')
      .split('\n')
      .filter((l) => !l.includes('--match-set'))
      .join('\n');
    const load = await lab.runInTarget(0, 'iptables-nft-restore', [], { input: save });
    assert.equal(load.code, 0, describeRun(load));
    await lab.listen('22,80,2001', { family: 4 });
    const rows = await compare(lab, '22,25,80,443,2000-2001,2080,8080');
    const by = (port: number): Row => rows.find((r) => r.port === port && r.family === 'ipv4')!;
    assert.deepEqual([by(8080).verdict, by(8080).predicted], ['forward', 'unknown'], 'a published port goes to the container');
    assert.deepEqual([by(22).predicted, by(80).predicted, by(25).predicted, by(2080).predicted], ['open', 'open', 'closed', 'open']);
  } finally {
    await lab.close();
  }
});
