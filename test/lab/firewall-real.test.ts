import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';

// Real rulesets loaded in a lab target: ufw (run inside the namespace, its /etc/ufw a private copy),
// firewalld's default zone (its nftables ruleset) and Docker's chains (as Docker writes them, with ufw's
// user chains beside). For every port explain predicts a definite state for, the scan observes it.
const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/firewall/${name}`, import.meta.url));

interface Row {
  port: number;
  family: string;
  predicted: string;
  reason: string;
  verdict: string;
  rule: { ufwNumber?: number; comment?: string; chain: string } | null;
}

async function compare(lab: Lab, ports: string): Promise<Row[]> {
  const tmp = tempDir();
  try {
    const ex = await lab.runInTarget(0, process.execPath, [PORTSCOPE, 'explain', '--json', '--only-ports', '-p', ports, '--from', '192.0.2.1,2001:db8::1']);
    assert.equal(ex.code, 0, describeRun(ex));
    const rows = (JSON.parse(ex.stdout) as { ports: Row[] }).ports;
    const scan = await scanCli(lab, ['-Pn', '-n', '--reason', '-T5', '--max-retries', '1', '-p', ports, '-oJ', tmp.file('s.json'), lab.target.v4, lab.target.v6]);
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

test("firewalld's default zone (public: ssh, dhcpv6-client; the rest admin-prohibited): every port as predicted", labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off' });
  try {
    const load = await lab.runInTarget(0, 'nft', ['-f', fixture('firewalld-public.nft')]);
    assert.equal(load.code, 0, describeRun(load));
    await lab.listen('22,4300', { family: 'both' });
    const rows = await compare(lab, '21-23,4300');
    assert.deepEqual(
      rows.filter((r) => r.family === 'ipv4').map((r) => `${r.port} ${r.predicted}/${r.reason} ${r.rule?.chain}`),
      ['21 filtered/host-unreach filter_INPUT', '22 open/syn-ack filter_IN_public_allow', '23 filtered/host-unreach filter_INPUT', '4300 filtered/host-unreach filter_INPUT'],
    );
  } finally {
    await lab.close();
  }
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
