import { remediationKit } from '../remediation.js';
import { findRule } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local: a port answers open at one of this machine's addresses and no local socket covers that address. */
export const reachableWithoutListener = {
  type: 'reachable-without-listener',
  describe: {
    short: 'Reachable without a local listener',
    full: 'The port answers on an address of this machine but no local socket listens there: a NAT/DNAT forward, a container proxy, or another host answers.',
  },
  severity: 'high',
  evaluate({ view, rules, openPorts }) {
    if (view.kind !== 'local') return [];
    const out: FindingDraft[] = [];
    for (const [port, facts] of openPorts) {
      const located = findRule(rules, 'tcp', port);
      if (located?.rule.listener === false) continue;
      out.push({ severity: located ? 'medium' : 'high', protocol: 'tcp', port, sockets: [], scan: facts, located, title: `tcp/${port} answers from outside but no local socket listens` });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    const { protocol, port } = ctx;
    k.steps.push(`look for forwards: nft list ruleset | grep -n 'dport ${port}'; iptables -t nat -S | grep -- '--dport ${port}'`);
    k.steps.push(`look for container proxies and other namespaces: ss -ltnp 'sport = :${port}' in each (ip netns list, docker ps)`);
    k.steps.push(`if intended, mark the rule \`listener: false\`; if not, remove the forward or block it: ${k.fw.nftables}`);
    return k.out(`${protocol}/${port} answers from outside but no local socket listens: a NAT/DNAT rule, container proxy or another host answers.`, { firewall: k.fw });
  },
} as const satisfies AuditCheck<'reachable-without-listener'>;
