import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateHost, type HostView } from '../../../src/audit/evaluate.js';
import { applyIgnores } from '../../../src/audit/ignore.js';
import { starterPolicy } from '../../../src/audit/init-policy.js';
import { parsePolicy } from '../../../src/audit/policy-load.js';
import type { ListeningSocket, PortState } from '../../../src/model/index.js';

const now = new Date('2026-11-25T12:00:00Z');
const p = (pid: number, name: string, user = 'root') => ({ pid, name, command: `/usr/bin/${name}`, user, uid: 0 });
const s = (port: number, address: string, exposure: ListeningSocket['exposure'], procs = [p(1, 'sshd')], extra: Partial<ListeningSocket> = {}): ListeningSocket => ({
  protocol: 'tcp',
  family: address.includes(':') ? 6 : 4,
  address,
  port,
  exposure,
  processes: procs,
  owner: 'root',
  ownerKnown: true,
  inode: 1,
  state: 'LISTEN',
  ...extra,
});
const r = (port: number, state: PortState) => ({ protocol: 'tcp' as const, port, state, reason: state === 'open' ? ('syn-ack' as const) : ('no-response' as const), tries: 1 });

const local: HostView = {
  host: 'local',
  kind: 'local',
  names: [],
  inside: [
    s(22, '0.0.0.0', 'all-interfaces'),
    s(22, '::', 'all-interfaces', [p(1, 'sshd')], { dualStack: false }),
    s(6379, '127.0.0.1', 'loopback', [p(2, 'redis-server', 'redis')]),
    s(8443, '192.0.2.2', 'interface', [p(3, 'nginx', 'www-data')], { interface: 'eth0' }),
    s(9000, '0.0.0.0', 'all-interfaces', [p(4, 'dropper')]),
    s(5432, '0.0.0.0', 'all-interfaces', [p(5, 'postgres', 'postgres')]),
    s(53, '127.0.0.53', 'loopback', [p(6, 'systemd-resolve', 'systemd-resolve')], { protocol: 'udp', state: 'UNCONN' }),
    s(7777, '::1', 'loopback', [], { ownerKnown: false, owner: 'unknown (needs root)' }),
  ],
  extras: new Map([[4, { exe: '/tmp/.x/dropper', exeDeleted: true }]]),
  outside: [
    { address: '192.0.2.2', ports: [r(22, 'open'), r(8443, 'open'), r(9000, 'open'), r(5432, 'filtered'), r(8080, 'open')] },
    { address: '2001:db8::2', ports: [r(22, 'open'), r(8443, 'filtered'), r(9000, 'filtered'), r(5432, 'filtered'), r(8080, 'filtered')] },
  ],
  firewalls: [],
};

const remote: HostView = { host: '198.51.100.7', kind: 'remote', names: ['198.51.100.7'], inside: null, extras: new Map(), outside: [{ address: '198.51.100.7', ports: [r(443, 'open'), r(25, 'filtered')] }], firewalls: [] };

test('a starter policy written from the current state audits clean against that same state', () => {
  const text = starterPolicy([local, remote], now);
  const { policy, lines } = parsePolicy(text, 'starter.yaml');
  const raw = [local, remote].flatMap((v) => evaluateHost(policy, lines, v));
  const out = applyIgnores(raw, policy, lines, now);
  assert.deepEqual(out.findings, [], text);
  assert.deepEqual(
    out.ignored.map((i) => `${i.finding.type}:${i.finding.port}`),
    ['deleted-executable:9000'],
  );
  assert.match(text, /expires: "2026-12-25"/);
});

test('the starter policy records exposure, owner, forwards and filtered listeners as they are', () => {
  const { policy } = parsePolicy(starterPolicy([local], now));
  const rule = (port: number, protocol = 'tcp') => policy.ports.find((x) => x.port === port && x.protocol === protocol);
  assert.equal(rule(22)?.to, 'public');
  assert.equal(rule(6379)?.to, 'loopback');
  assert.deepEqual(rule(6379)?.user, ['redis']);
  assert.deepEqual(rule(8443)?.to, ['192.0.2.2/32']);
  assert.equal(rule(53, 'udp')?.to, 'loopback');
  assert.equal(rule(8080)?.listener, false);
  assert.equal(rule(7777)?.process, undefined, 'unknown owner: no process constraint');
  assert.match(starterPolicy([local], now), /- port: 5432 {2}# filtered from outside today/);
});

test('a machine with nothing listening gets an empty but valid starter policy', () => {
  const empty: HostView = { ...local, inside: [], outside: [], extras: new Map() };
  const { policy } = parsePolicy(starterPolicy([empty], now));
  assert.deepEqual(policy, { version: 1, ports: [], hosts: [], ignore: [] });
});
