/** History storage: SQLite or PostgreSQL behind one interface (docs/history.md). */
export { HistoryStore, type PortObservation, type SaveOptions } from './store.js';
export { StoreError } from './errors.js';
export { resolveDbLocation, type DbLocation } from './location.js';
export { hostRecordFromReport, portRecordFromResult, scanRecordFromRun } from './from-report.js';
export { SCHEMA_VERSION } from './migrations.js';
export type { AuditCounts, AuditFindingRecord, AuditListing, AuditRecord, HostRecord, PortRecord, ScanListing, ScanRecord, ScanSource, ScheduleRecord, ServiceRecord } from './types.js';
export { probeSqliteDriver, SQLITE_DRIVERS, type DriverProbe, type SqliteDriverName } from './sqlite-driver.js';
export type { OutsideView } from './fleet-write.js';
export type { Database } from './schema.js';
