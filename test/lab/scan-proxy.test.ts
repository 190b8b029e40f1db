import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab, type Truth } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { assertMatchesTruth } from './support/truth-assert.js';
import * as d from './support/service-daemons.js';
import type { ServiceInfo } from '../../src/model/index.js';

// Dante (Debian dante-server) as a SOCKS5 proxy in the first target, 192.0.2.2:1080. Through it we scan the
// proxy host's own 127.0.0.1 and a second target, 192.0.2.3. What dante replies (measured here with dante
// 1.4.2): connected → 0; RST or ICMP port-unreachable (ECONNREFUSED) → 5; ICMP host-unreachable or
// admin-prohibited (EHOSTUNREACH) → 4; a dropped SYN → nothing until its connect timeout (30 s by default),
// so the scanner's own probe timeout decides. docs/proxy.md maps these replies to states.
const PORTS = '7000-7006';
const DANTED = '/usr/sbin/danted';

/** The connect-scan truth seen through the proxy (docs/proxy.md table). */
function throughProxy(t: Truth): Truth {
  if (t.state === 'open') return { state: 'open', reason: 'proxy-connected' };
  if (t.state === 'closed') return { state: 'closed', reason: 'proxy-refused' };
  if (t.reason === 'no-response') return { state: 'filtered', reason: 'no-response' };
  return { state: 'filtered', reason: 'proxy-unreach' };
}

async function startDante(lab: Lab, conf: string): Promise<void> {
  writeFileSync(
    conf,
    [
      'logoutput: stderr',
      `internal: ${lab.target.v4} port = 1080`,
      // Two external interfaces, chosen per destination by the routing table: lo for 127.0.0.1, eth0 for the lab.
      'external: eth0',
      'external: lo',
      'external.rotation: route',
      'clientmethod: none',
      'socksmethod: none',
      'user.privileged: root',
      'user.unprivileged: nobody',
      'client pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }',
      'socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }',
      '',
    ].join('\n'),
  );
  const d = lab.spawnInTarget(0, DANTED, ['-f', conf, '-N', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  d.stderr?.on('data', (x: Buffer) => (log = (log + x.toString()).slice(-4000)));
  // Readiness: poll for the listening socket (a start-up condition, not a timed assertion).
  for (let i = 0; i < 100; i++) {
    if (d.exitCode !== null) throw new Error(`danted exited ${d.exitCode}: ${log}`);
    const ss = await lab.runInTarget(0, 'ss', ['-Hltn', 'sport = :1080']);
    if (ss.stdout.trim() !== '') return;
    await sleep(100);
  }
  throw new Error(`danted did not listen on 1080: ${log}`);
}

test('through a SOCKS5 proxy, ports of the proxy host and of another host get the states docs/proxy.md promises', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    // Target 0 (the proxy host): its input rules also see the proxy's connections to 127.0.0.1.
    await lab.setFirewall({ drop: [7003], adminProhibited: [7004], reset: [7005] }, 0);
    await lab.setFirewall({ drop: [7001], reset: [7002], adminProhibited: [7003], portUnreachable: [7004], hostUnreachable: [7005] }, 1);
    await lab.listen([7000, 7001, 7005], { target: 0, family: 4 });
    await lab.listen([7000, 7001], { target: 1, family: 4 });
    await startDante(lab, tmp.file('danted.conf'));

    const proxy = `socks5://${lab.target.v4}:1080`;
    for (const [addr, target] of [
      ['127.0.0.1', 0],
      [lab.targets[1]!.v4, 1],
    ] as const) {
      const file = tmp.file(`p${target}.json`);
      const r = await scanCli(lab, ['--proxy', proxy, '-n', '-p', PORTS, '-oJ', file, addr]);
      assert.equal(r.code, 0, describeRun(r));
      const truth = new Map([...lab.truth(PORTS, { target })].map(([p, t]) => [p, throughProxy(t)]));
      const [host] = readJsonHosts(readFileSync(file, 'utf8'));
      assert.ok(host, `${addr} in JSON`);
      assert.equal(host.status, 'up');
      assertMatchesTruth(host.ports, truth, `${addr} through the proxy`);
    }
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('-sV through a SOCKS5 proxy identifies the services behind it, TLS included', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    // Daemons on the proxy host, scanned as its 127.0.0.1: the scanner's own 127.0.0.1 has none of these
    // ports, so every identification below came through the proxy.
    const ports = { ssh: 2222, http: 8081, https: 8444, redis: 6390 };
    const tls = d.makeCertificate(tmp.dir, 'lab.portscope.test', '127.0.0.1');
    const daemons = [await d.startSshd(lab, tmp.dir, ports.ssh), ...(await d.startNginx(lab, tmp.dir, ports.http, ports.https, tls)), await d.startRedis(lab, tmp.dir, ports.redis)];
    await d.waitListening(lab, Object.values(ports));
    await startDante(lab, tmp.file('danted.conf'));
    const file = tmp.file('sv.json');
    const r = await scanCli(lab, ['-sV', '--proxy', `socks5://${lab.target.v4}:1080`, '-n', '-Pn', '-p', Object.values(ports).join(','), '-oJ', file, '127.0.0.1']);
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { hosts: { ports: { port: number; state: string; service?: ServiceInfo }[] }[] };
    const byPort = new Map(doc.hosts[0]!.ports.map((p) => [p.port, p]));
    const version = (port: number): string | undefined => daemons.find((x) => x.port === port)?.version;
    for (const [port, name, product] of [
      [ports.ssh, 'ssh', 'OpenSSH'],
      [ports.http, 'http', 'nginx'],
      [ports.https, 'http', 'nginx'],
      [ports.redis, 'redis', 'Redis key-value store'],
    ] as const) {
      const p = byPort.get(port);
      assert.equal(p?.state, 'open', `port ${port}`);
      assert.deepEqual(
        { name: p.service?.name, product: p.service?.product, version: p.service?.version, method: p.service?.method },
        { name, product, version: version(port), method: 'probed' },
        `port ${port}: ${JSON.stringify(p.service)}`,
      );
    }
    assert.equal(byPort.get(ports.https)?.service?.tunnel, 'ssl', 'TLS ran end to end inside the proxied stream');
  } finally {
    await lab.close();
    tmp.remove();
  }
});
