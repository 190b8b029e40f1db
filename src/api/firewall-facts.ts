import type { FirewallFacts } from '../audit/host-view.js';
import { Evaluator, findShadowedRules, findStaleAccepts, localAddressTest, predictState, type RuleRef, type Ruleset } from '../firewall/index.js';
import { defaultInputInterface, localAddresses, reversePathAnySource } from '../local/firewall-read.js';
import type { ListeningSocket } from '../model/index.js';
import { rulesetFromHost } from './firewall-source.js';

function fact(r: RuleRef): FirewallFacts['stale'][number]['rule'] {
  const { backend, family, table, chain, handle, line, text, comment, ufwNumber } = r;
  return { backend, family, table, chain, text, ...(handle !== undefined ? { handle } : {}), ...(line !== undefined ? { line } : {}), ...(comment !== undefined ? { comment } : {}), ...(ufwNumber !== undefined ? { ufwNumber } : {}) };
}

/** The audit's view of a ruleset, given the sockets that listen (docs/firewall.md, docs/audit.md). */
export function firewallFacts(ruleset: Ruleset, sockets: readonly ListeningSocket[], iface: string | undefined, rpf: ReadonlyMap<4 | 6, boolean> = new Map()): FirewallFacts {
  const ev = new Evaluator(ruleset, { isLocal: localAddressTest(localAddresses()) });
  const reachable = new Set<string>();
  for (const s of sockets) {
    if (s.exposure === 'loopback') continue;
    reachable.add(`${s.protocol}/${s.family}/${s.port}`);
    if (s.family === 6 && s.dualStack) reachable.add(`${s.protocol}/4/${s.port}`);
  }
  const shadowed: FirewallFacts['shadowed'] = [];
  for (const s of findShadowedRules(ruleset)) {
    const chain = ruleset.chains.find((c) => c.table === s.rule.table && c.name === s.rule.chain && c.family === s.rule.family && c.backend === s.rule.backend);
    const rule = chain?.rules.find((r) => r.ref === s.rule);
    const dport = rule?.matches.find((m) => m.field === 'dport' && m.values.kind === 'num');
    const port = dport?.values.kind === 'num' ? (dport.values.ranges[0]?.[0] ?? 0) : 0;
    shadowed.push({ rule: fact(s.rule), by: fact(s.by), protocol: dport?.proto === 'udp' ? 'udp' : 'tcp', port });
  }
  return {
    decide(protocol, port, family) {
      const d = ev.evaluate({ family, proto: protocol, dport: port, ...(iface ? { iifname: iface } : {}), ...(rpf.has(family) ? { rpf: rpf.get(family)! } : {}) });
      const p = predictState(d, protocol, family, reachable.has(`${protocol}/${family}/${d.port}`));
      return { verdict: d.verdict, predicted: p.state, rule: d.rule ? fact(d.rule) : null };
    },
    stale: findStaleAccepts(ruleset, (protocol, port) => reachable.has(`${protocol}/4/${port}`) || reachable.has(`${protocol}/6/${port}`)).map((s) => ({ ...s, rule: fact(s.rule) })),
    shadowed,
  };
}

/** The live firewall as audit facts, or the reason it could not be read. */
export async function hostFirewallFacts(sockets: readonly ListeningSocket[]): Promise<FirewallFacts | string> {
  try {
    const { ruleset } = await rulesetFromHost();
    const iface = await defaultInputInterface();
    // firewalld's reverse-path filter: known for any source only on a single-homed host (docs/firewall.md).
    const rpf = new Map<4 | 6, boolean>();
    if (iface !== undefined && ruleset.chains.some((c) => c.rules.some((r) => r.matches.some((m) => m.field === 'rpf')))) {
      for (const f of [4, 6] as const) {
        const ok = await reversePathAnySource(iface, f);
        if (ok !== undefined) rpf.set(f, ok);
      }
    }
    return firewallFacts(ruleset, sockets, iface, rpf);
  } catch (err) {
    return (err as Error).message;
  }
}
