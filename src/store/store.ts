/**
 * The history store: one interface over SQLite and PostgreSQL, the same Kysely queries on both.
 * Every method names the database in its errors (StoreError, one line).
 */
import type { Connection } from './connect.js';
import { connect } from './connect.js';
import { describeDbError, StoreError } from './errors.js';
import { resolveDbLocation, type DbLocation } from './location.js';
import { migrate } from './migrations.js';
import { insertAudit, loadAuditRows, listAuditRows } from './audit-write.js';
import { INTERESTING_STATES, listingFromRow, scanFromRows, scheduleFromRow } from './rows.js';
import { BATCH_ROWS, insertScan } from './scan-write.js';
import type { AuditListing, AuditRecord, ScanListing, ScanRecord, ScheduleRecord } from './types.js';
import { insertSnapshot, latestSnapshots, outsideViews, type OutsideView } from './fleet-write.js';
import type { ListeningSnapshot } from '../model/index.js';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One port of one host in one scan, as history reads it. */
export interface PortObservation {
  scanId: number;
  startedAt: number;
  address: string;
  protocol: string;
  port: number;
  state: string;
  service?: string;
}

export interface SaveOptions {
  /** Also move this watch schedule forward, in the same transaction as the scan. */
  schedule?: { id: number; nextRunAt: number };
}

export class HistoryStore {
  readonly location: DbLocation;
  readonly #c: Connection;

  private constructor(location: DbLocation, c: Connection) {
    this.location = location;
    this.#c = c;
  }

  /** Open (and create or migrate) the history database named by `--db` (undefined: the default file). */
  static async open(spec?: string | DbLocation, env?: NodeJS.ProcessEnv): Promise<HistoryStore> {
    const loc = typeof spec === 'object' ? spec : resolveDbLocation(spec, env);
    const store = new HistoryStore(loc, await connect(loc));
    try {
      await store.#guard('open', () => migrate(store.#c.db, store.#c.dialect, (fn) => store.#c.writeTx(fn), loc.display));
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.#c.dialect;
  }

  /** The SQLite driver in use: better-sqlite3, or node:sqlite as its fallback (undefined on PostgreSQL). */
  get sqliteDriver(): 'better-sqlite3' | 'node:sqlite' | undefined {
    return this.#c.sqliteDriver;
  }

  async close(): Promise<void> {
    await this.#c.db.destroy().catch(() => {});
  }

  /** Store a scan in one transaction: either all of it becomes visible, or nothing. Returns its id. */
  saveScan(rec: ScanRecord, opts: SaveOptions = {}): Promise<number> {
    return this.#guard('save the scan to', () =>
      this.#c.writeTx(async (trx) => {
        const scanId = await insertScan(trx, rec);
        if (opts.schedule) {
          await trx.updateTable('schedules').set({ last_scan_id: scanId, next_run_at: opts.schedule.nextRunAt }).where('id', '=', opts.schedule.id).execute();
        }
        return scanId;
      }),
    );
  }

  /**
   * Store an audit, its findings and its outside scan (`rec.scan`, as a normal scan linked by `scanId`) in
   * one transaction. Returns the audit's id and the scan's.
   */
  saveAudit(rec: AuditRecord): Promise<{ id: number; scanId?: number }> {
    return this.#guard('save the audit to', () => this.#c.writeTx((trx) => insertAudit(trx, rec)));
  }

  /** Stored audits without their findings, oldest first. */
  listAudits(): Promise<AuditListing[]> {
    return this.#guard('read', () => listAuditRows(this.#c.db));
  }

  /** One stored audit with its findings; StoreError when there is no such id. */
  loadAudit(id: number): Promise<AuditRecord> {
    return this.#guard('read', () => loadAuditRows(this.#c.db, id, this.location.display));
  }

  /** Stored scans, oldest first; with `address`, only scans that include that host. */
  listScans(filter: { addresses?: string[]; scheduleId?: number; limit?: number } = {}): Promise<ScanListing[]> {
    return this.#guard('read', async () => {
      let q = this.#c.db.selectFrom('scans').selectAll();
      if (filter.addresses) {
        const addrs = filter.addresses.length ? filter.addresses : [''];
        q = q.where('id', 'in', this.#c.db.selectFrom('hosts').select('scan_id').where('address', 'in', addrs));
      }
      if (filter.scheduleId !== undefined) q = q.where('schedule_id', '=', filter.scheduleId);
      const rows = await q.orderBy('started_at').orderBy('id').execute();
      const list = rows.map(listingFromRow);
      return filter.limit !== undefined ? list.slice(-filter.limit) : list;
    });
  }

  /** One stored scan with every host and port; StoreError when there is no such id. */
  loadScan(id: number): Promise<ScanRecord> {
    return this.#guard('read', async () => {
      const db = this.#c.db;
      const s = await db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
      if (!s) throw new StoreError(`no scan with id ${id} in ${this.location.display} (see portscope history)`);
      const hostIds = db.selectFrom('hosts').select('id').where('scan_id', '=', id);
      const hosts = await db.selectFrom('hosts').selectAll().where('scan_id', '=', id).execute();
      const ports = await db.selectFrom('ports').selectAll().where('host_id', 'in', hostIds).execute();
      const services = await db.selectFrom('services').selectAll().where('host_id', 'in', hostIds).execute();
      return scanFromRows(s, hosts, ports, services);
    });
  }

  /** Addresses stored for a target: the address itself, or hosts stored under that hostname. */
  resolveTarget(target: string): Promise<string[]> {
    return this.#guard('read', async () => {
      const rows = await this.#c.db
        .selectFrom('hosts')
        .select('address')
        .distinct()
        .where((eb) => eb.or([eb('address', '=', target), eb('hostname', '=', target)]))
        .execute();
      return rows.map((r) => r.address).sort();
    });
  }

  /**
   * Every observation of the ports of `address` that were ever in a state that may be open, ordered by
   * port then scan time. Cost grows with scans of the host × such ports, not with the host's closed
   * ports: the partial index `ports_interesting` finds the ports, the primary key fetches each one.
   */
  portObservations(address: string): Promise<PortObservation[]> {
    return this.#guard('read', async () => {
      const db = this.#c.db;
      const hosts = await db.selectFrom('hosts').innerJoin('scans', 'scans.id', 'hosts.scan_id').select(['hosts.id as id', 'hosts.scan_id as scan_id', 'scans.started_at as started_at']).where('hosts.address', '=', address).execute();
      if (hosts.length === 0) return [];
      const byHostId = new Map(hosts.map((h) => [Number(h.id), { scanId: Number(h.scan_id), startedAt: Number(h.started_at) }]));
      const ids = [...byHostId.keys()];
      const out: PortObservation[] = [];
      for (let i = 0; i < ids.length; i += BATCH_ROWS) {
        const chunk = ids.slice(i, i + BATCH_ROWS);
        const interesting = await db
          .selectFrom('ports')
          .select(['protocol', 'port'])
          .distinct()
          .where('host_id', 'in', chunk)
          .where('state', 'in', [...INTERESTING_STATES])
          .execute();
        for (const ip of interesting) {
          if (out.some((o) => o.protocol === ip.protocol && o.port === Number(ip.port))) continue;
          const rows = await db
            .selectFrom('ports')
            .leftJoin('services', (j) => j.onRef('services.host_id', '=', 'ports.host_id').onRef('services.protocol', '=', 'ports.protocol').onRef('services.port', '=', 'ports.port'))
            .select(['ports.host_id as host_id', 'ports.state as state', 'services.name as name'])
            .where('ports.host_id', 'in', ids)
            .where('ports.protocol', '=', ip.protocol)
            .where('ports.port', '=', ip.port)
            .execute();
          for (const r of rows) {
            const h = byHostId.get(Number(r.host_id))!;
            const o: PortObservation = { scanId: h.scanId, startedAt: h.startedAt, address, protocol: ip.protocol, port: Number(ip.port), state: r.state };
            if (r.name !== null) o.service = r.name;
            out.push(o);
          }
        }
      }
      return out.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port || a.startedAt - b.startedAt || a.scanId - b.scanId);
    });
  }

  /** Find the watch schedule with this key, or create it due now. */
  ensureSchedule(s: Omit<ScheduleRecord, 'id' | 'nextRunAt' | 'lastScanId'>, now: number): Promise<ScheduleRecord> {
    return this.#guard('write', () =>
      this.#c.writeTx(async (trx) => {
        const found = await trx.selectFrom('schedules').selectAll().where('key', '=', s.key).executeTakeFirst();
        if (found) {
          if (Number(found.every_ms) !== s.everyMs) {
            // A new interval counts from the last run, not from the old due time.
            await trx.updateTable('schedules').set({ every_ms: s.everyMs }).where('id', '=', found.id).execute();
            found.every_ms = s.everyMs;
          }
          return scheduleFromRow(found);
        }
        const row = await trx
          .insertInto('schedules')
          .values({ key: s.key, targets: JSON.stringify(s.targets), options: JSON.stringify(s.options), every_ms: s.everyMs, next_run_at: now, last_scan_id: null, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        return scheduleFromRow(row);
      }),
    );
  }

  // ---- fleet (issue 14) ----
  /** Store one machine's inside view (and refresh the machine's identity) in one transaction. */
  saveListening(snapshot: ListeningSnapshot): Promise<number> {
    return this.#guard('save the listening sockets to', () => this.#c.writeTx((trx) => insertSnapshot(trx, snapshot)));
  }

  /** The latest inside view of every machine that saved one. */
  latestListening(): Promise<ListeningSnapshot[]> {
    return this.#guard('read', () => latestSnapshots(this.#c.db));
  }

  /** Per address: its latest stored scan and the ports scans since `sinceMs` probed and saw open. */
  outsideViews(addresses: readonly string[], sinceMs: number): Promise<Map<string, OutsideView>> {
    return this.#guard('read', () => outsideViews(this.#c.db, addresses, sinceMs));
  }

  /** The Kysely handle and write transaction, for the distributed-scan tables (src/fleet/). */
  get raw(): { db: Kysely<Database>; writeTx: <T>(fn: (trx: Kysely<Database>) => Promise<T>) => Promise<T>; guard: <T>(what: string, fn: () => Promise<T>) => Promise<T> } {
    return { db: this.#c.db, writeTx: (fn) => this.#c.writeTx(fn), guard: (what, fn) => this.#guard(what, fn) };
  }
  // ---- end fleet ----

  async #guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot ${what} history database ${this.location.display}: ${describeDbError(err)}`);
    }
  }
}
