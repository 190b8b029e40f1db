/** Row ↔ record mapping. PostgreSQL returns bigint and count(*) as strings, hence Number() everywhere. */
import type { Selectable } from 'kysely';
import type { AddressFamily, PortState, Protocol } from '../model/index.js';
import { MAYBE_OPEN_STATES } from '../model/index.js';
import type { HostsTable, PortsTable, ScansTable, SchedulesTable, ServicesTable } from './schema.js';
import type { HostRecord, PortRecord, ScanListing, ScanRecord, ScanSource, ScheduleRecord } from './types.js';

type Row<T> = Selectable<T>;

/** States that mean "something may listen here": the ones nmap lists by name and history follows. */
/** Port states the history indexes: those that may be open (model/port-state.ts). */
export const INTERESTING_STATES: readonly PortState[] = MAYBE_OPEN_STATES;

export function scanToRow(rec: ScanRecord): Omit<Row<ScansTable>, 'id'> {
  let up = 0;
  let open = 0;
  for (const h of rec.hosts) {
    if (h.status === 'up') up++;
    for (const p of h.ports) if (p.state === 'open') open++;
  }
  return {
    started_at: rec.startedAt,
    ended_at: rec.endedAt,
    scanner: rec.scanner,
    version: rec.version,
    args: rec.args,
    source: rec.source,
    file: rec.file ?? null,
    interrupted: rec.interrupted ? 1 : 0,
    schedule_id: rec.scheduleId ?? null,
    hosts_total: rec.hosts.length,
    hosts_up: up,
    open_ports: open,
  };
}

export function listingFromRow(r: Row<ScansTable>): ScanListing {
  const l: ScanListing = {
    id: Number(r.id),
    startedAt: Number(r.started_at),
    endedAt: Number(r.ended_at),
    scanner: r.scanner,
    source: r.source as ScanSource,
    args: r.args,
    hostsTotal: Number(r.hosts_total),
    hostsUp: Number(r.hosts_up),
    openPorts: Number(r.open_ports),
    interrupted: Number(r.interrupted) === 1,
  };
  if (r.file !== null) l.file = r.file;
  if (r.schedule_id !== null) l.scheduleId = Number(r.schedule_id);
  return l;
}

export function scanFromRows(s: Row<ScansTable>, hosts: Row<HostsTable>[], ports: Row<PortsTable>[], services: Row<ServicesTable>[]): ScanRecord {
  const byHost = new Map<number, HostRecord>();
  for (const h of hosts) {
    const rec: HostRecord = { address: h.address, family: Number(h.family) as AddressFamily, status: h.status, statusReason: h.status_reason, ports: [] };
    if (h.hostname !== null) rec.hostname = h.hostname;
    byHost.set(Number(h.id), rec);
  }
  const portIndex = new Map<string, PortRecord>();
  for (const p of ports) {
    const rec: PortRecord = { protocol: p.protocol as Protocol, port: Number(p.port), state: p.state as PortState, reason: p.reason };
    byHost.get(Number(p.host_id))?.ports.push(rec);
    portIndex.set(`${p.host_id} ${p.protocol} ${p.port}`, rec);
  }
  for (const sv of services) {
    const port = portIndex.get(`${sv.host_id} ${sv.protocol} ${sv.port}`);
    if (!port) continue;
    port.service = { name: sv.name };
    if (sv.product !== null) port.service.product = sv.product;
    if (sv.version !== null) port.service.version = sv.version;
    if (sv.extrainfo !== null) port.service.extrainfo = sv.extrainfo;
    if (sv.method !== null) port.service.method = sv.method;
    if (sv.conf !== null) port.service.conf = Number(sv.conf);
  }
  for (const h of byHost.values()) h.ports.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  const listing = listingFromRow(s);
  const rec: ScanRecord = {
    id: listing.id,
    startedAt: listing.startedAt,
    endedAt: listing.endedAt,
    scanner: s.scanner,
    version: s.version,
    args: s.args,
    source: listing.source,
    interrupted: listing.interrupted,
    hosts: [...byHost.values()],
  };
  if (listing.file !== undefined) rec.file = listing.file;
  if (listing.scheduleId !== undefined) rec.scheduleId = listing.scheduleId;
  return rec;
}

export function scheduleFromRow(r: Row<SchedulesTable>): ScheduleRecord {
  const s: ScheduleRecord = {
    id: Number(r.id),
    key: r.key,
    targets: JSON.parse(r.targets) as string[],
    options: JSON.parse(r.options) as Record<string, unknown>,
    everyMs: Number(r.every_ms),
    nextRunAt: Number(r.next_run_at),
  };
  if (r.last_scan_id !== null) s.lastScanId = Number(r.last_scan_id);
  return s;
}
