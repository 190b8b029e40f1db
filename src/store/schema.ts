/**
 * The history schema as Kysely sees it: one set of tables for SQLite and PostgreSQL (migrations.ts creates
 * them). Times are milliseconds since the epoch (bigint); booleans are 0/1 integers on both backends so that
 * the same queries and row mappers serve both. PostgreSQL's driver returns bigint and count(*) as strings:
 * row mappers pass every number through Number().
 */
import type { Generated } from 'kysely';

export interface ScansTable {
  id: Generated<number>;
  started_at: number;
  ended_at: number;
  scanner: string;
  version: string;
  args: string;
  source: string;
  file: string | null;
  interrupted: number;
  schedule_id: number | null;
  hosts_total: number;
  hosts_up: number;
  open_ports: number;
}

/** `id` is assigned by the writer under the write lock (max + 1), so ports can be inserted without a round trip. */
export interface HostsTable {
  id: number;
  scan_id: number;
  address: string;
  family: number;
  hostname: string | null;
  status: string;
  status_reason: string;
}

/** One row per settled port of a host in a scan, keyed by the host row: compact and append-only. */
export interface PortsTable {
  host_id: number;
  protocol: string;
  port: number;
  state: string;
  reason: string;
}

/** Services of ports that may be open (listing every closed port's table name would double the rows). */
export interface ServicesTable {
  host_id: number;
  protocol: string;
  port: number;
  name: string;
  product: string | null;
  version: string | null;
  extrainfo: string | null;
  method: string | null;
  conf: number | null;
}

export interface SchedulesTable {
  id: Generated<number>;
  key: string;
  targets: string;
  options: string;
  every_ms: number;
  next_run_at: number;
  last_scan_id: number | null;
  created_at: number;
}

/** One stored `portscope audit` run (migration 2). Counts by severity are columns so listings read one row. */
export interface AuditsTable {
  id: Generated<number>;
  started_at: number;
  ended_at: number;
  version: string;
  args: string;
  policy_path: string | null;
  /** sha256 of the policy file's bytes, hex: tells whether two audits judged against the same policy. */
  policy_hash: string | null;
  /** JSON array of the audited hosts (`local`, remote addresses). */
  targets: string;
  /** The outside scan the audit made, stored as a normal scan (null with --no-scan or nothing scanned). */
  scan_id: number | null;
  fail_on: string;
  failed: number;
  total: number;
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  ignored: number;
}

/**
 * One finding of a stored audit; `fingerprint` (the finding's stable id) matches it across runs. The row
 * of model/audit-record.ts's AuditFindingRecord, spelled out on purpose rather than derived from it: this
 * type must match the columns migrations.ts creates, so a new model field should fail to compile in the
 * row mappers (audit-write.ts) instead of silently claiming a column the database does not have.
 */
export interface AuditFindingsTable {
  audit_id: number;
  seq: number;
  fingerprint: string;
  type: string;
  severity: string;
  title: string;
  host: string;
  protocol: string;
  port: number;
  /** The finding's evidence object as JSON. */
  evidence: string;
  /** The remediation object as JSON. */
  remediation: string;
}

export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  scans: ScansTable;
  hosts: HostsTable;
  ports: PortsTable;
  services: ServicesTable;
  schedules: SchedulesTable;
  audits: AuditsTable;
  audit_findings: AuditFindingsTable;
  portscope_schema: SchemaVersionTable;
  // ---- fleet (issue 14) ----
  machines: MachinesTable;
  listening_snapshots: ListeningSnapshotsTable;
  listening_sockets: ListeningSocketsTable;
  dist_scans: DistScansTable;
  dist_shards: DistShardsTable;
  dist_hosts: DistHostsTable;
  dist_ports: DistPortsTable;
  fleet_workers: FleetWorkersTable;
  fleet_meta: FleetMetaTable;
  // ---- end fleet ----
}

// ---- fleet (issue 14): migration 3 ----
/** One machine of the fleet, keyed by its machine-id (/etc/machine-id); hostname and addresses as last seen. */
export interface MachinesTable {
  machine_id: string;
  hostname: string;
  /** JSON array of the machine's non-loopback addresses. */
  addresses: string;
  first_seen: number;
  last_seen: number;
}

/** One saved `portscope listening --save`: the machine's identity at that time. */
export interface ListeningSnapshotsTable {
  id: Generated<number>;
  machine_id: string;
  taken_at: number;
  version: string;
  hostname: string;
  addresses: string;
}

export interface ListeningSocketsTable {
  snapshot_id: number;
  seq: number;
  protocol: string;
  family: number;
  address: string;
  port: number;
  exposure: string;
  /** 1/0 for sockets bound to ::, null otherwise. */
  dual_stack: number | null;
  /** JSON array of {pid, name, user}. */
  processes: string;
  owner: string;
}
// ---- end fleet ----

// ---- distributed scans (issue 14): migration 4, used by src/fleet/ ----
export interface DistScansTable {
  id: Generated<number>;
  created_at: number;
  /** The portscope version that created the scan: only workers of that version take its shards. */
  version: string;
  args: string;
  /** The scan options as JSON (ScanOptions without signal/resolver). */
  options: string;
  shards: number;
  /** JSON array of vantage labels; [""] = any worker. */
  vantages: string;
  /** running, done, cancelled, failed */
  state: string;
  max_rate: number | null;
  max_rate_per_worker: number | null;
  /** The coordinator's current share of max_rate per live worker. */
  rate_per_worker: number | null;
  lease_seconds: number;
  /** JSON of the first shard's ScanStart.scanInfo (the same for every shard). */
  scan_info: string | null;
  ended_at: number | null;
  error: string | null;
  /** JSON object vantage → history scan id, once the merged result is stored as normal scans. */
  history_scan_ids: string | null;
  /** 1: store the merged result as a normal history scan when done (scan --save). */
  save_history: number;
}

export interface DistShardsTable {
  scan_id: number;
  vantage: string;
  idx: number;
  job_id: string;
  /** queued, running, done, failed */
  state: string;
  worker: string | null;
  attempts: number;
  probes: number;
  hosts: number;
  started_at: number | null;
  done_at: number | null;
  error: string | null;
}

/** One host of a distributed scan: the HostReport without its ports, as JSON. */
export interface DistHostsTable {
  scan_id: number;
  vantage: string;
  address: string;
  shard: number;
  report: string;
  status: string;
  worker: string;
}

export interface DistPortsTable {
  scan_id: number;
  vantage: string;
  address: string;
  protocol: string;
  port: number;
  state: string;
  reason: string;
  /** The PortResult as JSON (tries, rtt, service). */
  result: string;
}

export interface FleetWorkersTable {
  id: string;
  hostname: string;
  labels: string;
  version: string;
  pid: number;
  max_rate: number | null;
  started_at: number;
  last_beat: number;
  /** idle, busy, stopped */
  state: string;
  shards_done: number;
  probes: number;
}

export interface FleetMetaTable {
  key: string;
  value: string;
}
// ---- end distributed ----
