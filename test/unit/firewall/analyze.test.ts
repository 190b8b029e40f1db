import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findShadowedRules, findStaleAccepts, parseRulesetText } from '../../../src/firewall/index.js';

const SAVE = `*filter
:INPUT DROP [0:0]
:web - [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j DROP
-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT
-A INPUT -s 192.0.2.0/24 -p tcp -m multiport --dports 443 -m comment --comment "never reached" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 8080 -m limit --limit 1/s -j ACCEPT
-A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT
-A INPUT -p udp -m udp --dport 22 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 9000:9002 -j ACCEPT
-A INPUT -j web
-A INPUT -j DROP
-A INPUT -p tcp -m tcp --dport 25 -j ACCEPT
COMMIT
`;

test('shadowed rules: a later rule whose every packet an earlier terminal rule already takes', () => {
  const rs = parseRulesetText(SAVE, 'r.save');
  const found = findShadowedRules(rs).map((s) => `${s.rule.line} by ${s.by.line}`);
  // line 5 (22 from a /24) by line 4; line 7 (443 from a /24) by line 6; line 14 (anything after a bare DROP) by line 13.
  // Line 9 is not shadowed: the earlier 8080 rule has a limit (run-time), so packets can pass it.
  assert.deepEqual(found, ['5 by 4', '7 by 6', '14 by 13']);
});

test('stale accepts: accepted ports nothing listens on, per protocol', () => {
  const rs = parseRulesetText(SAVE, 'r.save');
  const listening = new Set(['tcp/22', 'tcp/443', 'tcp/8080', 'tcp/9001']);
  const stale = findStaleAccepts(rs, (p, port) => listening.has(`${p}/${port}`)).map((s) => `${s.rule.line} ${s.protocol} ${s.ports.join(',')}`);
  assert.deepEqual(stale, ['6 tcp 80', '10 udp 22', '11 tcp 9000,9002', '14 tcp 25']);
});
