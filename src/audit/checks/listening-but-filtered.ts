import { remediationKit, who } from '../remediation.js';
import type { AuditCheck } from './types.js';
import { wideBindings } from './wide-bindings.js';

/** Local: a socket binds wider than `to` allows and the outside scan shows it filtered wherever it listens. */
export const listeningButFiltered = {
  type: 'listening-but-filtered',
  describe: { short: 'Listening wider than allowed, hidden by a firewall', full: 'The socket is bound wider than the rule allows, and only the host firewall keeps it unreachable today.' },
  severity: 'medium',
  evaluate(input) {
    return wideBindings(input)
      .filter((w) => w.hidden)
      .map((w) => ({
        severity: 'medium',
        protocol: w.protocol,
        port: w.port,
        sockets: w.wide,
        scan: w.facts,
        located: w.located,
        title: `${w.protocol}/${w.port} listens wider than allowed (${w.to.join(', ')}) and only a firewall hides it`,
      }));
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    if (k.rebind) k.steps.push(`rebind to 127.0.0.1: ${k.rebind.directive} in ${k.rebind.file}${k.unit ? `, then ${k.unit.ctl} restart ${k.unit.unit}` : ''}`);
    else k.steps.push(`rebind ${who(ctx.processes)} to 127.0.0.1 (or the allowed address) in its configuration`);
    const why = ` Today only the firewall hides it${ctx.firewalls.length ? ` (${ctx.firewalls.join('; ')})` : ''}; a flushed or reordered rule set exposes it.`;
    return k.out(`bind ${ctx.protocol}/${ctx.port} no wider than the policy allows (${ctx.allowed.join(', ')}).${why}`, { firewall: k.fw, ...(k.rebind ? { config: k.rebind } : {}) });
  },
} as const satisfies AuditCheck<'listening-but-filtered'>;
