import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateHost, type HostView, type OutsideResult } from '../../../src/audit/evaluate.js';
import { parsePolicy } from '../../../src/audit/policy-load.js';
import type { ProcessExtra } from '../../../src/model/index.js';
import type { ListeningSocket, PortResult, PortState } from '../../../src/model/index.js';

// evaluateHost is a pure function of (policy, inside sockets, outside results): each finding type is
// checked here for the case that must produce it and the nearest cases that must not.

const node = { pid: 100, name: 'node', command: '/usr/bin/node server.js', user: 'app', uid: 1000 };

function sock(port: number, address: string, extra: Partial<ListeningSocket> = {}): ListeningSocket {
  const family = address.includes(':') ? 6 : 4;
  const exposure = address.startsWith('127.') || address === '::1' ? 'loopback' : address === '0.0.0.0' || address === '::' ? 'all-interfaces' : 'interface';
  return { protocol: 'tcp', family, address, port, exposure, processes: [node], owner: 'app', ownerKnown: true, inode: 1, state: 'LISTEN', ...extra };
}

function result(port: number, state: PortState): PortResult {
  const reason = state === 'open' ? 'syn-ack' : state === 'closed' ? 'conn-refused' : 'no-response';
  return { protocol: 'tcp', port, state, reason, tries: 1 };
}

const out = (address: string, ...ports: [number, PortState][]): OutsideResult => ({ address, ports: ports.map(([p, s]) => result(p, s)) });

function local(inside: ListeningSocket[], outside: OutsideResult[] = [], extras = new Map<number, ProcessExtra>()): HostView {
  return { host: 'local', kind: 'local', names: [], inside, extras, outside, firewalls: ['nftables (table inet filter)'] };
}

function remote(address: string, ...ports: [number, PortState][]): HostView {
  return { host: address, kind: 'remote', names: [address], inside: null, extras: new Map(), outside: [out(address, ...ports)], firewalls: [] };
}

function findings(policyText: string, view: HostView): string[] {
  const { policy, lines } = parsePolicy(`version: 1\n${policyText}`);
  return evaluateHost(policy, lines, view)
    .map((f) => `${f.type}:${f.port}`)
    .sort();
}

const P = (rules: string): string => `ports:\n${rules}`;

test('open-not-allowed: a listener no rule names, and only that', () => {
  assert.deepEqual(findings(P('  - { port: 22 }\n'), local([sock(22, '0.0.0.0'), sock(8080, '0.0.0.0')], [out('192.0.2.2', [22, 'open'], [8080, 'open'])])), ['open-not-allowed:8080']);
});

test('open-not-allowed is high when reachable, medium when bound wide but not reachable, low on loopback', () => {
  const { policy, lines } = parsePolicy('version: 1\n');
  const sev = (v: HostView): string[] => evaluateHost(policy, lines, v).map((f) => f.severity);
  assert.deepEqual(sev(local([sock(1, '0.0.0.0')], [out('192.0.2.2', [1, 'open'])])), ['high']);
  assert.deepEqual(sev(local([sock(1, '0.0.0.0')], [out('192.0.2.2', [1, 'filtered'])])), ['medium']);
  assert.deepEqual(sev(local([sock(1, '127.0.0.1')])), ['low']);
});

test('a remote open port without a rule is open-not-allowed; closed and filtered ones are not', () => {
  assert.deepEqual(findings('', remote('192.0.2.7', [22, 'open'], [23, 'closed'], [24, 'filtered'])), ['open-not-allowed:22']);
});

test('allowed-but-closed: a required rule with no listener; not when required is false or something listens', () => {
  const rules = P('  - { port: 22 }\n  - { port: 25, required: false }\n  - { port: 80 }\n');
  assert.deepEqual(findings(rules, local([sock(80, '::', { dualStack: true })], [out('192.0.2.2', [22, 'closed'], [25, 'closed'], [80, 'open'])])), ['allowed-but-closed:22']);
});

test('allowed-but-closed on a remote host: the rule port did not answer open', () => {
  const rules = 'hosts:\n  - match: 192.0.2.0/24\n    ports:\n      - { port: 22 }\n      - { port: 443 }\n';
  assert.deepEqual(findings(rules, remote('192.0.2.7', [22, 'filtered'], [443, 'open'])), ['allowed-but-closed:22']);
});

test('a remote host is not expected to answer on a port its rule allows to loopback or to other networks only', () => {
  const rules = 'hosts:\n  - match: 192.0.2.7\n    ports:\n      - { port: 1, to: loopback }\n      - { port: 2, to: 198.51.100.0/24 }\n      - { port: 3, to: 192.0.2.0/24 }\n';
  assert.deepEqual(findings(rules, remote('192.0.2.7', [1, 'closed'], [2, 'filtered'], [3, 'closed'])), ['allowed-but-closed:3']);
});

test('exposure-wider-than-allowed: 0.0.0.0 where loopback is allowed and reachable; 127.0.0.1 is fine', () => {
  const rules = P('  - { port: 6379, to: loopback }\n  - { port: 5432, to: loopback }\n');
  assert.deepEqual(findings(rules, local([sock(6379, '0.0.0.0'), sock(5432, '127.0.0.1')], [out('192.0.2.2', [6379, 'open'], [5432, 'closed'])])), ['exposure-wider-than-allowed:6379']);
});

test('exposure-wider-than-allowed for a CIDR rule: an address inside the CIDR is fine, outside or 0.0.0.0 is not', () => {
  const rules = P('  - { port: 1, to: 192.0.2.0/24 }\n  - { port: 2, to: 192.0.2.0/24 }\n  - { port: 3, to: 192.0.2.0/24 }\n  - { port: 4, to: interface }\n');
  const inside = [sock(1, '192.0.2.2'), sock(2, '198.51.100.2'), sock(3, '0.0.0.0'), sock(4, '2001:db8::2')];
  assert.deepEqual(findings(rules, local(inside)), ['exposure-wider-than-allowed:2', 'exposure-wider-than-allowed:3']);
});

test('exposure-wider-than-allowed on a remote host reached from outside the allowed CIDR or allowed loopback only', () => {
  const rules = 'hosts:\n  - match: 192.0.2.7\n    ports:\n      - { port: 1, to: 198.51.100.0/24 }\n      - { port: 2, to: loopback }\n      - { port: 3, to: [loopback, 192.0.2.0/24] }\n';
  assert.deepEqual(findings(rules, remote('192.0.2.7', [1, 'open'], [2, 'open'], [3, 'open'])), ['exposure-wider-than-allowed:1', 'exposure-wider-than-allowed:2']);
});

test('listening-but-filtered: wider than allowed and filtered from outside; not when allowed, not when open', () => {
  const rules = P('  - { port: 1, to: loopback }\n  - { port: 2, to: public }\n  - { port: 3, to: loopback }\n');
  const inside = [sock(1, '0.0.0.0'), sock(2, '0.0.0.0'), sock(3, '0.0.0.0')];
  assert.deepEqual(findings(rules, local(inside, [out('192.0.2.2', [1, 'filtered'], [2, 'filtered'], [3, 'open'])])), ['exposure-wider-than-allowed:3', 'listening-but-filtered:1']);
});

test('a v4-only socket is judged only by scans of IPv4 addresses; a dual-stack :: socket by both', () => {
  const rules = P('  - { port: 1, to: loopback }\n  - { port: 2, to: loopback }\n');
  const inside = [sock(1, '0.0.0.0'), sock(2, '::', { dualStack: true })];
  const outside = [out('192.0.2.2', [1, 'filtered'], [2, 'filtered']), out('2001:db8::2', [1, 'open'], [2, 'open'])];
  // Port 1 open on v6 while its only socket is IPv4: the v6 answer comes from elsewhere.
  assert.deepEqual(findings(rules, local(inside, outside)), ['exposure-wider-than-allowed:2', 'listening-but-filtered:1', 'reachable-without-listener:1']);
});

test('reachable-without-listener: open from outside with no socket covering that address; not with listener: false', () => {
  const rules = P('  - { port: 2, listener: false }\n  - { port: 3 }\n');
  const inside = [sock(3, '127.0.0.1')];
  assert.deepEqual(findings(rules, local(inside, [out('192.0.2.2', [1, 'open'], [2, 'open'], [3, 'open'], [4, 'closed'])])), ['reachable-without-listener:1', 'reachable-without-listener:3']);
});

test('a rule with listener: false is not closed while the port answers from outside', () => {
  const rules = P('  - { port: 2, listener: false }\n');
  assert.deepEqual(findings(rules, local([], [out('192.0.2.2', [2, 'open'])])), []);
  assert.deepEqual(findings(rules, local([], [out('192.0.2.2', [2, 'closed'])])), ['allowed-but-closed:2']);
});

test('unexpected-owner: process or user other than the rule names; matches by comm, command basename or uid', () => {
  const rules = P('  - { port: 1, process: nginx }\n  - { port: 2, process: node }\n  - { port: 3, user: root }\n  - { port: 4, user: "1000" }\n  - { port: 5, process: server.bin }\n');
  const bin = { ...node, name: 'server', command: '/opt/app/server.bin --port 5' };
  const inside = [sock(1, '127.0.0.1'), sock(2, '127.0.0.1'), sock(3, '127.0.0.1'), sock(4, '127.0.0.1'), sock(5, '127.0.0.1', { processes: [bin] })];
  assert.deepEqual(findings(rules, local(inside)), ['unexpected-owner:1', 'unexpected-owner:3']);
});

test('unexpected-owner is not claimed when the owner cannot be read', () => {
  const rules = P('  - { port: 1, process: nginx }\n');
  assert.deepEqual(findings(rules, local([sock(1, '127.0.0.1', { processes: [], ownerKnown: false, owner: 'unknown (needs root)' })])), []);
});

test('deleted-executable: a listener whose /proc/PID/exe was deleted, whatever the policy says', () => {
  const extras = new Map<number, ProcessExtra>([
    [100, { exe: '/tmp/x/socat', exeDeleted: true }],
    [200, { exe: '/usr/bin/socat', exeDeleted: false }],
  ]);
  const other = { ...node, pid: 200 };
  const rules = P('  - { port: 1, to: loopback }\n  - { port: 2, to: loopback }\n');
  assert.deepEqual(findings(rules, local([sock(1, '127.0.0.1'), sock(2, '127.0.0.1', { processes: [other] })], [], extras)), ['deleted-executable:1']);
});

test('a clean machine against its policy has no findings', () => {
  const rules = P('  - { port: 22, process: sshd, user: root }\n  - { port: 6379, to: loopback }\n  - { port: 53, protocol: udp, to: loopback }\n');
  const sshd = { pid: 1, name: 'sshd', command: 'sshd: /usr/sbin/sshd -D', user: 'root', uid: 0 };
  const inside = [sock(22, '0.0.0.0', { processes: [sshd] }), sock(22, '::', { processes: [sshd], dualStack: false }), sock(6379, '127.0.0.1'), sock(53, '127.0.0.53', { protocol: 'udp', state: 'UNCONN' })];
  assert.deepEqual(findings(rules, local(inside, [out('192.0.2.2', [22, 'open'], [6379, 'closed'])])), []);
});

test('a hosts entry matching "local" replaces the top-level rules for this machine', () => {
  const text = 'ports:\n  - { port: 1 }\nhosts:\n  - match: local\n    ports:\n      - { port: 2, to: loopback }\n';
  assert.deepEqual(findings(text, local([sock(1, '127.0.0.1'), sock(2, '127.0.0.1')])), ['open-not-allowed:1']);
});

test('findings carry the rule line, the scan evidence and a remediation', () => {
  const { policy, lines } = parsePolicy('version: 1\nports:\n  - port: 22\n  - port: 6379\n    to: loopback\n');
  const redis = { pid: 7, name: 'redis-server', command: '/usr/bin/redis-server 0.0.0.0:6379', user: 'redis', uid: 105 };
  const extras = new Map<number, ProcessExtra>([[7, { unit: 'redis-server.service', exe: '/usr/bin/redis-server', exeDeleted: false }]]);
  const [f] = evaluateHost(policy, lines, local([sock(6379, '0.0.0.0', { processes: [redis] }), sock(22, '0.0.0.0')], [out('192.0.2.2', [6379, 'open'], [22, 'open'])], extras));
  assert.equal(f?.id, 'exposure-wider-than-allowed:local:tcp/6379');
  assert.deepEqual(f?.evidence.rule, { path: 'ports[1]', line: 4, to: ['loopback'] });
  assert.deepEqual(f?.evidence.scan, [{ address: '192.0.2.2', state: 'open', reason: 'syn-ack' }]);
  assert.equal(f?.evidence.processes[0]?.unit, 'redis-server.service');
  assert.deepEqual(f?.remediation.config, { file: '/etc/redis/redis.conf', directive: 'bind 127.0.0.1 -::1' });
  assert.match(f?.remediation.steps[0] ?? '', /systemctl restart redis-server\.service/);
  assert.match(f?.remediation.firewall?.ufw ?? '', /^ufw deny 6379\/tcp$/);
});
