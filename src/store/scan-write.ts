/**
 * Writing one scan's rows inside a caller's write transaction (connect.ts `writeTx`): shared by `saveScan`
 * and `saveAudit` (an audit's outside scan is stored as a normal scan in the audit's transaction).
 */
import type { Kysely } from 'kysely';
import { INTERESTING_STATES, scanToRow } from './rows.js';
import type { Database, PortsTable, ServicesTable } from './schema.js';
import type { ScanRecord } from './types.js';

/** Rows per INSERT: under SQLite's 32,766 bound parameters (sqlite.org/limits.html) and PostgreSQL's 65,535. */
export const BATCH_ROWS = 2000;

/** Insert the scan, its hosts, ports and services; returns the scan id. The caller holds the write lock. */
export async function insertScan(trx: Kysely<Database>, rec: ScanRecord): Promise<number> {
  // The first statement writes, so the write lock is held from the start (connect.ts).
  const row = await trx.insertInto('scans').values(scanToRow(rec)).returning('id').executeTakeFirstOrThrow();
  const scanId = Number(row.id);
  // Host ids: max + 1 under the write lock, which every writer holds (connect.ts), so ids never collide.
  const max = await trx
    .selectFrom('hosts')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  let nextHostId = Number(max?.m ?? 0) + 1;
  const hostIds = rec.hosts.map(() => nextHostId++);
  const hosts = rec.hosts.map((h, i) => ({ id: hostIds[i]!, scan_id: scanId, address: h.address, family: h.family, hostname: h.hostname ?? null, status: h.status, status_reason: h.statusReason }));
  for (let i = 0; i < hosts.length; i += BATCH_ROWS)
    await trx
      .insertInto('hosts')
      .values(hosts.slice(i, i + BATCH_ROWS))
      .execute();
  let ports: PortsTable[] = [];
  let services: ServicesTable[] = [];
  const flush = async (force: boolean): Promise<void> => {
    if (ports.length >= BATCH_ROWS || (force && ports.length)) {
      await trx.insertInto('ports').values(ports).execute();
      ports = [];
    }
    if (services.length >= BATCH_ROWS || (force && services.length)) {
      await trx.insertInto('services').values(services).execute();
      services = [];
    }
  };
  for (const [i, h] of rec.hosts.entries()) {
    const hostId = hostIds[i]!;
    for (const p of h.ports) {
      ports.push({ host_id: hostId, protocol: p.protocol, port: p.port, state: p.state, reason: p.reason });
      const sv = p.service;
      if (sv && (INTERESTING_STATES.includes(p.state) || sv.method === 'probed')) {
        services.push({ host_id: hostId, protocol: p.protocol, port: p.port, name: sv.name, product: sv.product ?? null, version: sv.version ?? null, extrainfo: sv.extrainfo ?? null, method: sv.method ?? null, conf: sv.conf ?? null });
      }
      await flush(false);
    }
  }
  await flush(true);
  return scanId;
}
