/**
 * Port lists as nmap writes them in `services=` and `<extrareasons ports=…>`: ascending, consecutive runs
 * joined with `-`, runs separated by `,` (e.g. `1-21,23-99`). Pure helpers shared by formats and readers.
 */

export { formatPortRanges } from '../model/index.js';

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
