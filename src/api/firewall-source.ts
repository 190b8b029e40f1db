import { annotateUfw, mergeRulesets, parseIptablesSave, parseNftJson, parseRulesetText, type Ruleset } from '../firewall/index.js';
import { readFirewallTexts } from '../local/firewall-read.js';
import { scanFileMaxBytes } from '../input/limits.js';
import { readBoundedText } from '../input/read-bounded.js';

export interface LoadedRuleset {
  ruleset: Ruleset;
  /** ufw is installed and enabled on this host (its rule numbers were read). */
  ufwEnabled: boolean;
}

/** A ruleset from a file the user names (nft JSON or iptables-save output; detected). */
export async function rulesetFromFile(path: string): Promise<LoadedRuleset> {
  // Through the bounded reader (docs/input-limits.md): a FIFO or an endless device stops at the limit.
  const text = readBoundedText(path, { what: 'ruleset', maxBytes: scanFileMaxBytes() });
  return { ruleset: parseRulesetText(text, path), ufwEnabled: false };
}

/**
 * This host's firewall: nftables, plus iptables tables read through iptables-save (those of the nft
 * backend replace their nft view, in which xt extensions are opaque; the legacy backend's tables sit on
 * the same hooks beside nftables), with ufw's rule numbers and comments.
 */
export async function rulesetFromHost(): Promise<LoadedRuleset> {
  const texts = await readFirewallTexts();
  const parts: Ruleset[] = [];
  const saves = texts.saves.map((s) => parseIptablesSave(s.text, s.source, s.family, s.backend));
  if (texts.nftJson !== undefined) {
    const nft = parseNftJson(texts.nftJson, 'nft -j list ruleset');
    const viaSave = new Set(saves.filter((_s, i) => texts.saves[i]!.backend === 'iptables-nft').flatMap((s) => s.chains.map((c) => `${c.family} ${c.table}`)));
    nft.chains = nft.chains.filter((c) => !viaSave.has(`${c.family} ${c.table}`));
    parts.push(nft);
  }
  parts.push(...saves);
  const ruleset = mergeRulesets(parts);
  if (texts.ufw) annotateUfw(ruleset, texts.ufw.rules);
  return { ruleset, ufwEnabled: texts.ufw?.enabled === true };
}
