/**
 * Ascending ports → nmap's compact list, as in the XML `<scaninfo services="1-3,5,7-9">` attribute and the
 * `--reason` extraports lists: consecutive runs become `a-b`, single ports stay alone.
 */
export function formatPortRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!;
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(',');
}
