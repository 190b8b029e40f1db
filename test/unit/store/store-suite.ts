/**
 * The history store's behaviour, written once and run against every backend: SQLite (store-sqlite.test.ts)
 * and a real PostgreSQL server started by the test (test/lab/store-postgres.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HistoryStore, StoreError, type HostRecord, type ScanRecord } from '../../../src/store/index.js';
import { buildTimelines } from '../../../src/history/timeline.js';

/** Returns a `--db` value naming a new, empty database. */
export type FreshDb = () => Promise<string>;

export function host(address: string, open: number[], closed: number[] = [], extra: Partial<HostRecord> = {}): HostRecord {
  const ports = [
    ...open.map((port) => ({ protocol: 'tcp' as const, port, state: 'open' as const, reason: 'syn-ack', service: { name: `svc${port}`, method: 'table', conf: 3 } })),
    ...closed.map((port) => ({ protocol: 'tcp' as const, port, state: 'closed' as const, reason: 'conn-refused' })),
  ].sort((a, b) => a.port - b.port);
  return { address, family: 4, status: 'up', statusReason: 'user-set', ports, ...extra };
}

export function scanOf(hosts: HostRecord[], startedAt = 1_700_000_000_000, extra: Partial<ScanRecord> = {}): ScanRecord {
  return { startedAt, endedAt: startedAt + 1000, scanner: 'portscope', version: '0.1.0', args: 'portscope scan test', source: 'scan', interrupted: false, hosts, ...extra };
}

async function withStore<T>(fresh: FreshDb, fn: (s: HistoryStore, db: string) => Promise<T>): Promise<T> {
  const db = await fresh();
  const s = await HistoryStore.open(db, {});
  try {
    return await fn(s, db);
  } finally {
    await s.close();
  }
}

export function storeSuite(backend: string, fresh: FreshDb, options: { skip?: string | false } = {}): void {
  const t = (name: string, fn: () => Promise<void>): void => void test(`${backend}: ${name}`, { skip: options.skip ?? false }, fn);

  t('a saved scan loads back with every host, port state, reason and service', async () => {
    await withStore(fresh, async (s) => {
      const rec = scanOf([host('192.0.2.1', [22, 80], [23, 81]), host('192.0.2.2', [], [22]), { ...host('192.0.2.3', []), status: 'down', statusReason: 'no-response' }]);
      rec.hosts[0]!.hostname = 'web.example';
      rec.hosts[0]!.ports[0]!.service = { name: 'ssh', product: 'OpenSSH', version: '9.2p1', extrainfo: 'Debian', method: 'probed', conf: 10 };
      const id = await s.saveScan(rec);
      const back = await s.loadScan(id);
      assert.equal(back.id, id);
      assert.deepEqual(
        back.hosts.map((h) => [h.address, h.status, h.hostname]),
        [
          ['192.0.2.1', 'up', 'web.example'],
          ['192.0.2.2', 'up', undefined],
          ['192.0.2.3', 'down', undefined],
        ],
      );
      assert.deepEqual(
        back.hosts[0]!.ports.map((p) => `${p.port}/${p.state}/${p.reason}`),
        ['22/open/syn-ack', '23/closed/conn-refused', '80/open/syn-ack', '81/closed/conn-refused'],
      );
      assert.deepEqual(back.hosts[0]!.ports[0]!.service, { name: 'ssh', product: 'OpenSSH', version: '9.2p1', extrainfo: 'Debian', method: 'probed', conf: 10 });
      assert.equal(back.hosts[0]!.ports[2]!.service?.name, 'svc80');
      assert.equal(back.startedAt, rec.startedAt);
      assert.equal(back.interrupted, false);
    });
  });

  t('scans are listed oldest first with their ids, host counts and open ports', async () => {
    await withStore(fresh, async (s) => {
      const a = await s.saveScan(scanOf([host('192.0.2.1', [22])], 2000));
      const b = await s.saveScan(scanOf([host('192.0.2.1', [22, 80]), host('192.0.2.9', [])], 1000, { source: 'import', file: 'old.xml' }));
      const list = await s.listScans();
      assert.deepEqual(
        list.map((l) => [l.id, l.source, l.hostsTotal, l.hostsUp, l.openPorts, l.file]),
        [
          [b, 'import', 2, 2, 2, 'old.xml'],
          [a, 'scan', 1, 1, 1, undefined],
        ],
      );
      assert.deepEqual(
        (await s.listScans({ addresses: ['192.0.2.9'] })).map((l) => l.id),
        [b],
      );
    });
  });

  t('loading an id that does not exist is a StoreError naming the id', async () => {
    await withStore(fresh, async (s) => {
      await assert.rejects(s.loadScan(4242), (e: unknown) => e instanceof StoreError && /no scan with id 4242/.test(e.message));
    });
  });

  t('a save that fails half-way leaves no trace of that scan', async () => {
    await withStore(fresh, async (s) => {
      const good = await s.saveScan(scanOf([host('192.0.2.1', [22])]));
      const bad = scanOf([host('192.0.2.1', [22]), host('192.0.2.2', [80])]);
      bad.hosts[1]!.ports.push({ ...bad.hosts[1]!.ports[0]! }); // the same port twice: the primary key refuses it
      await assert.rejects(s.saveScan(bad), StoreError);
      assert.deepEqual(
        (await s.listScans()).map((l) => l.id),
        [good],
      );
      assert.deepEqual(await s.resolveTarget('192.0.2.2'), []);
      const next = await s.saveScan(scanOf([host('192.0.2.2', [80])]));
      assert.equal((await s.loadScan(next)).hosts[0]!.ports.length, 1);
    });
  });

  t('history of a host: first and last seen open and every state change, ports never open left out', async () => {
    await withStore(fresh, async (s) => {
      const ids: number[] = [];
      ids.push(await s.saveScan(scanOf([host('192.0.2.1', [22], [80, 443])], 1000)));
      ids.push(await s.saveScan(scanOf([host('192.0.2.1', [22, 80], [443])], 2000)));
      ids.push(await s.saveScan(scanOf([host('192.0.2.1', [22], [80, 443]), host('192.0.2.7', [80])], 3000)));
      ids.push(await s.saveScan(scanOf([host('192.0.2.1', [22, 80], [443])], 4000)));
      const tl = buildTimelines(await s.portObservations('192.0.2.1'));
      assert.deepEqual(
        tl.map((p) => p.port),
        [22, 80],
      );
      const [ssh, http] = tl;
      assert.deepEqual([ssh!.firstSeen?.scanId, ssh!.lastSeen?.scanId, ssh!.changes.length, ssh!.observations], [ids[0], ids[3], 0, 4]);
      assert.deepEqual([http!.firstSeen?.scanId, http!.lastSeen?.scanId, http!.current.state], [ids[1], ids[3], 'open']);
      assert.deepEqual(
        http!.changes.map((c) => `${c.scanId}:${c.from}->${c.to}`),
        [`${ids[1]}:closed->open`, `${ids[2]}:open->closed`, `${ids[3]}:closed->open`],
      );
      assert.deepEqual(await s.portObservations('192.0.2.99'), []);
    });
  });

  t('a target resolves to stored addresses by address or stored hostname', async () => {
    await withStore(fresh, async (s) => {
      await s.saveScan(scanOf([host('192.0.2.1', [22], [], { hostname: 'a.example' }), host('192.0.2.2', [22], [], { hostname: 'a.example' })]));
      assert.deepEqual(await s.resolveTarget('a.example'), ['192.0.2.1', '192.0.2.2']);
      assert.deepEqual(await s.resolveTarget('192.0.2.2'), ['192.0.2.2']);
      assert.deepEqual(await s.resolveTarget('b.example'), []);
    });
  });

  t('a watch schedule is found again by its key and moves forward with the scan that ran it', async () => {
    await withStore(fresh, async (s, db) => {
      const sch = await s.ensureSchedule({ key: 'k1', targets: ['192.0.2.1'], options: { ports: '22' }, everyMs: 60_000 }, 5000);
      assert.equal(sch.nextRunAt, 5000);
      assert.equal(sch.lastScanId, undefined);
      const id = await s.saveScan(scanOf([host('192.0.2.1', [22])], 5000, { source: 'watch', scheduleId: sch.id }), { schedule: { id: sch.id, nextRunAt: 65_000 } });
      const again = await HistoryStore.open(db, {});
      try {
        const same = await again.ensureSchedule({ key: 'k1', targets: ['192.0.2.1'], options: { ports: '22' }, everyMs: 30_000 }, 9000);
        assert.deepEqual([same.id, same.lastScanId, same.nextRunAt, same.everyMs, same.options], [sch.id, id, 65_000, 30_000, { ports: '22' }]);
        const other = await again.ensureSchedule({ key: 'k2', targets: ['192.0.2.2'], options: {}, everyMs: 1000 }, 9000);
        assert.notEqual(other.id, sch.id);
        assert.deepEqual(
          (await again.listScans({ scheduleId: sch.id })).map((l) => l.id),
          [id],
        );
      } finally {
        await again.close();
      }
    });
  });

  t('two stores on one database saving at the same time lose nothing', async () => {
    await withStore(fresh, async (s1, db) => {
      const s2 = await HistoryStore.open(db, {});
      try {
        const jobs: Promise<number>[] = [];
        for (let i = 0; i < 10; i++) {
          jobs.push(s1.saveScan(scanOf([host(`192.0.2.${i + 1}`, [22], [80])], 1000 + i)));
          jobs.push(s2.saveScan(scanOf([host(`198.51.100.${i + 1}`, [443], [80])], 1000 + i)));
        }
        const ids = await Promise.all(jobs);
        assert.equal(new Set(ids).size, 20);
        for (const id of ids) assert.equal((await s1.loadScan(id)).hosts[0]!.ports.length, 2);
      } finally {
        await s2.close();
      }
    });
  });

  t('reopening a database applies no migration twice, and a newer schema is refused', async () => {
    await withStore(fresh, async (s, db) => {
      await s.saveScan(scanOf([host('192.0.2.1', [22])]));
      const again = await HistoryStore.open(db, {});
      assert.equal((await again.listScans()).length, 1);
      await again.close();
      // Simulate a database written by a future portscope.
      const { sql } = await import('kysely');
      await rawExec(db, sql`insert into portscope_schema (version, name, applied_at) values (999, 'future', 0)`);
      await assert.rejects(HistoryStore.open(db, {}), (e: unknown) => e instanceof StoreError && /schema version 999, newer than this portscope supports/.test(e.message));
    });
  });
}

/** Run one raw statement on a database by its `--db` value (tests only). */
async function rawExec(db: string, query: import('kysely').RawBuilder<unknown>): Promise<void> {
  const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely');
  let k: import('kysely').Kysely<unknown>;
  if (db.startsWith('postgres')) {
    const pg = (await import('pg')).default;
    k = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db, max: 1 }) }) });
  } else {
    const Sqlite = (await import('better-sqlite3')).default;
    k = new Kysely({ dialect: new SqliteDialect({ database: new Sqlite(db) }) });
  }
  try {
    await query.execute(k);
  } finally {
    await k.destroy();
  }
}
