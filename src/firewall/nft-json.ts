import { RulesetError } from './errors.js';
import { readRuleExprs } from './nft-expr.js';
import { renderExprs } from './nft-text.js';
import type { Backend, Chain, Hook, Rule, Ruleset, TableFamily } from './types.js';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const HOOKS = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress']);

/** nft's named priorities (nft(8), "PRIORITY"), when a chain's prio is given by name. */
const PRIORITY_NAMES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

const key = (family: string, table: string, name: string): string => `${family}\u0000${table}\u0000${name}`;

/**
 * `nft -j list ruleset` output (libnftables-json(5)) → a Ruleset. Malformed JSON or a document that is
 * not an nftables listing throws RulesetError (one line). Rules with expressions we do not know keep an
 * `unknown` note and are never guessed.
 */
export function parseNftJson(text: string, source: string, backend: Backend = 'nftables'): Ruleset {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new RulesetError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (!isObj(doc) || !Array.isArray(doc.nftables)) throw new RulesetError(`${source}: not an nftables JSON ruleset (no top-level "nftables" array)`);
  const sets = new Map<string, Json[]>();
  const chains = new Map<string, Chain>();
  const rules: Obj[] = [];
  for (const item of doc.nftables) {
    if (!isObj(item)) throw new RulesetError(`${source}: an element of "nftables" is not an object`);
    const [kind] = Object.keys(item);
    const body = item[kind ?? ''];
    if (kind === 'metainfo' || kind === 'table') continue;
    if (!isObj(body)) throw new RulesetError(`${source}: "${kind}" is not an object`);
    const family = String(body.family ?? '');
    if (!FAMILIES.has(family)) throw new RulesetError(`${source}: ${kind} with unknown family "${family}"`);
    if (kind === 'set' || kind === 'map') {
      const elem = body.elem;
      sets.set(key(family, String(body.table), String(body.name)), Array.isArray(elem) ? elem : []);
    } else if (kind === 'chain') {
      chains.set(key(family, String(body.table), String(body.name)), readChain(body, family as TableFamily, source, backend));
    } else if (kind === 'rule') {
      if (!Array.isArray(body.expr)) throw new RulesetError(`${source}: rule without an "expr" list in chain ${String(body.chain)}`);
      rules.push(body);
    }
    // Other kinds (flowtable, counter, quota, ct helper objects, element…) hold no filtering decision.
  }
  for (const r of rules) {
    const family = String(r.family);
    const table = String(r.table);
    const chain = chains.get(key(family, table, String(r.chain)));
    if (!chain) throw new RulesetError(`${source}: rule in chain "${String(r.chain)}" of table ${family} ${table}, which the listing does not declare`);
    chain.rules.push(readRule(r, chain, (name) => sets.get(key(family, table, name))));
  }
  return { chains: [...chains.values()], sources: [source] };
}

function readChain(body: Obj, family: TableFamily, source: string, backend: Backend): Chain {
  const chain: Chain = { backend, family, table: String(body.table), name: String(body.name), rules: [] };
  if (body.hook !== undefined) {
    const hook = String(body.hook);
    if (!HOOKS.has(hook)) throw new RulesetError(`${source}: chain ${chain.name} has unknown hook "${hook}"`);
    chain.hook = hook as Hook;
    const prio = body.prio;
    chain.priority = typeof prio === 'number' ? prio : typeof prio === 'string' && prio in PRIORITY_NAMES ? PRIORITY_NAMES[prio]! : 0;
    const type = String(body.type ?? 'filter');
    chain.type = type === 'nat' || type === 'route' ? type : 'filter';
    chain.policy = body.policy === 'drop' ? 'drop' : 'accept';
    if (typeof body.dev === 'string') chain.device = body.dev;
  }
  return chain;
}

function readRule(r: Obj, chain: Chain, lookup: (name: string) => Json[] | undefined): Rule {
  const exprs = r.expr as Json[];
  const read = readRuleExprs(exprs, lookup);
  const rule: Rule = {
    ref: {
      backend: chain.backend,
      family: chain.family,
      table: chain.table,
      chain: chain.name,
      ...(typeof r.handle === 'number' ? { handle: r.handle } : {}),
      text: renderExprs(exprs),
      ...(typeof r.comment === 'string' ? { comment: r.comment } : {}),
    },
    matches: read.matches,
    action: read.action,
  };
  if (read.indeterminate) rule.indeterminate = read.indeterminate;
  if (read.unknown) rule.unknown = read.unknown;
  return rule;
}
