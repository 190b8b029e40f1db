/**
 * Target specs → addresses, one at a time. Nothing is materialised: a /8 or an IPv6 /64 is a counter, and
 * excluded blocks are stepped over whole, so memory and time do not grow with what is skipped.
 */
import { PortscopeError, TargetSpecError, type AddressFamily, type ResolvedTarget, type Resolver, type TargetProblem } from '../model/index.js';
import { bitsOf, formatAddress, parseAddress } from './address.js';
import { ExclusionSet } from './exclusions.js';
import { literalFamily, literalRuns, parseTargetSpec, type TargetSpec } from './spec.js';
import { quoteInput } from './quote.js';

export type TargetItem = { kind: 'target'; target: ResolvedTarget } | { kind: 'problem'; problem: TargetProblem };

export interface ExpandOptions {
  /** Specs never to scan, same syntax as targets (one per element: the CLI splits `--exclude a,b`). */
  exclude: readonly string[];
  resolver: Resolver;
  /** Scan every address a name resolves to, not only the first (nmap's `--resolve-all`). */
  resolveAll?: boolean;
  /** Blocks skipped inside ranges (not when an address is given alone): the default blocklist (docs/scale.md). */
  blocklist?: ExclusionSet;
}

type NameSpec = Extract<TargetSpec, { kind: 'name' }>;

/**
 * Expand specs in order, each spec's addresses ascending. A spec that does not parse or a name that does
 * not resolve yields a `problem` and iteration goes on (as nmap does with `-iL` lines); a bad exclusion
 * throws TargetSpecError before the first target, since scanning without it would be unsafe.
 */
export async function* expandTargets(specs: AsyncIterable<string> | Iterable<string>, options: ExpandOptions): AsyncGenerator<TargetItem> {
  const exclusions = await ExclusionSet.build(options.exclude, options.resolver);
  for await (const raw of specs) {
    let spec: TargetSpec;
    try {
      spec = parseTargetSpec(raw);
    } catch (err) {
      if (!(err instanceof TargetSpecError)) throw err;
      yield problem(raw.trim(), err.message);
      continue;
    }
    if (spec.kind === 'name') {
      yield* expandName(spec, options, exclusions);
      continue;
    }
    const family = literalFamily(spec);
    const skip = options.blocklist && spec.kind !== 'address' ? [exclusions, options.blocklist] : [exclusions];
    for (const [first, last] of literalRuns(spec)) {
      for (const value of walkAll(skip, family, first, last)) {
        yield { kind: 'target', target: { address: formatAddress(family, value), family, spec: spec.spec } };
      }
    }
  }
}

async function* expandName(spec: NameSpec, options: ExpandOptions, exclusions: ExclusionSet): AsyncGenerator<TargetItem> {
  let found: { address: string }[] = [];
  try {
    found = await options.resolver.lookup(spec.name);
  } catch (err) {
    // A resolver that refuses on purpose (--dry-run) says why; any other failure reads as nmap's line.
    if (err instanceof PortscopeError) {
      yield problem(spec.spec, err.message);
      return;
    }
  }
  if (found.length === 0) {
    yield problem(spec.spec, `Failed to resolve ${quoteInput(spec.name)}.`);
    return;
  }
  const addresses: { family: AddressFamily; value: bigint }[] = [];
  const seen = new Set<string>();
  for (const { address } of options.resolveAll ? found : [pickOne(found)]) {
    // getaddrinfo may attach a zone to link-local answers; the zone cannot be kept in our address text.
    const p = parseAddress(address.split('%')[0]!);
    if (!p.ok) {
      yield problem(spec.spec, `${quoteInput(spec.name)} resolved to an unusable address ${quoteInput(address)}.`);
      continue;
    }
    const key = `${p.family}/${p.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    addresses.push({ family: p.family, value: p.value });
  }
  for (const { family, value } of addresses) {
    const bits = bitsOf(family);
    const prefix = spec.prefix ?? bits;
    if (prefix > bits) {
      yield problem(spec.spec, `invalid target ${quoteInput(spec.spec)}: prefix /${prefix} is above ${bits} for ${formatAddress(family, value)}`);
      continue;
    }
    const hostBits = BigInt(bits - prefix);
    const first = (value >> hostBits) << hostBits;
    const skip = options.blocklist && prefix < bits ? [exclusions, options.blocklist] : [exclusions];
    for (const v of walkAll(skip, family, first, first + (1n << hostBits) - 1n)) {
      const target: ResolvedTarget = { address: formatAddress(family, v), family, spec: spec.spec };
      // `name/24`: the name belongs to its own address only, not to its neighbours (as nmap reports it).
      if (v === value) target.hostname = spec.name;
      yield { kind: 'target', target };
    }
  }
}

/** Addresses first..last outside every set. */
function* walkAll(sets: ExclusionSet[], family: AddressFamily, first: bigint, last: bigint): Generator<bigint> {
  if (sets.length === 1 || sets[1]!.empty) {
    yield* walk(sets[0]!, family, first, last);
    return;
  }
  for (const v of walk(sets[1]!, family, first, last)) if (!sets[0]!.step(family, v).excluded) yield v;
}

/** Addresses first..last that are not excluded, ascending; excluded stretches cost one step each. */
function* walk(exclusions: ExclusionSet, family: AddressFamily, first: bigint, last: bigint): Generator<bigint> {
  if (exclusions.empty) {
    for (let v = first; v <= last; v++) yield v;
    return;
  }
  let x = first;
  while (x <= last) {
    const step = exclusions.step(family, x);
    const end = step.through < last ? step.through : last;
    if (!step.excluded) for (let v = x; v <= end; v++) yield v;
    x = end + 1n;
  }
}

/**
 * The one address scanned for a name without --resolve-all: the first IPv4 answer if any, else the first
 * answer. nmap without -6 resolves IPv4 only (nmap(1), "-6"), so `localhost` means 127.0.0.1 for both
 * tools even where getaddrinfo(3) lists ::1 first; IPv6-only names still work without -6.
 */
function pickOne(found: { address: string }[]): { address: string } {
  return found.find((a) => !a.address.includes(':')) ?? found[0]!;
}

function problem(spec: string, message: string): TargetItem {
  return { kind: 'problem', problem: { spec, message } };
}
