/**
 * Canonical text forms shared by several layers (targets, local sockets, outputs). Pure functions, no I/O:
 * they live in model/ so that every layer can use them without depending on another.
 */

/**
 * RFC 5952 §4 text form of eight 16-bit groups: lower-case hex without leading zeros, the longest run of two
 * or more zero groups (the first on a tie) written as `::`.
 */
export function compressIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Ports → nmap's compact list, as in XML `<scaninfo services="1-3,5,7-9">` and `<extrareasons ports=…>`:
 * ascending, consecutive runs joined with `-`, runs separated by `,`. Unsorted input and duplicates are fine.
 */
export function formatPortRanges(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i]!;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i]!;
    parts.push(first === last ? String(first) : `${first}-${last}`);
    i++;
  }
  return parts.join(',');
}

/** One item of a port list, `80` or `8000-8010`, → [first, last]; undefined for anything else (0-65535, first ≤ last). */
export function parsePortRange(item: string): [number, number] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = m[2] === undefined ? first : Number(m[2]);
  return last < first || last > 65535 ? undefined : [first, last];
}

/**
 * `1-3,5` → `[1,2,3,5]` (the inverse of formatPortRanges; '' → []). The one parser of plain port lists:
 * nmap's own -p syntax (prefixes, names, open ranges) is ports/spec.ts. Throws with the bad item named.
 */
export function parsePortRanges(text: string): number[] {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const r = parsePortRange(part);
    if (!r) throw new Error(`not a port range list: ${JSON.stringify(text)} (bad item ${JSON.stringify(part)})`);
    for (let p = r[0]; p <= r[1]; p++) out.push(p);
  }
  return out;
}
