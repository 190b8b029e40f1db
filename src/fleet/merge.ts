/**
 * The merged result of a distributed scan, per vantage: the same start/host/end events a local scan yields
 * (so every output format renders it unchanged), and the per-vantage differences of --from-workers.
 */
import type { Kysely } from 'kysely';
import type { HostReport, ScanInfo, ScanStart, ScanSummary } from '../model/index.js';
import type { Database } from '../store/index.js';
import { loadHosts, sampleMergedHosts } from './results.js';
import type { DistScanRow } from './rows.js';

export interface MergedScan {
  vantage: string;
  start: ScanStart;
  hosts: HostReport[];
  summary: ScanSummary;
}

export async function mergedScan(db: Kysely<Database>, row: DistScanRow, vantage: string): Promise<MergedScan> {
  const hosts = await loadHosts(db, Number(row.id), vantage);
  const probes = await db
    .selectFrom('dist_shards')
    .select((eb) => eb.fn.sum<string>('probes').as('p'))
    .where('scan_id', '=', Number(row.id))
    .where('vantage', '=', vantage)
    .executeTakeFirst();
  const startTime = Number(row.created_at);
  const endTime = row.ended_at === null ? Date.now() : Number(row.ended_at);
  const up = hosts.filter((h) => h.status === 'up').length;
  const start: ScanStart = { scanner: 'portscope', version: row.version, args: row.args, startTime, scanInfo: row.scan_info ? (JSON.parse(row.scan_info) as ScanInfo[]) : [], verbose: 0 };
  const summary: ScanSummary = {
    startTime,
    endTime,
    elapsedMs: endTime - startTime,
    hostsTotal: hosts.length,
    hostsUp: up,
    hostsDown: hosts.length - up,
    probesSent: Number(probes?.p ?? 0),
    interrupted: row.state !== 'done',
    targetProblems: [],
  };
  if (row.state === 'cancelled') summary.exitMessage = 'Cancelled';
  if (row.state === 'failed' && row.error) summary.error = row.error;
  return { vantage, start, hosts, summary };
}

/** A small synthetic merged scan through the real merge code (results.ts sampleMergedHosts), to warm up the merge and the writers. */
export function sampleMergedScan(): MergedScan {
  const hosts = sampleMergedHosts();
  const start: ScanStart = { scanner: 'portscope', version: '0', args: '', startTime: 0, scanInfo: [], verbose: 0 };
  const summary: ScanSummary = { startTime: 0, endTime: 1, elapsedMs: 1, hostsTotal: hosts.length, hostsUp: hosts.length, hostsDown: 0, probesSent: 0, interrupted: false, targetProblems: [] };
  return { vantage: '', start, hosts, summary };
}

export interface VantageDifference {
  address: string;
  protocol: string;
  port: number;
  /** vantage label → state ('' when the vantage has no result for the port). */
  states: Record<string, string>;
}

/** Ports whose state differs between vantages (a port open from inside, filtered from outside). */
export function vantageDifferences(scans: MergedScan[]): VantageDifference[] {
  const keys = new Map<string, { address: string; protocol: string; port: number }>();
  const state = new Map<string, Map<string, string>>();
  for (const s of scans) {
    const m = new Map<string, string>();
    for (const h of s.hosts) {
      for (const p of h.ports) {
        const k = `${h.address} ${p.protocol} ${p.port}`;
        keys.set(k, { address: h.address, protocol: p.protocol, port: p.port });
        m.set(k, p.state);
      }
    }
    state.set(s.vantage, m);
  }
  const out: VantageDifference[] = [];
  for (const [k, where] of keys) {
    const states: Record<string, string> = {};
    for (const s of scans) states[s.vantage] = state.get(s.vantage)!.get(k) ?? '';
    if (new Set(Object.values(states)).size > 1) out.push({ ...where, states });
  }
  return out;
}
