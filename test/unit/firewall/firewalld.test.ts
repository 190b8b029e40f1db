import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addrToBig, Evaluator, firewalldManages, firewalldZonesAllowing, parseNftJson, type Decision } from '../../../src/firewall/index.js';
import { everySourceRoutesVia } from '../../../src/local/firewall-read.js';
import { fixture, load } from './helpers.js';

// test/fixtures/firewall/firewalld-public.json is `nft -j list ruleset` of the real firewalld 1.3.3
// (Debian 12, nftables backend, default firewalld.conf) run in a lab namespace (test/lab/firewall-real.test.ts
// does it live), default zone public plus: --add-service=http --add-port=8080/tcp --add-port=5353/udp, rich
// rules "ipv4 source 192.0.2.0/24 port 9000/tcp accept", "ipv4 source 198.51.100.0/24 port 9001/tcp accept",
// "port 9002/tcp drop".
const rs = load('firewalld-public.json');
const ev = new Evaluator(rs);

function at(proto: 'tcp' | 'udp', dport: number, from: string, rpf?: boolean): string {
  const a = addrToBig(from)!;
  const d: Decision = ev.evaluate({ family: a.family, proto, dport, saddr: a.value, iifname: 'eth0', ...(rpf === undefined ? {} : { rpf }) });
  return `${d.verdict}${d.rejectWith ? `/${d.rejectWith}` : ''} ${d.rule?.chain ?? `policy ${d.policy?.chain}`}`;
}

test('the real firewalld ruleset: zone rules decide, icmpv6 header matches never take a TCP/UDP packet', () => {
  const cases: [proto: 'tcp' | 'udp', port: number, from: string, expected: string][] = [
    ['tcp', 22, '192.0.2.1', 'accept filter_IN_public_allow'],
    ['tcp', 80, '192.0.2.1', 'accept filter_IN_public_allow'],
    ['tcp', 23, '192.0.2.1', 'reject/admin-prohibited filter_IN_public'],
    ['tcp', 9000, '192.0.2.1', 'accept filter_IN_public_allow'],
    ['tcp', 9000, '203.0.113.1', 'reject/admin-prohibited filter_IN_public'],
    ['tcp', 9001, '198.51.100.7', 'accept filter_IN_public_allow'],
    ['tcp', 9002, '198.51.100.7', 'drop filter_IN_public_deny'],
    ['udp', 5353, '192.0.2.1', 'accept filter_IN_public_allow'],
    ['udp', 546, '192.0.2.1', 'reject/admin-prohibited filter_IN_public'], // dhcpv6-client is IPv6 only
  ];
  for (const [proto, port, from, expected] of cases) assert.equal(at(proto, port, from), expected, `${proto} ${port} from ${from}`);
});

test("firewalld's IPv6 reverse-path filter (fib saddr . mark . iif oif missing drop): decided by the route back", () => {
  assert.equal(at('tcp', 22, '2001:db8::1', true), 'accept filter_IN_public_allow');
  assert.equal(at('tcp', 22, '2001:db8::1', false), 'drop filter_PREROUTING');
  assert.equal(at('tcp', 22, '2001:db8::1'), 'indeterminate filter_PREROUTING', 'no route known: not guessed');
  assert.equal(at('tcp', 22, '192.0.2.1'), 'accept filter_IN_public_allow', 'IPv4 has no fib rule');
  // DHCPv6's accept is for link-local destinations only: the destination address decides.
  assert.equal(at('udp', 546, '2001:db8::1', true), 'indeterminate filter_IN_public_allow');
  const rule = rs.chains.find((c) => c.name === 'filter_PREROUTING')!.rules[1]!;
  assert.deepEqual(
    rule.matches.map((m) => [m.field, m.negate]),
    [
      ['nfproto', false],
      ['rpf', false],
    ],
  );
});

test('firewalld detection: table inet firewalld; zones whose allow chain accepts a port', () => {
  assert.equal(firewalldManages(rs), true);
  assert.equal(firewalldManages(load('sample.json')), false);
  assert.deepEqual(firewalldZonesAllowing(rs, 'tcp', 22), ['public']);
  assert.deepEqual(firewalldZonesAllowing(rs, 'tcp', 9000), ['public']); // a rich rule with a source
  assert.deepEqual(firewalldZonesAllowing(rs, 'udp', 22), []);
  assert.deepEqual(firewalldZonesAllowing(rs, 'tcp', 9002), [], 'a drop rule opens nothing');
});

test('fib lookups other than the strict reverse-path check are unknown constructs, not guesses', () => {
  const doc = JSON.parse(fixture('firewalld-public.json')) as { nftables: Record<string, { expr?: { match?: { left?: { fib?: { flags: string[] } } } }[] }>[] };
  const fibRule = doc.nftables.find((x) => x.rule?.expr?.some((e) => e.match?.left?.fib))!;
  for (const e of fibRule.rule!.expr!) if (e.match?.left?.fib) e.match.left.fib.flags = ['saddr']; // loose mode
  const loose = parseNftJson(JSON.stringify(doc), 'loose');
  const r = loose.chains.find((c) => c.name === 'filter_PREROUTING')!.rules[1]!;
  assert.equal(r.unknown, 'fib saddr oif');
  const d = new Evaluator(loose).evaluate({ family: 6, proto: 'tcp', dport: 22, saddr: addrToBig('2001:db8::1')!.value, iifname: 'eth0', rpf: true });
  assert.equal(d.verdict, 'unknown');
});

test('without --from, a single-homed host passes every source: read from `ip route show`', () => {
  const v6 = 'fd00::/64 dev eth0 proto kernel metric 256 pref medium\nfe80::/64 dev eth0 proto kernel metric 256 pref medium\ndefault via fd00::1 dev eth0 metric 1024 pref medium\n';
  assert.equal(everySourceRoutesVia(v6, 'eth0'), true);
  assert.equal(everySourceRoutesVia(v6, 'eth1'), undefined, 'the routes go elsewhere');
  assert.equal(everySourceRoutesVia('2001:db8::/64 dev eth0 proto kernel metric 256\n', 'eth0'), undefined, 'no default route: off-link sources fail');
  assert.equal(everySourceRoutesVia(`${v6}2001:db8:5::/64 dev eth1 metric 256\n`, 'eth0'), undefined, 'multi-homed');
  assert.equal(everySourceRoutesVia(`${v6}unreachable 2001:db8:7::/48 dev lo metric 1024\n`, 'eth0'), undefined, 'a reject route');
  assert.equal(everySourceRoutesVia('default via 192.0.2.1 dev eth0\n192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2\n', 'eth0'), true);
});
