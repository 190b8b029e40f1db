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

/** `1-3,5` → `[1,2,3,5]`; the inverse of formatPortRanges. Throws on anything else. */
export function parsePortRanges(text: string): number[] {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) throw new Error(`not a port range list: ${JSON.stringify(text)}`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first || last > 65535) throw new Error(`bad port range ${JSON.stringify(part)}`);
    for (let p = first; p <= last; p++) out.push(p);
  }
  return out;
}
