import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addrToBig, type Evaluator, parseRulesetText, type Decision, type Ruleset } from '../../../src/firewall/index.js';

/** test/fixtures/firewall/NAME, resolved from the compiled test in dist/test/unit/firewall/. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/firewall/${name}`, import.meta.url)), 'utf8');
}

export function load(name: string): Ruleset {
  return parseRulesetText(fixture(name), name);
}

/** Decide one packet: `decide(ev, 'tcp', 22, '192.0.2.5')`. */
export function decide(ev: Evaluator, proto: 'tcp' | 'udp', dport: number, from?: string, iifname?: string): Decision {
  const a = from === undefined ? undefined : addrToBig(from)!;
  return ev.evaluate({ family: a?.family ?? 4, proto, dport, ...(a ? { saddr: a.value } : {}), ...(iifname ? { iifname } : {}) });
}

/** A decision in one short line: "drop #13", "reject/tcp-reset line 27", "accept policy", "indeterminate #16". */
export function brief(d: Decision): string {
  const what = d.verdict === 'reject' ? `reject/${d.rejectWith}` : d.verdict;
  const where = d.rule ? (d.rule.handle !== undefined ? `#${d.rule.handle}` : `line ${d.rule.line}`) : d.policy ? `policy ${d.policy.chain}` : 'no rule';
  return `${what} ${where}${d.port !== undefined && d.nat ? ` ->${d.port}` : ''}`;
}
