import type { GenAction, GenRule, GenRuleset, Reject } from './model.js';
import { prng } from '../prng.js';

export { prng } from '../prng.js';

export interface GenOptions {
  /** Ports the rulesets talk about (and the scan covers). */
  ports: readonly number[];
  /** The scanner's addresses (rules on saddr match or miss them on purpose). */
  scanner: { v4: string; v6: string };
  /** Backend: 'nft' may use named sets and verdict maps. */
  nft: boolean;
}

const REJECTS: readonly Reject[] = ['tcp-reset', 'port-unreachable', 'admin-prohibited', 'host-unreachable', 'no-route'];

/** A realistic ruleset: established/related first, loopback, per-service accepts and rejects, sources, sub-chains. */
export function generateRuleset(seed: number, o: GenOptions): GenRuleset {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  const port = (): number => pick(o.ports);
  const dports = (): [number, number][] => {
    const n = 1 + Math.floor(r() * 3);
    const out: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const a = port();
      out.push(chance(0.25) ? [a, Math.min(a + 1 + Math.floor(r() * 3), o.ports[o.ports.length - 1]!)] : [a, a]);
    }
    return out;
  };
  const v4Prefix = (): string => pick([`${o.scanner.v4}/32`, '192.0.2.0/24', '198.51.100.0/24', '192.0.2.128/25', '203.0.113.7/32']);
  const v6Prefix = (): string => pick([`${o.scanner.v6}/128`, '2001:db8::/64', '2001:db8:1::/48', '2001:db8::8000/113']);
  const chainNames = chance(0.6) ? (chance(0.5) ? ['svc', 'limits'] : ['svc']) : [];
  const verdict = (inSub: boolean, proto: GenRule['proto']): GenAction => {
    const x = r();
    if (x < 0.35) return { k: 'accept' };
    if (x < 0.55) return { k: 'drop' };
    if (x < 0.75) {
      const w = pick(REJECTS);
      return { k: 'reject', with: w === 'tcp-reset' && proto !== 'tcp' ? 'port-unreachable' : w };
    }
    if (x < 0.82) return { k: 'counter' };
    if (inSub) return x < 0.92 ? { k: 'return' } : { k: 'accept' };
    if (chainNames.length) return { k: x < 0.92 ? 'jump' : 'goto', chain: pick(chainNames) };
    return { k: 'drop' };
  };
  const rule = (inSub: boolean): GenRule => {
    const proto = pick(['tcp', 'tcp', 'udp', 'any'] as const);
    const g: GenRule = { proto, action: { k: 'accept' } };
    if (chance(0.85)) {
      g.dports = dports();
      if (chance(0.1)) g.dportNegate = true;
      if (o.nft && chance(0.2)) g.namedSet = true;
    }
    if (chance(0.3)) g.saddr = chance(0.5) ? { cidr: v4Prefix(), family: 4, negate: chance(0.2) } : { cidr: v6Prefix(), family: 6, negate: chance(0.2) };
    if (chance(0.1)) g.ct = pick(['new', 'invalid'] as const);
    if (chance(0.1)) g.iif = { name: pick(['eth0', 'eth*', 'veth0', 'lo']), negate: chance(0.3) };
    g.action = verdict(inSub, proto);
    return g;
  };
  const input: GenRule[] = [];
  if (chance(0.8)) input.push({ proto: 'any', ct: 'established,related', action: { k: 'accept' } });
  if (chance(0.7)) input.push({ proto: 'any', iif: { name: 'lo', negate: false }, action: { k: 'accept' } });
  const n = 3 + Math.floor(r() * 10);
  for (let i = 0; i < n; i++) input.push(rule(false));
  const chains: Record<string, GenRule[]> = {};
  for (const c of chainNames) chains[c] = Array.from({ length: 1 + Math.floor(r() * 5) }, () => rule(true));
  const raw: GenRule[] = chance(0.25) ? [{ proto: pick(['tcp', 'udp'] as const), dports: [[port(), port()].sort((a, b) => a - b) as [number, number]], action: { k: 'drop' } }] : [];
  const redirects = chance(0.35) ? [{ proto: pick(['tcp', 'udp'] as const), from: port(), to: port() }].filter((x) => x.from !== x.to) : [];
  const g: GenRuleset = { seed, policy: chance(0.5) ? 'drop' : 'accept', input, chains, raw, redirects };
  if (o.nft && chance(0.3)) {
    g.vmap = { at: Math.floor(r() * (input.length + 1)), entries: [...new Set([port(), port(), port()])].map((p) => ({ port: p, action: verdict(false, 'tcp') })).filter((e) => ['accept', 'drop', 'jump', 'goto'].includes(e.action.k)) };
  }
  return g;
}
