import type { FirewallPolicyRef, FirewallVerdict } from '../model/index.js';
import { candidates, compileChain, type CompiledChain } from './compile.js';
import { evalMatch, NO, UNKNOWN, YES, type Packet, type Tri } from './match.js';
import type { Action, Chain, Hook, RejectKind, Rule, RuleRef, Ruleset } from './types.js';
import { addrToBig } from './values.js';

export type Verdict = FirewallVerdict;

export interface Decision {
  verdict: Verdict;
  rejectWith?: RejectKind;
  /** The deciding rule; null when a chain policy decided (see `policy`) or nothing filters at all. */
  rule: RuleRef | null;
  policy?: FirewallPolicyRef;
  /** Why the outcome cannot be known (indeterminate/unknown). */
  note?: string;
  /** A redirect/DNAT on the way: the rule, and the port (and address) the connection ends up at. */
  nat?: { rule: RuleRef; port: number; addr?: string };
  /** The destination port after NAT (the port whose listener answers). */
  port: number;
}

export interface EvaluatorOptions {
  /** True when an address is one of this host's (DNAT to it stays local). Default: unknown → forward. */
  isLocal?: (addr: string) => boolean;
}

const MAX_DEPTH = 64;
const HOOK_ORDER: readonly Hook[] = ['prerouting', 'input'];

/**
 * Decides a new inbound connection the way the kernel does: every base chain of the prerouting hook, then
 * of the input hook, in priority order across tables (nft(8), "BASE CHAIN"; iptables' tables register at
 * the same hooks with NF_IP_PRI_*). `accept` ends one base chain only; `drop`/`reject` end everything.
 * One Evaluator serves many packets: chains are compiled (indexed by port) once per protocol.
 */
export class Evaluator {
  readonly #bases: Map<string, Chain[]>;
  readonly #byName = new Map<string, Chain>();
  readonly #compiled = new Map<Chain, { tcp?: CompiledChain; udp?: CompiledChain }>();
  readonly #opts: EvaluatorOptions;

  constructor(ruleset: Ruleset, opts: EvaluatorOptions = {}) {
    this.#opts = opts;
    this.#bases = new Map();
    for (const c of ruleset.chains) {
      this.#byName.set(`${c.backend}\u0000${c.family}\u0000${c.table}\u0000${c.name}`, c);
      if (c.hook === undefined || !HOOK_ORDER.includes(c.hook)) continue;
      if (c.family !== 'ip' && c.family !== 'ip6' && c.family !== 'inet') continue;
      const list = this.#bases.get(c.hook) ?? [];
      list.push(c);
      this.#bases.set(c.hook, list);
    }
    // A stable sort keeps the listing order for equal priorities (the kernel's order for those is
    // registration order, which a listing cannot tell; nft(8) calls it undefined).
    for (const list of this.#bases.values()) list.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  }

  /**
   * The handshake's second packet (the client's ACK, conntrack state established) to the post-NAT port:
   * a ruleset that accepts only `ct state new` and rejects the rest lets the SYN-ACK out, then answers the
   * ACK with an ICMP error, which a connect() scan reports (docs/firewall.md).
   */
  evaluateHandshake(packet: Packet, first: Decision): Decision {
    return this.evaluate({ ...packet, dport: first.port, ct: 'established' });
  }

  evaluate(packet: Packet): Decision {
    const p = { ...packet };
    let lastAccept: RuleRef | null = null;
    let nat: Decision['nat'];
    for (const hook of HOOK_ORDER) {
      for (const base of this.#bases.get(hook) ?? []) {
        if ((base.family === 'ip' && p.family !== 4) || (base.family === 'ip6' && p.family !== 6)) continue;
        // Only a connection's first packet meets the nat chains; later ones follow its conntrack entry.
        if (base.type === 'nat' && p.ct === 'established') continue;
        const d = this.#runBase(base, p);
        if (d.kind === 'final') return { ...d.decision, port: p.dport, ...(nat ? { nat } : {}) };
        if (d.kind === 'nat') {
          const a = d.action;
          if (a.kind === 'dnat' && a.addr !== undefined && !(this.#opts.isLocal?.(a.addr) ?? false)) {
            const port = a.port?.[0] ?? p.dport;
            return { verdict: 'forward', rule: d.rule, note: `DNAT to ${a.addr}:${port}: forwarded to another host, whose answer decides`, port, nat: { rule: d.rule, port, addr: a.addr } };
          }
          if (a.kind === 'redirect' || a.kind === 'dnat') p.dport = a.port?.[0] ?? p.dport;
          p.natted = true;
          nat = { rule: d.rule, port: p.dport, ...(a.kind === 'dnat' && a.addr ? { addr: a.addr } : {}) };
        } else if (d.rule) lastAccept = d.rule;
      }
    }
    return { verdict: 'accept', rule: lastAccept, port: p.dport, ...(nat ? { nat } : {}) };
  }

  #compiledFor(chain: Chain, proto: 'tcp' | 'udp'): CompiledChain {
    let e = this.#compiled.get(chain);
    if (!e) {
      e = {};
      this.#compiled.set(chain, e);
    }
    const done = e[proto] ?? compileChain(chain, proto);
    e[proto] = done;
    return done;
  }

  #lookup(from: Chain, name: string): Chain | undefined {
    return this.#byName.get(`${from.backend}\u0000${from.family}\u0000${from.table}\u0000${name}`);
  }

  /** One base chain with its jumps: a final decision, a NAT, or acceptance (by a rule or the policy). */
  #runBase(base: Chain, p: Packet): { kind: 'final'; decision: Omit<Decision, 'port'> } | { kind: 'nat'; action: Action & { kind: 'redirect' | 'dnat' }; rule: RuleRef } | { kind: 'accept'; rule: RuleRef | null } {
    const stack: { chain: Chain; list: ArrayLike<number>; at: number }[] = [];
    let chain = base;
    let list = candidates(this.#compiledFor(chain, p.proto), p.dport);
    let at = 0;
    const policy = (): Decision['policy'] => ({ backend: base.backend, family: base.family, table: base.table, chain: base.name, policy: base.policy ?? 'accept' });
    for (;;) {
      if (at >= list.length) {
        const back = stack.pop();
        if (!back) {
          if (base.policy === 'drop') return { kind: 'final', decision: { verdict: 'drop', rule: null, policy: policy() } };
          return { kind: 'accept', rule: null };
        }
        ({ chain, list, at } = back);
        continue;
      }
      const rule = chain.rules[list[at++]!]!;
      if (rule.action.kind === 'continue' && !rule.unknown) continue;
      const why: { why?: string } = {};
      let m: Tri = YES;
      for (const x of rule.matches) {
        const r = evalMatch(x, p, why);
        if (r === NO) {
          m = NO;
          break;
        }
        if (r === UNKNOWN) m = UNKNOWN;
      }
      if (m === NO) continue;
      if (rule.unknown) return { kind: 'final', decision: { verdict: 'unknown', rule: rule.ref, note: `unknown construct: ${rule.unknown}` } };
      if (rule.indeterminate) return { kind: 'final', decision: { verdict: 'indeterminate', rule: rule.ref, note: `${rule.indeterminate}: decided at run time, not knowable from the rules` } };
      if (m === UNKNOWN) return { kind: 'final', decision: { verdict: 'indeterminate', rule: rule.ref, note: `depends on ${why.why ?? 'a field we do not know'}` } };
      let action = rule.action;
      if (action.kind === 'vmap') {
        const chosen = this.#vmapChoice(action, p, rule);
        if (chosen === 'unknown') return { kind: 'final', decision: { verdict: 'indeterminate', rule: rule.ref, note: 'verdict map key depends on a field we do not know' } };
        if (chosen === null) continue;
        action = chosen;
      }
      switch (action.kind) {
        case 'accept':
          return { kind: 'accept', rule: rule.ref };
        case 'drop':
          return { kind: 'final', decision: { verdict: 'drop', rule: rule.ref } };
        case 'reject':
          return { kind: 'final', decision: { verdict: 'reject', rejectWith: action.with, rule: rule.ref } };
        case 'redirect':
        case 'dnat':
          if (base.type === 'nat') return { kind: 'nat', action, rule: rule.ref };
          return { kind: 'final', decision: { verdict: 'unknown', rule: rule.ref, note: 'NAT outside a nat chain' } };
        case 'continue':
          continue;
        case 'return': {
          const back = stack.pop();
          if (!back) {
            if (base.policy === 'drop') return { kind: 'final', decision: { verdict: 'drop', rule: null, policy: policy() } };
            return { kind: 'accept', rule: null };
          }
          ({ chain, list, at } = back);
          continue;
        }
        case 'jump':
        case 'goto': {
          const next = this.#lookup(chain, action.target);
          if (!next) return { kind: 'final', decision: { verdict: 'unknown', rule: rule.ref, note: `${action.kind} to chain "${action.target}", which does not exist` } };
          if (stack.length >= MAX_DEPTH) return { kind: 'final', decision: { verdict: 'unknown', rule: rule.ref, note: 'jumps nest deeper than 64 (a loop?)' } };
          if (action.kind === 'jump') stack.push({ chain, list, at });
          chain = next;
          list = candidates(this.#compiledFor(chain, p.proto), p.dport);
          at = 0;
          continue;
        }
        case 'vmap':
          continue;
      }
    }
  }

  #vmapChoice(a: Action & { kind: 'vmap' }, p: Packet, rule: Rule): Action | null | 'unknown' {
    void rule;
    for (const e of a.entries) {
      const r = evalMatch({ ...a.key, values: e.values }, p);
      if (r === UNKNOWN) return 'unknown';
      if (r === YES) return e.action;
    }
    return null;
  }
}

export function localAddressTest(addresses: readonly string[]): (addr: string) => boolean {
  const set = new Set(addresses.map((a) => addrToBig(a)?.value).filter((v): v is bigint => v !== undefined));
  return (addr) => {
    const v = addrToBig(addr)?.value;
    return v !== undefined && (set.has(v) || addr.startsWith('127.') || addr === '::1');
  };
}
