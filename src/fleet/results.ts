/**
 * Results of a distributed scan: written per host by workers, idempotently, and read back merged.
 *
 * Storage (bench/RESULTS.md, "Distributed scans, round 2": storing every pair was most of the overhead):
 * - `dist_hosts`, one row per (scan, vantage, host, shard): the host report, and in it the ports that were
 *   closed at the first try as compact runs per (protocol, reason) — most ports of a wide scan, and all
 *   the outputs need of them (they are `extraports`);
 * - `dist_ports`, one row per other (host, protocol, port): open, filtered, retried, with a service.
 * Exactly once: a host row and its port rows are written in one transaction, and ports are written only
 * for the host rows that transaction inserted (`ON CONFLICT DO NOTHING … RETURNING`): a shard redone
 * after a lost lease writes nothing for a host it had already stored, even if a port answered
 * differently the second time. A port belongs to one shard of the walk (disjoint slices), so each
 * (host, protocol, port) is in exactly one place.
 */
import type { Kysely } from 'kysely';
import { sql } from '../store/kysely.js';
import { mergeHostReports } from '../api/merge-results.js';
import type { HostReport, PortReason, PortResult, Protocol } from '../model/index.js';
import { serviceName } from '../ports/index.js';
import type { Database } from '../store/index.js';

/** Closed-at-first-try ports of one host and shard: [protocol, reason, "1-21,24,26-79"]. */
type ClosedRuns = [string, string, string][];

interface StoredReport extends HostReport {
  closed?: ClosedRuns;
  closedCount?: number;
}

/** Store finished hosts of one shard and their ports in one transaction (three statements, any batch size). */
export async function writeHosts(db: Kysely<Database>, scanId: number, vantage: string, shard: number, worker: string, hosts: readonly HostReport[]): Promise<number> {
  if (hosts.length === 0) return 0;
  const byAddress = new Map<string, HostReport>();
  for (const h of hosts) byAddress.set(h.address, h);
  return db.transaction().execute(async (trx) => {
    const addrs: string[] = [];
    const reports: string[] = [];
    const statuses: string[] = [];
    for (const h of byAddress.values()) {
      const { ports, ...rest } = h;
      const closed = closedRuns(ports);
      addrs.push(h.address);
      reports.push(JSON.stringify({ ...rest, ports: [], ...(closed.count ? { closed: closed.runs, closedCount: closed.count } : {}) }));
      statuses.push(h.status);
    }
    // unnest: one statement and four parameters whatever the batch (a multi-row VALUES needs one per cell).
    const inserted = await sql<{ address: string }>`
      insert into dist_hosts (scan_id, vantage, address, shard, report, status, worker)
      select ${scanId}::int, ${vantage}::text, a, ${shard}::int, r, s, ${worker}::text from unnest(${addrs}::text[], ${reports}::text[], ${statuses}::text[]) as t(a, r, s)
      on conflict (scan_id, vantage, address, shard) do nothing
      returning address`.execute(trx);
    const pa: string[] = [];
    const pp: string[] = [];
    const pn: number[] = [];
    const ps: string[] = [];
    const pr: string[] = [];
    const pj: string[] = [];
    for (const { address } of inserted.rows) {
      for (const p of byAddress.get(address)!.ports) {
        if (isPlainClosed(p)) continue;
        pa.push(address);
        pp.push(p.protocol);
        pn.push(p.port);
        ps.push(p.state);
        pr.push(p.reason);
        pj.push(JSON.stringify(p));
      }
    }
    if (pa.length)
      await sql`
        insert into dist_ports (scan_id, vantage, address, protocol, port, state, reason, result)
        select ${scanId}::int, ${vantage}::text, * from unnest(${pa}::text[], ${pp}::text[], ${pn}::int[], ${ps}::text[], ${pr}::text[], ${pj}::text[])
        on conflict (scan_id, vantage, address, protocol, port) do nothing`.execute(trx);
    return inserted.rows.length;
  });
}

/** Every stored host of a scan's vantage with its ports, in address order (IPv4 numerically, then IPv6). */
export async function loadHosts(db: Kysely<Database>, scanId: number, vantage: string): Promise<HostReport[]> {
  // One round trip: each host row with its shard's stored ports aggregated alongside (as JSON text).
  const rows = await sql<{ address: string; report: string; ports: string | null }>`
    select h.address, h.report,
      (select json_agg(p.result)::text from dist_ports p where p.scan_id = h.scan_id and p.vantage = h.vantage and p.address = h.address) as ports
    from dist_hosts h where h.scan_id = ${scanId} and h.vantage = ${vantage}`.execute(db);
  return hostsFromRows(rows.rows);
}

/** The stored rows (host report with closed runs, its shard's port rows as JSON text) merged per address. */
function hostsFromRows(rows: readonly { address: string; report: string; ports: string | null }[]): HostReport[] {
  const parts = new Map<string, { reports: HostReport[]; ports: PortResult[] }>();
  for (const r of rows) {
    let e = parts.get(r.address);
    if (!e) {
      e = { reports: [], ports: r.ports ? (JSON.parse(r.ports) as string[]).map((j) => JSON.parse(j) as PortResult) : [] };
      parts.set(r.address, e);
    }
    const rep = JSON.parse(r.report) as StoredReport;
    for (const [protocol, reason, runs] of rep.closed ?? []) for (const port of expandRuns(runs)) e.ports.push(plainClosed(protocol as Protocol, port, reason as PortReason));
    delete rep.closed;
    delete rep.closedCount;
    e.reports.push(rep);
  }
  // Issue 13's merge: one report per address, up wins over down, statistics summed.
  const out = [...parts.values()].map(({ reports, ports }) => {
    const merged = mergeHostReports(reports);
    // Plain comparisons: localeCompare (ICU) on ~500,000 comparisons of a wide scan's merge costs ~0.1 s.
    merged.ports = ports.sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1));
    return merged;
  });
  return out.sort((a, b) => compareAddresses(a.address, b.address));
}

/**
 * Stored results of a scan: `stored` counts every (host, protocol, port) kept (port rows plus closed runs),
 * `distinct` the different ones among them. Equal when every result is stored once.
 */
export async function storedResults(db: Kysely<Database>, scanId: number): Promise<{ stored: number; distinct: number }> {
  const hosts = await db.selectFrom('dist_hosts').select(['vantage', 'address', 'report']).where('scan_id', '=', scanId).execute();
  const rows = await db.selectFrom('dist_ports').select(['vantage', 'address', 'protocol', 'port']).where('scan_id', '=', scanId).execute();
  const keys = new Set<string>();
  let stored = rows.length;
  for (const r of rows) keys.add(`${r.vantage} ${r.address} ${r.protocol} ${r.port}`);
  for (const h of hosts) {
    for (const [protocol, , runs] of (JSON.parse(h.report) as StoredReport).closed ?? []) {
      for (const port of expandRuns(runs)) {
        stored++;
        keys.add(`${h.vantage} ${h.address} ${protocol} ${port}`);
      }
    }
  }
  return { stored, distinct: keys.size };
}

export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function addressKey(a: string): string {
  if (!a.includes(':'))
    return `4${a
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('.')}`;
  return `6${a}`;
}

/**
 * Closed at the first try, its service (if any) only the name from the port table (host-job.ts): all an
 * output says of it comes back from protocol, port and reason (plainClosed). Its RTT is not kept.
 */
function isPlainClosed(p: PortResult): boolean {
  if (p.state !== 'closed' || p.tries !== 1) return false;
  const s = p.service;
  if (s === undefined) return serviceName(p.port, p.protocol) === undefined;
  return s.method === 'table' && s.conf === 3 && s.name === serviceName(p.port, p.protocol) && Object.keys(s).length === 3;
}

/**
 * Synthetic stored rows (`hosts` hosts × 500 ports, a few open, the rest closed runs) through the same
 * merge as loadHosts (and the port → service table built, ~20–80 ms once): the coordinator runs this and renders the result while it waits for the workers,
 * so the merge and the output writers run compiled (not cold) when the real rows arrive — cold, they cost
 * ≈ 0.2 s more on 100 hosts × 500 ports (bench/RESULTS.md, "Distributed scans, round 3").
 */
export function sampleMergedHosts(hosts = 8): HostReport[] {
  const stats = { probesSent: 500, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 1000 };
  const rows = Array.from({ length: hosts }, (_, i) => {
    const address = `192.0.2.${i + 1}`;
    const report = {
      address,
      family: 4,
      hostnames: [],
      spec: address,
      status: 'up',
      statusReason: 'user-set',
      startTime: 0,
      endTime: 1,
      ports: [],
      complete: true,
      timedOut: false,
      stats,
      closed: [['tcp', 'conn-refused', '1-21,23-79,81-442,444-500']],
    };
    const open = [22, 80, 443].map((port) => JSON.stringify({ protocol: 'tcp', port, state: 'open', reason: 'syn-ack', tries: 1, rttUs: 100, service: { name: serviceName(port, 'tcp'), method: 'table', conf: 3 } }));
    return { address, report: JSON.stringify(report), ports: JSON.stringify(open) };
  });
  return hostsFromRows(rows);
}

function plainClosed(protocol: Protocol, port: number, reason: PortReason): PortResult {
  const r: PortResult = { protocol, port, state: 'closed', reason, tries: 1 };
  const name = serviceName(port, protocol);
  if (name) r.service = { name, method: 'table', conf: 3 };
  return r;
}

/** The plain-closed ports as sorted runs per (protocol, reason). */
export function closedRuns(ports: readonly PortResult[]): { runs: ClosedRuns; count: number } {
  const groups = new Map<string, { protocol: string; reason: string; ports: number[] }>();
  let count = 0;
  for (const p of ports) {
    if (!isPlainClosed(p)) continue;
    const k = `${p.protocol} ${p.reason}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { protocol: p.protocol, reason: p.reason, ports: [] }));
    g.ports.push(p.port);
    count++;
  }
  const runs: ClosedRuns = [];
  for (const g of groups.values()) {
    const s = [...new Set(g.ports)].sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < s.length; ) {
      let j = i;
      while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
      parts.push(j === i ? String(s[i]) : `${s[i]}-${s[j]}`);
      i = j + 1;
    }
    runs.push([g.protocol, g.reason, parts.join(',')]);
  }
  return { runs, count };
}

export function expandRuns(runs: string): number[] {
  const out: number[] = [];
  if (!runs) return out;
  for (const part of runs.split(',')) {
    const dash = part.indexOf('-');
    if (dash < 0) out.push(Number(part));
    else for (let p = Number(part.slice(0, dash)), end = Number(part.slice(dash + 1)); p <= end; p++) out.push(p);
  }
  return out;
}
