import type { PredictedState } from '../model/index.js';
import type { Decision } from './evaluate.js';
import type { RejectKind } from './types.js';

export type { PredictedState };

export interface Prediction {
  state: PredictedState;
  /** nmap's reason word, as portscope's connect scan (TCP) or UDP scan from a Linux host reports it. */
  reason: string;
}

/**
 * What a TCP connect() from Linux reports for each reject (net/ipv4/icmp.c icmp_err_convert,
 * net/ipv6/icmp.c tab_unreach, as src/net/classify.ts reads the errno): ICMP port unreachable and a RST
 * both refuse the connection; the others are filtered with the reason of their errno.
 */
const TCP_REJECT: Readonly<Record<RejectKind, readonly [v4: string, v6: string]>> = {
  'tcp-reset': ['conn-refused', 'conn-refused'],
  'port-unreachable': ['conn-refused', 'conn-refused'],
  'admin-prohibited': ['host-unreach', 'admin-prohibited'],
  'host-unreachable': ['host-unreach', 'host-unreach'],
  'addr-unreachable': ['host-unreach', 'host-unreach'],
  'host-prohibited': ['host-unreach', 'host-unreach'],
  'net-unreachable': ['net-unreach', 'net-unreach'],
  'no-route': ['net-unreach', 'net-unreach'],
  'net-prohibited': ['net-unreach', 'net-unreach'],
  'prot-unreachable': ['proto-unreach', 'proto-unreach'],
};

/** UDP reads the ICMP type and code itself (src/net/udp-classify.ts): nmap's names per code. */
const UDP_REJECT: Readonly<Record<RejectKind, readonly [v4: string, v6: string]>> = {
  'tcp-reset': ['port-unreach', 'port-unreach'],
  'port-unreachable': ['port-unreach', 'port-unreach'],
  'admin-prohibited': ['admin-prohibited', 'admin-prohibited'],
  'host-unreachable': ['host-unreach', 'host-unreach'],
  'addr-unreachable': ['host-unreach', 'host-unreach'],
  'host-prohibited': ['host-prohibited', 'admin-prohibited'],
  'net-unreachable': ['net-unreach', 'net-unreach'],
  'no-route': ['net-unreach', 'net-unreach'],
  'net-prohibited': ['net-prohibited', 'admin-prohibited'],
  'prot-unreachable': ['proto-unreach', 'proto-unreach'],
};

/**
 * The state a scan from outside should see, given the firewall's decision and whether something listens
 * on the (post-NAT) port for that family. ICMP answers assume the target's ICMP rate limit lets them
 * through; rate-limited ICMP arrives as silence (filtered / no-response), as docs/firewall.md explains.
 */
export function predictState(d: Decision, proto: 'tcp' | 'udp', family: 4 | 6, listening: boolean, handshake?: Decision): Prediction {
  const fam = family === 4 ? 0 : 1;
  switch (d.verdict) {
    case 'accept':
      if (proto === 'tcp' && listening && handshake) {
        // connect() has succeeded once the SYN-ACK arrives, but an ICMP error for the ACK is still read
        // as the socket's error; a dropped ACK goes unnoticed (the client sees open).
        if (handshake.verdict === 'reject' && handshake.rejectWith !== 'tcp-reset') return predictState(handshake, proto, family, listening);
        if (handshake.verdict === 'indeterminate' || handshake.verdict === 'unknown') return { state: 'unknown', reason: handshake.verdict };
      }
      if (proto === 'tcp') return listening ? { state: 'open', reason: 'syn-ack' } : { state: 'closed', reason: 'conn-refused' };
      // A UDP service answers only probes it understands: without an answer a scan says open|filtered.
      return listening ? { state: 'open|filtered', reason: 'no-response' } : { state: 'closed', reason: 'port-unreach' };
    case 'drop':
      return proto === 'tcp' ? { state: 'filtered', reason: 'no-response' } : { state: 'open|filtered', reason: 'no-response' };
    case 'reject': {
      const reason = (proto === 'tcp' ? TCP_REJECT : UDP_REJECT)[d.rejectWith ?? 'port-unreachable'][fam];
      const closed = reason === 'conn-refused' || reason === 'port-unreach';
      return { state: closed ? 'closed' : 'filtered', reason };
    }
    default:
      return { state: 'unknown', reason: d.verdict };
  }
}
