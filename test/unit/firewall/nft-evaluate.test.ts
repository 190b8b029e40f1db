import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator } from '../../../src/firewall/index.js';
import { brief, decide, load } from './helpers.js';

// test/fixtures/firewall/sample.json is `nft -j list ruleset` of sample.nft (nftables 1.0.6).
const ev = new Evaluator(load('sample.json'));

const cases: [proto: 'tcp' | 'udp', port: number, from: string | undefined, iface: string | undefined, expected: string][] = [
  ['tcp', 22, '192.0.2.5', undefined, 'accept #13'], // named verdict map @pm
  ['tcp', 23, '192.0.2.5', undefined, 'drop #13'],
  ['tcp', 24, '192.0.2.5', undefined, 'reject/host-unreachable #23'], // jump sub; return; falls to the last rule
  ['tcp', 25, '192.0.2.5', undefined, 'accept #25'], // goto sub; accept in sub
  ['tcp', 80, undefined, undefined, 'accept #9'], // meta l4proto tcp th dport 80
  ['tcp', 443, '192.0.2.5', undefined, 'accept #11'], // anonymous set + named interval set
  ['tcp', 8050, '192.0.2.15', undefined, 'accept #11'],
  ['tcp', 443, '192.0.2.16', undefined, 'reject/host-unreachable #23'], // outside the /28
  ['tcp', 443, '198.51.100.5', undefined, 'accept #11'],
  ['tcp', 443, '2001:db8::5', undefined, 'reject/tcp-reset #12'], // ip6 saddr prefix, dport != 25
  ['tcp', 25, '2001:db8::5', undefined, 'accept #25'],
  ['tcp', 443, '2001:db8:1::5', undefined, 'drop policy input'], // reject with icmp is IPv4 only
  ['tcp', 2222, '192.0.2.5', undefined, 'accept #13 ->22'], // redirect to :22, then @pm
  ['tcp', 3333, '192.0.2.5', undefined, 'forward #27 ->80'], // DNAT elsewhere
  ['udp', 53, '192.0.2.5', undefined, 'indeterminate #16'], // limit
  ['tcp', 99, '192.0.2.5', undefined, 'indeterminate #17'], // numgen
  ['tcp', 98, '192.0.2.5', undefined, 'indeterminate #18'], // ct count
  ['tcp', 97, '192.0.2.5', undefined, 'indeterminate #19'], // quota
  ['tcp', 96, '192.0.2.5', undefined, 'indeterminate #20'], // iifname eth* with an unknown interface
  ['tcp', 96, '192.0.2.5', 'eth0', 'drop #20'],
  ['tcp', 96, '192.0.2.5', 'wlan0', 'reject/host-unreachable #23'],
  ['tcp', 95, '192.0.2.1', undefined, 'reject/host-unreachable #23'],
  ['tcp', 95, '192.0.2.2', undefined, 'drop #22'], // ip saddr != { … }
  ['tcp', 95, undefined, undefined, 'indeterminate #22'], // saddr unknown: never guessed
  ['udp', 54, '192.0.2.5', undefined, 'reject/host-unreachable #23'],
];

for (const [proto, port, from, iface, expected] of cases) {
  test(`nft: ${proto}/${port} from ${from ?? 'anywhere'}${iface ? ` on ${iface}` : ''} → ${expected}`, () => {
    assert.equal(brief(decide(ev, proto, port, from, iface)), expected);
  });
}

test('nft: the deciding rule carries table, chain, handle and its text', () => {
  const d = decide(ev, 'tcp', 443, '192.0.2.5');
  assert.deepEqual(d.rule, { backend: 'nftables', family: 'inet', table: 't', chain: 'input', handle: 11, text: 'tcp dport { 443, 8000-8100 } ip saddr @allowed accept' });
});
