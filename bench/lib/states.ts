/**
 * Port states from nmap-format XML (nmap's own -oX and portscope's -oX, which follows nmap.dtd). nmap folds
 * the commonest states into <extraports>; since 7.x each <extrareasons> lists its ports (`ports="1-21,23-…"`),
 * so every port's state is recoverable. When a writer omits that list and only one <extraports> remains,
 * the unlisted requested ports take its state.
 */
export type StateMap = Map<number, string>;

export function statesFromXml(xml: string, requested: readonly number[]): StateMap {
  const states: StateMap = new Map();
  const portRe = /<port\s[^>]*portid="(\d+)"[^>]*>\s*<state\s[^>]*state="([^"]+)"/g;
  for (const m of xml.matchAll(portRe)) states.set(Number(m[1]), m[2]!);
  const extraRe = /<extraports\s[^>]*state="([^"]+)"[^>]*>([\s\S]*?)<\/extraports>/g;
  const unlisted: string[] = [];
  for (const m of xml.matchAll(extraRe)) {
    const state = m[1]!;
    let listed = false;
    for (const r of m[2]!.matchAll(/<extrareasons\s[^>]*ports="([^"]*)"/g)) {
      listed = true;
      for (const p of expandRanges(r[1]!)) states.set(p, state);
    }
    if (!listed) unlisted.push(state);
  }
  if (unlisted.length > 1) throw new Error(`XML folds ${unlisted.length} states into <extraports> without port lists`);
  if (unlisted.length === 1) for (const p of requested) if (!states.has(p)) states.set(p, unlisted[0]!);
  return states;
}

export function expandRanges(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let p = a; p <= (b ?? a); p++) out.push(p);
  }
  return out;
}

export function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** Ports of `requested` whose state differs between `a` and `b` (a missing port counts as different). */
export function differences(a: StateMap, b: StateMap, requested: readonly number[]): { port: number; a: string; b: string }[] {
  const diff: { port: number; a: string; b: string }[] = [];
  for (const p of requested) {
    const x = a.get(p) ?? 'missing';
    const y = b.get(p) ?? 'missing';
    if (x !== y) diff.push({ port: p, a: x, b: y });
  }
  return diff;
}

export function countStates(m: StateMap, requested: readonly number[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const p of requested) {
    const s = m.get(p) ?? 'missing';
    c[s] = (c[s] ?? 0) + 1;
  }
  return c;
}
