/**
 * `portscope explain` of all 65,535 TCP ports against a 10,000-rule nftables ruleset (issue 15,
 * "Performance": ≤ 1 s). The ruleset is generated (seeded): per-service accepts by source, port ranges,
 * rejects, 50 user chains reached by jumps and a verdict map. Prints the end-to-end CLI wall time
 * (`explain --ruleset FILE -p - --only-ports --json`, median of N runs) and the in-process evaluation time.
 *
 *   npm run build && node dist/bench/firewall-explain.js [--runs N] [--rules N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addrToBig, Evaluator, parseNftJson } from '../src/firewall/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'portscope');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
}

/** An `nft -j list ruleset` document with `n` rules. */
export function bigRuleset(n: number): string {
  const r = rng(15);
  const items: unknown[] = [{ metainfo: { version: '1.0.6', json_schema_version: 1 } }, { table: { family: 'inet', name: 'big', handle: 1 } }];
  const chain = (name: string, base: boolean): void => void items.push({ chain: { family: 'inet', table: 'big', name, handle: items.length, ...(base ? { type: 'filter', hook: 'input', prio: 0, policy: 'drop' } : {}) } });
  const dport = (v: unknown) => ({ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: v } });
  const saddr = (v: string, len: number) => ({ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: { prefix: { addr: v, len } } } });
  chain('input', true);
  const subs = 50;
  for (let c = 0; c < subs; c++) chain(`svc${c}`, false);
  let handle = 1000;
  const rule = (ch: string, expr: unknown[]): void => void items.push({ rule: { family: 'inet', table: 'big', chain: ch, handle: handle++, expr } });
  rule('input', [{ match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } }, { accept: null }]);
  rule('input', [{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'lo' } }, { accept: null }]);
  rule('input', [{ vmap: { key: { payload: { protocol: 'tcp', field: 'dport' } }, data: { set: Array.from({ length: subs }, (_, c) => [20000 + c, { jump: { target: `svc${c}` } }]) } } }]);
  for (let i = 0; i < n - 3; i++) {
    const ch = i % 4 === 0 ? `svc${i % subs}` : 'input';
    const port = 1 + Math.floor(r() * 65535);
    const x = r();
    if (x < 0.6) rule(ch, [dport(port), saddr(`198.51.${Math.floor(r() * 256)}.0`, 24), { counter: { packets: 0, bytes: 0 } }, { accept: null }]);
    else if (x < 0.8) rule(ch, [dport({ range: [port, Math.min(65535, port + Math.floor(r() * 50))] }), { drop: null }]);
    else if (x < 0.9) rule(ch, [dport({ set: [port, (port % 65535) + 1, ((port + 7) % 65535) + 1] }), { reject: { type: 'tcp reset' } }]);
    else rule(ch, [dport(port), { accept: null }]);
  }
  return JSON.stringify({ nftables: items });
}

const runs = arg('--runs', 5);
const rules = arg('--rules', 10_000);
const dir = mkdtempSync(join(tmpdir(), 'portscope-fw-bench-'));
try {
  const file = join(dir, 'big.json');
  const text = bigRuleset(rules);
  writeFileSync(file, text);
  if (process.env.FW_BENCH_KEEP) writeFileSync(process.env.FW_BENCH_KEEP, text);
  const t0 = performance.now();
  const ruleset = parseNftJson(text, file);
  const tParse = performance.now() - t0;
  const ev = new Evaluator(ruleset);
  const saddr = addrToBig('198.51.100.7')!.value;
  let accepted = 0;
  for (let p = 1; p <= 65535; p++) if (ev.evaluate({ family: 4, proto: 'tcp', dport: p, saddr, iifname: 'eth0' }).verdict === 'accept') accepted++;
  const inProcess = performance.now() - t0;
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const r = spawnSync(process.execPath, [BIN, 'explain', '--ruleset', file, '-p', '-', '--only-ports', '--from', '198.51.100.7', '--iface', 'eth0', '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(performance.now() - s);
    if (r.status !== 0) throw new Error(`explain failed: ${r.stderr}`);
    rows = (JSON.parse(r.stdout) as { ports: unknown[] }).ports.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `firewall-explain: ${rules} rules, 65,535 TCP ports; cpus ${cpus().length}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  in-process parse + compile + evaluate: ${inProcess.toFixed(0)} ms (parse ${tParse.toFixed(0)} ms; ${accepted} ports accepted)`);
  console.log(`  CLI end to end (explain --json, ${rows} rows): median ${times[times.length >> 1]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms over ${runs} runs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
