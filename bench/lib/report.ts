import type { BenchResult } from './context.js';

const s = (ms: number): string => (ms / 1000).toFixed(2);

/** A markdown section per benchmark: one row per contender, then ratios, agreement and checks. */
export function markdown(r: BenchResult): string {
  const lines = [`### ${r.name}`, '', r.description + '.', ''];
  if (r.truthCounts) lines.push(`Truth: ${fmtCounts(r.truthCounts)} (${r.ports} ports).`, '');
  const rss = r.contenders.some((c) => c.medianRssKb !== undefined);
  lines.push(`| contender | runs | median s | min s | max s |${rss ? ' peak RSS MiB |' : ''}${r.truthCounts ? ' misclassified (worst run) |' : ''}`, `|---|---|---|---|---|${rss ? '---|' : ''}${r.truthCounts ? '---|' : ''}`);
  for (const c of r.contenders) {
    const mis = c.failedRuns ? `n/a (${c.failedRuns} failed runs)` : String(c.misclassifiedMax ?? 'n/a');
    lines.push(`| ${c.label} | ${c.runs.length} | ${s(c.medianMs)} | ${s(c.minMs)} | ${s(c.maxMs)} |${rss ? ` ${c.medianRssKb === undefined ? '' : (c.medianRssKb / 1024).toFixed(1)} |` : ''}${r.truthCounts ? ` ${mis} |` : ''}`);
  }
  lines.push('');
  for (const x of r.ratios) lines.push(`- ratio ${x.portscope} / ${x.nmap} (medians): **${x.ratio === null ? 'n/a (failed runs)' : x.ratio.toFixed(3)}**`);
  for (const a of r.agreement) lines.push(`- ${a.portscope} vs ${a.nmap}, first runs: ${a.differing} ports differ${a.examples.length ? ` (${a.examples.join(', ')})` : ''}`);
  for (const c of r.checks) lines.push(`- [${c.pass ? 'x' : ' '}] ${c.what}`);
  for (const c of r.contenders) {
    const e = c.runs.find((x) => x.engine)?.engine?.find((l) => l.includes('probes'));
    if (e) lines.push(`- ${c.label} -d, first run: \`${e}\``);
  }
  for (const n of r.notes) lines.push(`- note: ${n}`);
  lines.push('', 'Commands:', '', ...r.contenders.map((c) => `    ${c.command}`), '');
  return lines.join('\n');
}

function fmtCounts(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
