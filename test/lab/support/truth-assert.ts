import assert from 'node:assert/strict';
import { matchesTruth, type Truth } from '../../helpers/netlab/index.js';
import type { Observed } from './read-xml.js';

/**
 * Every port of the truth has exactly the true state and reason (or an alternative the truth allows), and
 * no other port is reported (`partial`: ports may be missing, as after an interrupt). All mismatches are listed in one failure, not just the first.
 */
export function assertMatchesTruth(observed: ReadonlyMap<number, Observed>, truth: ReadonlyMap<number, Truth>, label: string, opts: { reasonsFree?: ReadonlySet<number>; partial?: boolean } = {}): void {
  const wrong: string[] = [];
  for (const [port, t] of truth) {
    const o = observed.get(port);
    if (!o) {
      if (opts.partial) continue;
      wrong.push(`${port}: missing (want ${t.state}/${t.reason})`);
      continue;
    }
    const ok = opts.reasonsFree?.has(port) ? o.state === t.state || (t.or ?? []).some((a) => a.state === o.state) : matchesTruth(t, o.state, o.reason);
    if (!ok) wrong.push(`${port}: got ${o.state}/${o.reason}, want ${t.state}/${t.reason}${t.or ? ` or ${t.or.map((a) => `${a.state}/${a.reason}`).join(' or ')}` : ''}`);
  }
  for (const port of observed.keys()) if (!truth.has(port)) wrong.push(`${port}: reported but not scanned`);
  assert.deepEqual(wrong, [], `${label}: ${wrong.length} ports wrong`);
}
