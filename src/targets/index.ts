/** Target specs → lazy streams of addresses (nmap syntax: addresses, CIDR, octet ranges, names, exclusions). */
export { parseTargetSpec, parseExcludeSpec, countTargetSpec, type TargetSpec } from './spec.js';
export { expandTargets, type ExpandOptions, type TargetItem } from './expand.js';
export { checkTargetFile, readTargetFile } from './file.js';
export { splitTargetList } from './list.js';
export { canonicalAddress, familyOf, isIPv4, isIPv6, isLoopback } from './address.js';
export { Permutation, seedValue } from './permutation.js';
export { PairWalk, checkShard, type ShardSpec, type PairRef } from './walk.js';
export { HostOrder } from './host-order.js';
export { HostSpace, type HostSpaceOptions } from './host-space.js';
export { DEFAULT_BLOCKLIST, loadBlocklist } from './blocklist.js';
export { ExclusionSet } from './exclusions.js';
