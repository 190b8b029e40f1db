/**
 * The fleet's inside views (migration 3): saving one machine's listening snapshot, reading each machine's
 * latest one, and the outside observations of a set of addresses from stored scans. Same queries on
 * SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { FleetSocket, ListeningSnapshot } from '../model/index.js';
import { BATCH_ROWS } from './scan-write.js';
import type { Database, ListeningSocketsTable } from './schema.js';

/** Insert (or refresh) the machine and its snapshot; returns the snapshot id. The caller holds the write lock. */
export async function insertSnapshot(trx: Kysely<Database>, s: ListeningSnapshot): Promise<number> {
  const addresses = JSON.stringify(s.addresses);
  const found = await trx.selectFrom('machines').select('machine_id').where('machine_id', '=', s.machineId).executeTakeFirst();
  if (found) {
    await trx.updateTable('machines').set({ hostname: s.hostname, addresses, last_seen: s.takenAt }).where('machine_id', '=', s.machineId).execute();
  } else {
    await trx.insertInto('machines').values({ machine_id: s.machineId, hostname: s.hostname, addresses, first_seen: s.takenAt, last_seen: s.takenAt }).execute();
  }
  const row = await trx.insertInto('listening_snapshots').values({ machine_id: s.machineId, taken_at: s.takenAt, version: s.version, hostname: s.hostname, addresses }).returning('id').executeTakeFirstOrThrow();
  const id = Number(row.id);
  const rows: ListeningSocketsTable[] = s.sockets.map((k, seq) => ({
    snapshot_id: id,
    seq,
    protocol: k.protocol,
    family: k.family,
    address: k.address,
    port: k.port,
    exposure: k.exposure,
    dual_stack: k.dualStack === undefined ? null : k.dualStack ? 1 : 0,
    processes: JSON.stringify(k.processes),
    owner: k.owner,
  }));
  for (let i = 0; i < rows.length; i += BATCH_ROWS)
    await trx
      .insertInto('listening_sockets')
      .values(rows.slice(i, i + BATCH_ROWS))
      .execute();
  return id;
}

/** The latest snapshot of every machine, machines ordered by hostname then id. */
export async function latestSnapshots(db: Kysely<Database>): Promise<ListeningSnapshot[]> {
  const machines = await db.selectFrom('machines').selectAll().orderBy('hostname').orderBy('machine_id').execute();
  const out: ListeningSnapshot[] = [];
  for (const m of machines) {
    const snap = await db.selectFrom('listening_snapshots').selectAll().where('machine_id', '=', m.machine_id).orderBy('taken_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (!snap) continue;
    const sockets = await db.selectFrom('listening_sockets').selectAll().where('snapshot_id', '=', snap.id).orderBy('seq').execute();
    out.push({
      id: Number(snap.id),
      machineId: m.machine_id,
      hostname: snap.hostname,
      addresses: JSON.parse(snap.addresses) as string[],
      takenAt: Number(snap.taken_at),
      version: snap.version,
      sockets: sockets.map((r): FleetSocket => {
        const k: FleetSocket = {
          protocol: r.protocol as FleetSocket['protocol'],
          family: Number(r.family) as 4 | 6,
          address: r.address,
          port: Number(r.port),
          exposure: r.exposure as FleetSocket['exposure'],
          processes: JSON.parse(r.processes) as FleetSocket['processes'],
          owner: r.owner,
        };
        if (r.dual_stack !== null) k.dualStack = Number(r.dual_stack) === 1;
        return k;
      }),
    });
  }
  return out;
}

/** What stored scans say about one address: its latest scan, and which ports any scan since `sinceMs` saw open. */
export interface OutsideView {
  address: string;
  latest?: { scanId: number; startedAt: number; status: string; ports: Map<string, string> };
  /** `tcp/22` keys seen open (or open|filtered) since the window's start. */
  openSince: Set<string>;
  /** Keys probed at all since the window's start. */
  probedSince: Set<string>;
}

export async function outsideViews(db: Kysely<Database>, addresses: readonly string[], sinceMs: number): Promise<Map<string, OutsideView>> {
  const out = new Map<string, OutsideView>(addresses.map((a) => [a, { address: a, openSince: new Set(), probedSince: new Set() }]));
  if (addresses.length === 0) return out;
  const hosts = await db
    .selectFrom('hosts')
    .innerJoin('scans', 'scans.id', 'hosts.scan_id')
    .select(['hosts.id as id', 'hosts.address as address', 'hosts.status as status', 'scans.id as scan_id', 'scans.started_at as started_at'])
    .where('hosts.address', 'in', [...addresses])
    .execute();
  const latestHost = new Map<string, (typeof hosts)[number]>();
  for (const h of hosts) {
    const cur = latestHost.get(h.address);
    if (!cur || Number(h.started_at) > Number(cur.started_at) || (Number(h.started_at) === Number(cur.started_at) && Number(h.scan_id) > Number(cur.scan_id))) latestHost.set(h.address, h);
  }
  const wanted = hosts.filter((h) => Number(h.started_at) >= sinceMs || latestHost.get(h.address) === h);
  const byId = new Map(wanted.map((h) => [Number(h.id), h]));
  const ids = [...byId.keys()];
  for (const [address, h] of latestHost) out.get(address)!.latest = { scanId: Number(h.scan_id), startedAt: Number(h.started_at), status: h.status, ports: new Map() };
  for (let i = 0; i < ids.length; i += BATCH_ROWS) {
    const rows = await db
      .selectFrom('ports')
      .select(['host_id', 'protocol', 'port', 'state'])
      .where('host_id', 'in', ids.slice(i, i + BATCH_ROWS))
      .execute();
    for (const r of rows) {
      const h = byId.get(Number(r.host_id))!;
      const view = out.get(h.address)!;
      const key = `${r.protocol}/${Number(r.port)}`;
      if (latestHost.get(h.address) === h) view.latest!.ports.set(key, r.state);
      if (Number(h.started_at) >= sinceMs) {
        view.probedSince.add(key);
        if (r.state === 'open' || r.state === 'open|filtered') view.openSince.add(key);
      }
    }
  }
  return out;
}
