import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';

/**
 * Host discovery with -PE (ICMP echo) and -PU (UDP ping), alone and combined with -PS (docs/scale.md).
 * Five targets, each proving itself (or not) to exactly one kind of probe, so every reason is determined:
 *   t0 answers ICMP echo; UDP and TCP 22 dropped                  → echo-reply
 *   t1 drops echo; UDP 40125 closed (the kernel's port-unreach); TCP 22 dropped → port-unreach
 *   t2 drops echo and UDP; TCP 22 closed (RST)                    → conn-refused
 *   t3 drops echo and TCP 22; UDP 40125 rejected admin-prohibited → down, admin-prohibited (nmap(1) -PU)
 *   t4 drops everything                                           → down, no-response
 *   an address nobody holds                                       → down, no-response
 * --no-arp-ping: every target answers ARP/NDP, which would prove them all up (arp-response).
 */
const RULES: string[][] = [
  ['meta l4proto udp drop', 'tcp dport 22 drop'],
  ['icmp type echo-request drop', 'icmpv6 type echo-request drop', 'tcp dport 22 drop'],
  ['icmp type echo-request drop', 'icmpv6 type echo-request drop', 'meta l4proto udp drop'],
  ['icmp type echo-request drop', 'icmpv6 type echo-request drop', 'udp dport 40125 reject with icmpx admin-prohibited', 'tcp dport 22 drop'],
  ['icmp type echo-request drop', 'icmpv6 type echo-request drop', 'meta l4proto udp drop', 'tcp dport 22 drop'],
];

async function pingLab(): Promise<Lab> {
  const lab = await createLab({ targets: RULES.length, icmpRateLimit: 'off' });
  for (const [i, rules] of RULES.entries()) {
    const script = `table inet ps_ping {\n  chain input {\n    type filter hook input priority filter - 1; policy accept;\n${rules.map((r) => `    ${r}\n`).join('')}  }\n}\n`;
    const r = await lab.runInTarget(i, 'nft', ['-f', '-'], { input: script });
    assert.equal(r.code, 0, `nft in target ${i}: ${r.stderr}`);
  }
  return lab;
}

type Want = Map<string, [string, string]>;

/** Every host's expected [state, reason], both families; `reasons[i]` for target i ('' = down no-response). */
function expect(lab: Lab, reasons: readonly (string | [string, string])[]): Want {
  const want: Want = new Map();
  for (const fam of ['v4', 'v6'] as const) {
    for (const [i, r] of reasons.entries()) want.set(lab.targets[i]![fam], typeof r === 'string' ? (r === '' ? ['down', 'no-response'] : ['up', r]) : r);
    want.set(fam === 'v4' ? '192.0.2.40' : '2001:db8::40', ['down', 'no-response']);
  }
  return want;
}

interface JsonHost {
  address: string;
  status: string;
  reason: string;
}

async function sweep(lab: Lab, flags: string[], want: Want, opts: { asNobody?: boolean } = {}): Promise<string> {
  const tmp = tempDir();
  chmodSync(tmp.dir, 0o777); // the nobody run writes its outputs here
  try {
    const args = ['scan', '-sn', '-n', '-v', '-d', '--reason', '--no-arp-ping', ...flags, '-oJ', tmp.file('p.json'), '-oX', tmp.file('p.xml'), ...want.keys()];
    // env -u: under c8 NODE_V8_COVERAGE names a root-owned directory nobody cannot write (firewall-close.test.ts).
    const r = opts.asNobody
      ? await lab.runInScanner('env', ['-u', 'NODE_V8_COVERAGE', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, PORTSCOPE, ...args], { timeoutMs: 120_000 })
      : await scanCli(lab, args.slice(1));
    assert.equal(r.code, 0, describeRun(r));
    const hosts = (JSON.parse(readFileSync(tmp.file('p.json'), 'utf8')) as { hosts: JsonHost[] }).hosts;
    assert.deepEqual(new Map(hosts.map((h) => [h.address, [h.status, h.reason]])), want, describeRun(r));
    const xml = readFileSync(tmp.file('p.xml'), 'utf8');
    // -v: down hosts are listed too, in XML and in the normal output (as nmap -v).
    const esc = (a: string): string => a.replace(/\./g, '\\.');
    for (const [address, [state, reason]] of want) {
      assert.match(xml, new RegExp(`<status state="${state}" reason="${reason}"[^>]*/>\\s*<address addr="${esc(address)}"`), `XML status of ${address}`);
      const normal = state === 'up' ? `for ${esc(address)}\\nHost is up, received ${reason}\\b` : `for ${esc(address)} \\[host down, received ${reason}\\]`;
      assert.match(r.stdout, new RegExp(normal), `normal output of ${address}`);
    }
    return r.stderr;
  } finally {
    tmp.remove();
  }
}

test('-PE: ping sockets (ping_group_range) as nobody, then raw ICMP as root; echo-reply or no-response for every host, IPv4 and IPv6', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await pingLab();
  try {
    const want = expect(lab, ['echo-reply', '', '', '', '']);
    // The sysctl is per network namespace (net/ipv4/ping.c): this changes only the lab's scanner namespace.
    await lab.runInScanner('sysctl', ['-q', '-w', 'net.ipv4.ping_group_range=65534 65534']);
    const dgram = await sweep(lab, ['-PE'], want, { asNobody: true });
    assert.match(dgram, /host discovery: ICMP echo \(ping socket\)/);
    await lab.runInScanner('sysctl', ['-q', '-w', 'net.ipv4.ping_group_range=1 0']);
    const raw = await sweep(lab, ['-PE'], want);
    assert.match(raw, /host discovery: ICMP echo \(raw socket\)/);
  } finally {
    await lab.close();
  }
});

test('-PU: port-unreach proves a host up, admin-prohibited and silence leave it down, IPv4 and IPv6', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await pingLab();
  try {
    // --max-rate 50: discovery's sends wait for the scan's one pacer, and every host still gets its verdict.
    await sweep(lab, ['-PU', '--max-rate', '50'], expect(lab, ['', 'port-unreach', '', ['down', 'admin-prohibited'], '']));
  } finally {
    await lab.close();
  }
});

test('-PE -PU -PS22 combined: a host is up when any probe proves it, with that probe’s reason', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await pingLab();
  try {
    const stderr = await sweep(lab, ['-PE', '-PU', '-PS22'], expect(lab, ['echo-reply', 'port-unreach', 'conn-refused', ['down', 'admin-prohibited'], '']));
    assert.match(stderr, /host discovery: TCP connect to 22, UDP to 40125, ICMP echo/);
    // Without -sn, hosts found by -PE or -PU have their ports scanned (t0 drops 22, t1 drops 22); t4 is down.
    const hosts = [lab.targets[0]!.v4, lab.targets[1]!.v6, lab.targets[4]!.v4];
    const r = await scanCli(lab, ['-n', '--no-arp-ping', '-PE', '-PU', '-p', '22,23', '-oJ', '-', ...hosts]);
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(r.stdout) as { hosts: (JsonHost & { extraports: { ports: string; state: string }[] })[] };
    const got = doc.hosts.map((h) => [
      h.address,
      h.status,
      h.reason,
      h.extraports
        .map((p) => `${p.ports}/${p.state}`)
        .sort()
        .join(' '),
    ]);
    assert.deepEqual(
      got.sort(),
      [
        [hosts[0], 'up', 'echo-reply', '22/filtered 23/closed'],
        [hosts[1], 'up', 'port-unreach', '22/filtered 23/closed'],
        [hosts[2], 'down', 'no-response', ''],
      ].sort(),
    );
  } finally {
    await lab.close();
  }
});

test('-PE without ping-socket permission or CAP_NET_RAW is refused with one line, exit 2', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 1 });
  try {
    await lab.runInScanner('sysctl', ['-q', '-w', 'net.ipv4.ping_group_range=1 0']);
    const r = await lab.runInScanner('env', ['-u', 'NODE_V8_COVERAGE', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, PORTSCOPE, 'scan', '-sn', '-PE', lab.target.v4]);
    assert.equal(r.code, 2, describeRun(r));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^portscope: -PE: no ICMP socket for IPv4 \(EACCES\): the process's group 65534 is outside net\.ipv4\.ping_group_range and it lacks CAP_NET_RAW\n$/);
  } finally {
    await lab.close();
  }
});
