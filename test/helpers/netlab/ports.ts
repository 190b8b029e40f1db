/** Port lists for the lab: `[22, 80]`, or ranges `'8000-8100,9000'`, expanded and checked. */
export type PortList = readonly number[] | string;

export function expandPorts(list: PortList): number[] {
  if (typeof list !== 'string') return checked([...list]);
  const out: number[] = [];
  for (const part of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`netlab: bad port list element "${part}"`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return checked(out);
}

function checked(ports: number[]): number[] {
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`netlab: bad port ${p}`);
  return ports;
}

/** Compact form for command lines: consecutive runs become ranges. */
export function compactPorts(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
