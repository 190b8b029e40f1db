import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator, parseRulesetText, RulesetError } from '../../../src/firewall/index.js';
import { brief, decide } from './helpers.js';

const cases: [name: string, text: string, message: RegExp][] = [
  ['truncated JSON', '{"nftables": [{"table": {', /f: not valid JSON/],
  ['JSON that is not a listing', '{"rules": []}', /not an nftables JSON ruleset/],
  ['a rule in an undeclared chain', JSON.stringify({ nftables: [{ rule: { family: 'inet', table: 't', chain: 'nope', handle: 3, expr: [] } }] }), /chain "nope" of table inet t/],
  ['a chain with an unknown hook', JSON.stringify({ nftables: [{ chain: { family: 'inet', table: 't', name: 'c', hook: 'sideways', prio: 0 } }] }), /unknown hook "sideways"/],
  ['an unknown family', JSON.stringify({ nftables: [{ chain: { family: 'ipx', table: 't', name: 'c' } }] }), /unknown family "ipx"/],
  ['iptables-save without COMMIT', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\n', /no COMMIT line/],
  ['a rule before its table', '-A INPUT -j DROP\n*filter\nCOMMIT\n', /neither nftables JSON nor iptables-save|before any \*table/],
  ['a bad port', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 70000 -j DROP\nCOMMIT\n', /f:3: bad port "70000"/],
  ['a rule for an undeclared chain', '*filter\n:INPUT ACCEPT [0:0]\n-A OTHER -j DROP\nCOMMIT\n', /chain "OTHER", which is not declared/],
  ['an unterminated quote', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "oops -j DROP\nCOMMIT\n', /unterminated quoted string/],
  ['nft text format', 'table inet x {\n}\n', /nft text format is not read/],
  ['an empty file', '  \n', /empty ruleset file/],
];

for (const [name, text, message] of cases) {
  test(`bad ruleset input: ${name} is one RulesetError line`, () => {
    assert.throws(
      () => parseRulesetText(text, 'f'),
      (err: unknown) => {
        assert.ok(err instanceof RulesetError, String(err));
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      },
    );
  });
}

test('an expression from a newer nft is reported as an unknown construct on the rules it affects, never guessed', () => {
  const doc = {
    nftables: [
      { chain: { family: 'inet', table: 't', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
      { rule: { family: 'inet', table: 't', chain: 'input', handle: 2, expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { frobnicate: { level: 3 } }, { drop: null }] } },
      { rule: { family: 'inet', table: 't', chain: 'input', handle: 3, expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 23 } }, { drop: null }] } },
    ],
  };
  const rs = parseRulesetText(JSON.stringify(doc), 'newer.json');
  assert.equal(rs.chains[0]!.rules[0]!.unknown, 'frobnicate');
  const ev = new Evaluator(rs);
  const d = decide(ev, 'tcp', 22, '192.0.2.5');
  assert.equal(brief(d), 'unknown #2');
  assert.match(d.note ?? '', /unknown construct: frobnicate/);
  assert.equal(brief(decide(ev, 'tcp', 23, '192.0.2.5')), 'drop #3');
  assert.equal(brief(decide(ev, 'tcp', 24, '192.0.2.5')), 'accept no rule');
});
