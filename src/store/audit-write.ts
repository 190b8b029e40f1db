/**
 * Stored audits (migration 2): writing one audit with its findings (and its outside scan, as a normal
 * scan) inside a caller's write transaction, and reading them back. Same queries on SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from 'kysely';
import { StoreError } from './errors.js';
import { BATCH_ROWS, insertScan } from './scan-write.js';
import type { AuditFindingsTable, AuditsTable, Database } from './schema.js';
import type { AuditFindingRecord, AuditListing, AuditRecord } from './types.js';

/** Insert the audit; returns its id and the id of its outside scan, if it had one. */
export async function insertAudit(trx: Kysely<Database>, rec: AuditRecord): Promise<{ id: number; scanId?: number }> {
  const scanId = rec.scan ? await insertScan(trx, rec.scan) : undefined;
  const c = rec.bySeverity;
  const row = await trx
    .insertInto('audits')
    .values({
      started_at: rec.startedAt,
      ended_at: rec.endedAt,
      version: rec.version,
      args: rec.args,
      policy_path: rec.policyPath,
      policy_hash: rec.policyHash,
      targets: JSON.stringify(rec.targets),
      scan_id: scanId ?? null,
      fail_on: rec.failOn,
      failed: rec.failed ? 1 : 0,
      total: rec.findings.length,
      critical: c.critical,
      high: c.high,
      medium: c.medium,
      low: c.low,
      info: c.info,
      ignored: rec.ignored,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  const rows: AuditFindingsTable[] = rec.findings.map((f, seq) => ({
    audit_id: id,
    seq,
    fingerprint: f.fingerprint,
    type: f.type,
    severity: f.severity,
    title: f.title,
    host: f.host,
    protocol: f.protocol,
    port: f.port,
    evidence: JSON.stringify(f.evidence ?? {}),
    remediation: JSON.stringify(f.remediation ?? {}),
  }));
  for (let i = 0; i < rows.length; i += BATCH_ROWS)
    await trx
      .insertInto('audit_findings')
      .values(rows.slice(i, i + BATCH_ROWS))
      .execute();
  return scanId === undefined ? { id } : { id, scanId };
}

/** Stored audits, oldest first. */
export async function listAuditRows(db: Kysely<Database>): Promise<AuditListing[]> {
  const rows = await db.selectFrom('audits').selectAll().orderBy('started_at').orderBy('id').execute();
  return rows.map(auditListingFromRow);
}

/** One audit with its findings in stored order; StoreError naming the id when there is none. */
export async function loadAuditRows(db: Kysely<Database>, id: number, where: string): Promise<AuditRecord> {
  const a = await db.selectFrom('audits').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw new StoreError(`no audit with id ${id} in ${where} (see portscope history --audits)`);
  const findings = await db.selectFrom('audit_findings').selectAll().where('audit_id', '=', id).orderBy('seq').execute();
  const { total: _total, ...listing } = auditListingFromRow(a);
  return { ...listing, findings: findings.map(findingFromRow) };
}

/** PostgreSQL returns bigint as strings: every number goes through Number() (schema.ts). */
function auditListingFromRow(r: Selectable<AuditsTable>): AuditListing {
  const l: AuditListing = {
    id: Number(r.id),
    startedAt: Number(r.started_at),
    endedAt: Number(r.ended_at),
    version: r.version,
    args: r.args,
    policyPath: r.policy_path,
    policyHash: r.policy_hash,
    targets: JSON.parse(r.targets) as string[],
    failOn: r.fail_on,
    failed: Number(r.failed) === 1,
    total: Number(r.total),
    bySeverity: { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low), info: Number(r.info) },
    ignored: Number(r.ignored),
  };
  if (r.scan_id !== null) l.scanId = Number(r.scan_id);
  return l;
}

function findingFromRow(r: Selectable<AuditFindingsTable>): AuditFindingRecord {
  return {
    fingerprint: r.fingerprint,
    type: r.type,
    severity: r.severity,
    title: r.title,
    host: r.host,
    protocol: r.protocol,
    port: Number(r.port),
    evidence: JSON.parse(r.evidence) as unknown,
    remediation: JSON.parse(r.remediation) as unknown,
  };
}
