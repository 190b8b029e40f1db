/**
 * Stored audits (migration 2), written once and run on every backend with the store suite: SQLite
 * (store-sqlite.test.ts) and a real PostgreSQL (test/lab/store-postgres.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { HistoryStore, StoreError, type AuditFindingRecord, type AuditRecord } from '../../../src/store/index.js';
import { migrate } from '../../../src/store/migrations.js';
import type { Database } from '../../../src/store/schema.js';
import { insertScan } from '../../../src/store/scan-write.js';
import { host, scanOf, type FreshDb } from './store-suite.js';

export function finding(fingerprint: string, severity = 'high', port = 8080): AuditFindingRecord {
  return {
    fingerprint,
    type: 'open-not-allowed',
    severity,
    title: `tcp/${port} is listening but not in the policy`,
    host: 'local',
    protocol: 'tcp',
    port,
    evidence: { sockets: [{ protocol: 'tcp', address: '0.0.0.0', port, exposure: 'all-interfaces' }], processes: [{ pid: 42, name: 'node', command: 'node x.js', user: 'root' }], scan: [] },
    remediation: { summary: 'stop it', steps: ['systemctl stop x'] },
  };
}

export function auditOf(findings: AuditFindingRecord[], startedAt = 1_700_000_000_000, extra: Partial<AuditRecord> = {}): AuditRecord {
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity as keyof typeof bySeverity]++;
  return {
    startedAt,
    endedAt: startedAt + 500,
    version: '0.1.0',
    args: 'portscope audit --save',
    policyPath: 'p.yaml',
    policyHash: 'ab'.repeat(32),
    targets: ['local'],
    failOn: 'low',
    failed: findings.length > 0,
    bySeverity,
    ignored: 1,
    findings,
    ...extra,
  };
}

/** A Kysely on a database by its `--db` value, without HistoryStore (tests build old schemas with it). */
export async function rawKysely(db: string): Promise<Kysely<Database>> {
  const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely');
  if (db.startsWith('postgres')) {
    const pg = (await import('pg')).default;
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db, max: 1 }) }) });
  }
  const Sqlite = (await import('better-sqlite3')).default;
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(db) }) });
}

export function auditSuite(backend: string, fresh: FreshDb, options: { skip?: string | false } = {}): void {
  const t = (name: string, fn: () => Promise<void>): void => void test(`${backend}: ${name}`, { skip: options.skip ?? false }, fn);

  t('an audit is stored with its findings, evidence, counts and its outside scan as a linked normal scan', async () => {
    const s = await HistoryStore.open(await fresh(), {});
    try {
      const scan = scanOf([host('192.0.2.1', [8080], [22])], 1_700_000_000_000, { args: 'portscope audit --save' });
      const rec = auditOf([finding('open-not-allowed:local:tcp:8080'), finding('open-not-allowed:local:tcp:9000', 'low', 9000)], 1_700_000_000_000, { scan });
      const saved = await s.saveAudit(rec);
      assert.equal(typeof saved.scanId, 'number');
      const back = await s.loadAudit(saved.id);
      assert.deepEqual([back.id, back.scanId, back.policyPath, back.policyHash, back.targets, back.failed, back.ignored], [saved.id, saved.scanId, 'p.yaml', 'ab'.repeat(32), ['local'], true, 1]);
      assert.deepEqual(back.bySeverity, { critical: 0, high: 1, medium: 0, low: 1, info: 0 });
      assert.deepEqual(back.findings, rec.findings);
      const linked = await s.loadScan(saved.scanId!);
      assert.deepEqual(
        linked.hosts[0]!.ports.map((p) => `${p.port}/${p.state}`),
        ['22/closed', '8080/open'],
      );
      assert.deepEqual(
        (await s.listScans()).map((l) => l.id),
        [saved.scanId],
      );
    } finally {
      await s.close();
    }
  });

  t('audits are listed oldest first with counts; an audit without a scan has no scan id', async () => {
    const s = await HistoryStore.open(await fresh(), {});
    try {
      const late = await s.saveAudit(auditOf([finding('a'), finding('b', 'critical')], 5000));
      const early = await s.saveAudit(auditOf([], 1000, { policyPath: null, policyHash: null, failed: false, targets: ['local', '192.0.2.9'] }));
      const list = await s.listAudits();
      assert.deepEqual(
        list.map((a) => [a.id, a.total, a.bySeverity.critical, a.bySeverity.high, a.failed, a.policyPath, a.scanId]),
        [
          [early.id, 0, 0, 0, false, null, undefined],
          [late.id, 2, 1, 1, true, 'p.yaml', undefined],
        ],
      );
      assert.deepEqual(list[0]!.targets, ['local', '192.0.2.9']);
      assert.equal(early.scanId, undefined);
      assert.deepEqual(await s.listScans(), []);
    } finally {
      await s.close();
    }
  });

  t('loading an audit id that does not exist is a StoreError naming the id', async () => {
    const s = await HistoryStore.open(await fresh(), {});
    try {
      await assert.rejects(s.loadAudit(77), (e: unknown) => e instanceof StoreError && /no audit with id 77 .*history --audits/.test(e.message));
    } finally {
      await s.close();
    }
  });

  t('an audit whose save fails half-way leaves neither the audit nor its scan', async () => {
    const s = await HistoryStore.open(await fresh(), {});
    try {
      const bad = scanOf([host('192.0.2.1', [80])]);
      bad.hosts[0]!.ports.push({ ...bad.hosts[0]!.ports[0]! }); // the same port twice: the primary key refuses it
      await assert.rejects(s.saveAudit(auditOf([finding('x')], 1000, { scan: bad })), (e: unknown) => e instanceof StoreError && /cannot save the audit to/.test(e.message));
      assert.deepEqual(await s.listAudits(), []);
      assert.deepEqual(await s.listScans(), []);
    } finally {
      await s.close();
    }
  });

  t('a database of schema version 1 with scans is migrated to version 2 and its scans survive', async () => {
    const db = await fresh();
    const k = await rawKysely(db);
    let oldId: number;
    try {
      const lock = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => k.transaction().execute(fn);
      const dialect = db.startsWith('postgres') ? 'postgres' : 'sqlite';
      await migrate(k, dialect, lock, db, 1);
      const versions = await k.selectFrom('portscope_schema').select('version').execute();
      assert.deepEqual(
        versions.map((v) => Number(v.version)),
        [1],
      );
      oldId = await lock((trx) => insertScan(trx, scanOf([host('192.0.2.1', [22, 80], [23])], 1000)));
    } finally {
      await k.destroy();
    }
    const s = await HistoryStore.open(db, {});
    try {
      const back = await s.loadScan(oldId);
      assert.deepEqual(
        back.hosts[0]!.ports.map((p) => `${p.port}/${p.state}/${p.service?.name ?? ''}`),
        ['22/open/svc22', '23/closed/', '80/open/svc80'],
      );
      const a = await s.saveAudit(auditOf([finding('f')], 2000, { scan: scanOf([host('192.0.2.1', [22])], 2000) }));
      assert.equal((await s.loadAudit(a.id)).findings.length, 1);
      assert.deepEqual(
        (await s.listScans()).map((l) => l.id),
        [oldId, a.scanId],
      );
    } finally {
      await s.close();
    }
    const k2 = await rawKysely(db);
    try {
      const versions = await k2.selectFrom('portscope_schema').select(['version', 'name']).orderBy('version').execute();
      assert.deepEqual(versions.map((v) => `${v.version} ${v.name}`).slice(0, 2), ['1 scans, hosts, ports, services, schedules', '2 audits, audit_findings']);
    } finally {
      await k2.destroy();
    }
  });
}
