import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator, localAddressTest } from '../../../src/firewall/index.js';
import { brief, decide, load } from './helpers.js';

// Docker's nat/filter chains, a KUBE-FIREWALL chain and ufw's chains as iptables-nft-save prints them.
const rs = load('docker-ufw.iptables-save');
const ev = new Evaluator(rs, { isLocal: localAddressTest(['192.0.2.2']) });

const cases: [proto: 'tcp' | 'udp', port: number, from: string | undefined, expected: string][] = [
  ['tcp', 22, '192.0.2.5', 'accept line 38'],
  ['tcp', 80, '192.0.2.5', 'accept line 39'], // multiport from 192.0.2.0/24
  ['tcp', 9005, '192.0.2.5', 'accept line 39'],
  ['tcp', 80, '198.51.100.1', 'reject/admin-prohibited line 45'], // falls through to ufw-after-input
  ['tcp', 443, '198.51.100.1', 'drop policy INPUT'],
  ['tcp', 25, '192.0.2.5', 'reject/tcp-reset line 40'],
  ['udp', 53, '192.0.2.5', 'indeterminate line 41'], // -m limit
  ['tcp', 5000, '192.0.2.5', 'unknown line 42'], // -m set: set contents not read
  ['tcp', 2000, '192.0.2.5', 'drop policy INPUT'], // LOG does not decide
  ['tcp', 2001, '192.0.2.5', 'reject/port-unreachable line 44'],
  ['tcp', 8080, '192.0.2.5', 'forward line 12 ->80'], // Docker's DNAT to a container
  ['tcp', 2080, '192.0.2.5', 'accept line 39 ->80'], // REDIRECT, then ufw's rule for 80
  ['udp', 68, '192.0.2.5', 'indeterminate line 36'], // --sport 67: the source port is not known
];

test('iptables: a rule on an interface is indeterminate while the input interface is unknown', () => {
  assert.equal(brief(decide(ev, 'tcp', 22, '192.0.2.5')), 'indeterminate line 11');
});

for (const [proto, port, from, expected] of cases) {
  test(`iptables: ${proto}/${port} from ${from ?? 'anywhere'} → ${expected}`, () => {
    assert.equal(brief(decide(ev, proto, port, from, 'eth0')), expected);
  });
}

test('iptables: comments, chains and the backend are kept on the rule', () => {
  const d = decide(ev, 'tcp', 80, '192.0.2.5', 'eth0');
  assert.equal(d.rule?.comment, "'web from lab'");
  assert.equal(d.rule?.chain, 'ufw-user-input');
  assert.equal(d.rule?.table, 'filter');
  assert.equal(d.rule?.backend, 'iptables-nft');
  const names = rs.chains.map((c) => c.name);
  for (const c of ['DOCKER', 'DOCKER-USER', 'KUBE-FIREWALL', 'ufw-user-input']) assert.ok(names.includes(c), c);
});
