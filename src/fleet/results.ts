/**
 * Results of a distributed scan: written per host by workers, idempotently (primary keys on scan, vantage,
 * host[, protocol, port]; a shard redone after a lost lease writes nothing new), and read back merged.
 */
import { sql, type Kysely } from 'kysely';
import { mergeHostReports } from '../api/merge-results.js';
import type { HostReport, PortResult } from '../model/index.js';
import type { Database } from '../store/index.js';

const BATCH = 2000;

/**
 * Store finished hosts of one shard and their ports in one transaction (a batch: a shard of a wide walk
 * touches many hosts with few ports each). Rows already stored by an earlier attempt are kept as they
 * are (ON CONFLICT DO NOTHING on every key), so a redone shard writes only what is missing.
 */
export async function writeHosts(db: Kysely<Database>, scanId: number, vantage: string, shard: number, worker: string, hosts: readonly HostReport[]): Promise<void> {
  if (hosts.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const hostRows = hosts.map((h) => {
      const { ports: _ports, ...rest } = h;
      return { scan_id: scanId, vantage, address: h.address, shard, report: JSON.stringify({ ...rest, ports: [] }), status: h.status, worker };
    });
    for (let i = 0; i < hostRows.length; i += BATCH / 4) {
      await trx
        .insertInto('dist_hosts')
        .values(hostRows.slice(i, i + BATCH / 4))
        .onConflict((oc) => oc.columns(['scan_id', 'vantage', 'address', 'shard']).doNothing())
        .execute();
    }
    const rows = hosts.flatMap((h) => h.ports.map((p) => ({ scan_id: scanId, vantage, address: h.address, protocol: p.protocol, port: p.port, state: p.state, reason: p.reason, result: leanResult(p) })));
    for (let i = 0; i < rows.length; i += BATCH) {
      await trx
        .insertInto('dist_ports')
        .values(rows.slice(i, i + BATCH))
        .onConflict((oc) => oc.columns(['scan_id', 'vantage', 'address', 'protocol', 'port']).doNothing())
        .execute();
    }
  });
}

/** Every stored host of a scan's vantage with its ports, in address order (IPv4 numerically, then IPv6). */
export async function loadHosts(db: Kysely<Database>, scanId: number, vantage: string): Promise<HostReport[]> {
  const hosts = await db.selectFrom('dist_hosts').select(['address', 'report']).where('scan_id', '=', scanId).where('vantage', '=', vantage).execute();
  const ports = await db.selectFrom('dist_ports').select(['address', 'protocol', 'port', 'state', 'reason', 'result']).where('scan_id', '=', scanId).where('vantage', '=', vantage).execute();
  const byHost = new Map<string, PortResult[]>();
  for (const p of ports) {
    const list = byHost.get(p.address) ?? [];
    list.push(p.result === '' ? ({ protocol: p.protocol, port: Number(p.port), state: p.state, reason: p.reason, tries: 1 } as PortResult) : (JSON.parse(p.result) as PortResult));
    byHost.set(p.address, list);
  }
  const parts = new Map<string, HostReport[]>();
  for (const h of hosts) parts.set(h.address, [...(parts.get(h.address) ?? []), JSON.parse(h.report) as HostReport]);
  // Issue 13's merge: one report per address, up wins over down, statistics summed. Ports come from
  // dist_ports, where each (protocol, port) is stored once.
  const out = [...parts.values()].map((reports) => {
    const merged = mergeHostReports(reports);
    merged.ports = (byHost.get(merged.address) ?? []).sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
    return merged;
  });
  return out.sort((a, b) => compareAddresses(a.address, b.address));
}

/** Count of stored port rows per (address, protocol, port) above one: 0 when every result is stored once. */
export async function duplicateResults(db: Kysely<Database>, scanId: number): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from (select 1 from dist_ports where scan_id = ${scanId} group by vantage, address, protocol, port having count(*) > 1) d`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
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
 * Most ports of a wide scan are closed at the first try: their row's columns say all the outputs use, so
 * the JSON (tries, RTT, service) is kept only for the others. '' means "closed, first try".
 */
function leanResult(p: PortResult): string {
  if (p.state === 'closed' && p.tries === 1 && p.service === undefined) return '';
  return JSON.stringify(p);
}
