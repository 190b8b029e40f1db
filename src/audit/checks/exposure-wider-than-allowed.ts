import { remediationKit, who } from '../remediation.js';
import { findRule, reachAllowed, scopes } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';
import { wideBindings } from './wide-bindings.js';

/**
 * Local: a socket binds wider than `to` allows and the outside view does not show all of it filtered;
 * remote: a port is open at an address `to` does not allow.
 */
export const exposureWiderThanAllowed = {
  type: 'exposure-wider-than-allowed',
  describe: {
    short: 'Exposure wider than allowed',
    full: 'The socket is bound wider than the rule allows (e.g. 0.0.0.0 where loopback is allowed) and is reachable, or a remote port is reachable from where the rule does not allow.',
  },
  severity: 'high',
  evaluate(input) {
    const out: FindingDraft[] = wideBindings(input)
      .filter((w) => !w.hidden)
      .map((w) => ({ severity: 'high', protocol: w.protocol, port: w.port, sockets: w.wide, scan: w.facts, located: w.located, title: `${w.protocol}/${w.port} is exposed wider than allowed (${w.to.join(', ')})` }));
    if (input.view.kind === 'remote') {
      for (const [port, facts] of input.openPorts) {
        const located = findRule(input.rules, 'tcp', port);
        if (!located) continue;
        const to = scopes(located.rule);
        const wide = facts.filter((f) => !reachAllowed(f.address, to));
        if (wide.length > 0) out.push({ severity: 'high', protocol: 'tcp', port, sockets: [], scan: wide, located, title: `tcp/${port} is reachable wider than allowed (${to.join(', ')})` });
      }
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    if (k.rebind) k.steps.push(`rebind to 127.0.0.1: ${k.rebind.directive} in ${k.rebind.file}${k.unit ? `, then ${k.unit.ctl} restart ${k.unit.unit}` : ''}`);
    else k.steps.push(`rebind ${who(ctx.processes)} to 127.0.0.1 (or the allowed address) in its configuration`);
    k.steps.push(`or firewall it: ${k.fw.nftables}`);
    return k.out(`bind ${ctx.protocol}/${ctx.port} no wider than the policy allows (${ctx.allowed.join(', ')}).`, { firewall: k.fw, ...(k.rebind ? { config: k.rebind } : {}) });
  },
} as const satisfies AuditCheck<'exposure-wider-than-allowed'>;
