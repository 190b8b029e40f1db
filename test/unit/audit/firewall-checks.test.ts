import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firewallFacts } from '../../../src/api/firewall-facts.js';
import { firewallOnlyProtection } from '../../../src/audit/checks/firewall-only-protection.js';
import { firewallShadowedRule } from '../../../src/audit/checks/firewall-shadowed-rule.js';
import { firewallStaleAccept } from '../../../src/audit/checks/firewall-stale-accept.js';
import type { CheckInput } from '../../../src/audit/checks/types.js';
import type { HostView } from '../../../src/audit/host-view.js';
import { parseRulesetText } from '../../../src/firewall/index.js';
import type { ListeningSocket } from '../../../src/model/index.js';

const SAVE = `*filter
:INPUT DROP [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j DROP
-A INPUT -p tcp -m tcp --dport 8080 -m comment --comment "old app" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 5432 -j REJECT --reject-with tcp-reset
COMMIT
`;

function socket(port: number, address: string, exposure: ListeningSocket['exposure']): ListeningSocket {
  return { protocol: 'tcp', family: 4, address, port, exposure, processes: [], owner: 'root', ownerKnown: true, inode: null, state: 'LISTEN' };
}

const sockets = [socket(22, '0.0.0.0', 'all-interfaces'), socket(5432, '0.0.0.0', 'all-interfaces'), socket(6379, '127.0.0.1', 'loopback'), socket(9000, '0.0.0.0', 'all-interfaces')];

function input(): CheckInput {
  const view: HostView = { host: 'local', kind: 'local', names: [], inside: sockets, extras: new Map(), outside: [], firewalls: ['iptables'], firewall: firewallFacts(parseRulesetText(SAVE, 'r.save'), sockets, 'eth0') };
  const groups = new Map(sockets.map((s) => [`${s.protocol}/${s.port}`, [s]]));
  return { view, rules: [], groups, scanFacts: () => [], openPorts: new Map() };
}

test('firewall-only-protection: a service on all interfaces that only a drop/reject hides (9000 by the policy, 5432 by a rule)', () => {
  const found = firewallOnlyProtection.evaluate(input()).map((f) => `${f.port} ${f.severity}`);
  assert.deepEqual(found.sort(), ['5432 medium', '9000 medium']);
});

test('firewall-stale-accept: an accept rule for a port nothing listens on', () => {
  const found = firewallStaleAccept.evaluate(input()).map((f) => f.title);
  assert.equal(found.length, 1);
  assert.match(found[0]!, /^tcp\/8080: the firewall accepts it \(filter INPUT: .*--dport 8080/);
});

test('firewall-shadowed-rule: the drop for 22 from a /24 never applies after the accept for 22', () => {
  const found = firewallShadowedRule.evaluate(input()).map((f) => `${f.port} ${f.title}`);
  assert.deepEqual(found, ['22 never matches: filter INPUT line 5 (-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j DROP), pre-empted by filter INPUT line 4']);
});

test('the deciding rule is evidence: decide() names verdict, predicted state and rule', () => {
  const d = input().view.firewall!.decide('tcp', 22, 4);
  assert.deepEqual([d.verdict, d.predicted, d.rule?.line, d.rule?.table], ['accept', 'open', 4, 'filter']);
  const p = input().view.firewall!.decide('tcp', 9000, 4);
  assert.deepEqual([p.verdict, p.predicted, p.rule], ['drop', 'filtered', null]);
});
