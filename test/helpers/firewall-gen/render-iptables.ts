import type { GenAction, GenRule, GenRuleset } from './model.js';

const REJECT4 = { 'tcp-reset': 'tcp-reset', 'port-unreachable': 'icmp-port-unreachable', 'admin-prohibited': 'icmp-admin-prohibited', 'host-unreachable': 'icmp-host-unreachable', 'no-route': 'icmp-net-unreachable' } as const;
const REJECT6 = { 'tcp-reset': 'tcp-reset', 'port-unreachable': 'icmp6-port-unreachable', 'admin-prohibited': 'icmp6-adm-prohibited', 'host-unreachable': 'icmp6-addr-unreachable', 'no-route': 'icmp6-no-route' } as const;

function target(a: GenAction, family: 4 | 6): string {
  switch (a.k) {
    case 'accept':
      return '-j ACCEPT';
    case 'drop':
      return '-j DROP';
    case 'return':
      return '-j RETURN';
    case 'counter':
      return ''; // a rule without a target only counts
    case 'jump':
      return `-j ${a.chain}`;
    case 'goto':
      return `-g ${a.chain}`;
    case 'reject':
      return `-j REJECT --reject-with ${(family === 4 ? REJECT4 : REJECT6)[a.with]}`;
  }
}

/** One generated rule → 0, 1 or 2 iptables rules (a rule for the other family vanishes; tcp+udp doubles). */
function rules(chain: string, g: GenRule, family: 4 | 6): string[] {
  if (g.saddr && g.saddr.family !== family) return [];
  const common: string[] = [];
  if (g.saddr) common.push(`${g.saddr.negate ? '! ' : ''}-s ${g.saddr.cidr}`);
  if (g.iif) common.push(`${g.iif.negate ? '! ' : ''}-i ${g.iif.name.replace(/\*$/, '+')}`);
  if (g.ct) common.push(`-m conntrack --ctstate ${g.ct.toUpperCase()}`);
  const protos = g.proto === 'any' ? (g.dports ? ['tcp', 'udp'] : [undefined]) : [g.proto];
  return protos.map((p) => {
    const parts = [`-A ${chain}`, ...(p ? [`-p ${p}`] : []), ...common];
    if (g.dports && p) parts.push(`-m multiport ${g.dportNegate ? '! ' : ''}--dports ${g.dports.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',')}`);
    const t = target(g.action, family);
    if (t) parts.push(t);
    return parts.join(' ');
  });
}

/** iptables-restore input (tables raw, nat, filter replaced as a whole) for one family. */
export function renderIptables(g: GenRuleset, family: 4 | 6): string {
  const user = Object.keys(g.chains);
  return [
    '*raw',
    ':PREROUTING ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...g.raw.flatMap((x) => rules('PREROUTING', x, family)),
    'COMMIT',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...g.redirects.map((x) => `-A PREROUTING -p ${x.proto} -m ${x.proto} --dport ${x.from} -j REDIRECT --to-ports ${x.to}`),
    'COMMIT',
    '*filter',
    `:INPUT ${g.policy.toUpperCase()} [0:0]`,
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...user.map((c) => `:${c} - [0:0]`),
    ...user.flatMap((c) => g.chains[c]!.flatMap((x) => rules(c, x, family))),
    // Every real ruleset lets ICMPv6 through: without neighbour discovery IPv6 does not work at all.
    ...(family === 6 ? ['-A INPUT -p ipv6-icmp -j ACCEPT'] : []),
    ...g.input.flatMap((x) => rules('INPUT', x, family)),
    'COMMIT',
    '',
  ].join('\n');
}
