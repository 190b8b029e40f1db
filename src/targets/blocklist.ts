/**
 * The default blocklist: address blocks no scan should touch because no unicast host can answer there.
 * Sources: RFC 6890 (special-purpose registries), RFC 1122 §3.2.1.3 ("this network"), RFC 5771 (IPv4
 * multicast), RFC 1112 §4 (240/4 reserved, and 255.255.255.255 limited broadcast inside it), RFC 4291
 * (IPv6 unspecified, multicast). Loopback, private, documentation and benchmarking ranges are NOT here:
 * scanning your own lab or network is what the tool is for. docs/scale.md gives the rules.
 */
import type { Resolver } from '../model/index.js';
import { ExclusionSet } from './exclusions.js';
import { readTargetFile } from './file.js';

export const DEFAULT_BLOCKLIST: readonly string[] = ['0.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4', '::/128', 'ff00::/8'];

/** A resolver for blocklists: they hold addresses and blocks only, a name in one is an error. */
const noNames: Resolver = {
  lookup: async () => {
    throw new Error('names are not allowed in a blocklist');
  },
};

/** The default list, or the entries of FILE (one spec per line, `#` comments) instead of it. */
export async function loadBlocklist(file: string | undefined): Promise<ExclusionSet> {
  if (file === undefined) return ExclusionSet.build(DEFAULT_BLOCKLIST, noNames);
  const specs: string[] = [];
  for await (const spec of readTargetFile(file)) specs.push(spec);
  return ExclusionSet.build(specs, noNames);
}
