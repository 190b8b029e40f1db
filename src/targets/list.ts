/**
 * `--exclude a,b,c`: nmap splits the list on commas (nmap(1), "--exclude <host1>[,<host2>[,...]]"), yet a
 * comma is also part of octet-range syntax (`10.0.0.1,3,5`). A piece that is not a spec on its own is
 * joined back to the one before it, so both readings work: `10.0.0.1,10.0.0.9` is two specs,
 * `10.0.0.1,3,5` is one.
 */
import { parseTargetSpec } from './spec.js';

/** Above parseTargetSpec's own limit: such text is never a spec, and not re-parsing it keeps this linear. */
const MAX_JOIN = 4096;

function isSpec(text: string): boolean {
  if (text.length > MAX_JOIN) return false;
  try {
    parseTargetSpec(text);
    return true;
  } catch {
    return false;
  }
}

/** Split a comma-separated target list into specs; pieces that do not parse are left for the parser to reject. */
export function splitTargetList(list: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  // Empty pieces (`a,,b`, a trailing comma) separate nothing; the CLI dropped them before too.
  for (const piece of list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    if (cur === undefined) {
      cur = piece;
      continue;
    }
    const joined = `${cur},${piece}`;
    // Keep joining while the current spec is incomplete, or while the piece only makes sense as its tail.
    if (!isSpec(cur) || (!isSpec(piece) && isSpec(joined))) cur = joined;
    else {
      out.push(cur);
      cur = piece;
    }
  }
  if (cur !== undefined) out.push(cur);
  return out;
}
