/** A seeded generator of realistic firewall rulesets for the differential oracle (test/lab/firewall-oracle). */
export type { GenRuleset, GenRule, GenAction } from './model.js';
export { generateRuleset, prng, type GenOptions } from './generate.js';
export { renderNft, NFT_TABLE } from './render-nft.js';
export { renderIptables } from './render-iptables.js';
