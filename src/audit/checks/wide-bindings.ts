import type { ListeningSocket } from '../../model/index.js';
import type { ScanFact } from '../evidence-schema.js';
import { bindAllowed, findRule, scopes, socketCovers, type LocatedRule } from '../scope.js';
import type { CheckInput } from './types.js';

/** A local port whose sockets bind wider than its rule allows, with what the outside view saw of them. */
export interface WideBinding {
  protocol: 'tcp' | 'udp';
  port: number;
  wide: ListeningSocket[];
  facts: ScanFact[];
  located: LocatedRule;
  to: string[];
  /** Every address the wide sockets cover was scanned filtered: only a firewall hides them. */
  hidden: boolean;
}

/** Shared by exposure-wider-than-allowed and listening-but-filtered, which split these by `hidden`. */
export function wideBindings({ rules, groups, scanFacts }: CheckInput): WideBinding[] {
  const out: WideBinding[] = [];
  for (const sockets of groups.values()) {
    const { protocol, port } = sockets[0]!;
    const located = findRule(rules, protocol, port);
    if (!located) continue;
    const to = scopes(located.rule);
    const wide = sockets.filter((s) => !bindAllowed(s, to));
    if (wide.length === 0) continue;
    const facts = scanFacts(protocol, port, (a) => wide.some((s) => socketCovers(s, a)));
    const hidden = facts.length > 0 && facts.every((f) => f.state === 'filtered');
    out.push({ protocol, port, wide, facts, located, to, hidden });
  }
  return out;
}
