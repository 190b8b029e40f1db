/**
 * Per-port timelines over stored scans: when a port was first and last seen open and every change of state
 * between consecutive scans that covered it. Pure: observations in, timelines out.
 */
import { isMaybeOpen } from '../model/index.js';
import type { PortObservation } from '../store/index.js';

export interface Sighting {
  scanId: number;
  at: number;
}

export interface PortTimeline {
  protocol: string;
  port: number;
  /** First and last scan in which the port may have been open (open, open|filtered, unfiltered). */
  firstSeen: Sighting | null;
  lastSeen: Sighting | null;
  /** State in the latest scan of this host that covered the port. */
  current: { state: string; scanId: number; at: number };
  service?: string;
  /** Every change between consecutive scans that covered the port. */
  changes: { scanId: number; at: number; from: string; to: string }[];
  observations: number;
}

/** Timelines from observations sorted by port, then scan time (HistoryStore.portObservations). */
export function buildTimelines(obs: PortObservation[]): PortTimeline[] {
  const out: PortTimeline[] = [];
  let cur: PortTimeline | null = null;
  for (const o of obs) {
    if (!cur || cur.protocol !== o.protocol || cur.port !== o.port) {
      cur = { protocol: o.protocol, port: o.port, firstSeen: null, lastSeen: null, current: { state: o.state, scanId: o.scanId, at: o.startedAt }, changes: [], observations: 0 };
      out.push(cur);
    } else if (cur.current.state !== o.state) {
      cur.changes.push({ scanId: o.scanId, at: o.startedAt, from: cur.current.state, to: o.state });
    }
    cur.observations++;
    cur.current = { state: o.state, scanId: o.scanId, at: o.startedAt };
    if (isMaybeOpen(o.state)) {
      const s = { scanId: o.scanId, at: o.startedAt };
      cur.firstSeen ??= s;
      cur.lastSeen = s;
    }
    if (o.service !== undefined) cur.service = o.service;
  }
  return out;
}
