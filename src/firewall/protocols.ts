import type { RejectKind } from './types.js';

/** IANA protocol numbers of the names nft and iptables print (/etc/protocols). */
export const PROTO_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  icmp6: 58,
  sctp: 132,
  udplite: 136,
  dccp: 33,
};

/** An nft reject (`reject with icmpx admin-prohibited`) or iptables `--reject-with` value → one kind. */
export function rejectKind(type: string | undefined, code: string | undefined): RejectKind | null {
  if (type === 'tcp reset' || type === 'tcp-reset' || code === 'tcp-reset') return 'tcp-reset';
  const c = (code ?? 'port-unreachable')
    .replace(/^icmp6?-/, '')
    .replace(/^adm-prohibited$/, 'admin-prohibited')
    .replace(/^addr-unreach$/, 'addr-unreachable')
    .replace(/^(host|net|port|prot|proto)-unreach$/, '$1-unreachable')
    .replace(/^proto-unreachable$/, 'prot-unreachable');
  const known: RejectKind[] = ['port-unreachable', 'admin-prohibited', 'host-unreachable', 'net-unreachable', 'prot-unreachable', 'host-prohibited', 'net-prohibited', 'addr-unreachable', 'no-route'];
  return (known as string[]).includes(c) ? (c as RejectKind) : null;
}
