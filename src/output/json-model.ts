/**
 * The JSON output's document shape (-oJ), version 1. Field names are stable: new optional fields may be
 * added within a format version, nothing is renamed or removed (docs/output-formats.md,
 * docs/schema/scan.schema.json).
 */
import type { AddressFamily, HostStats, HostStatus, PortReason, PortState, Protocol, ScanInfo, ServiceInfo } from '../model/index.js';

export const JSON_FORMAT_VERSION = 1;

export interface JsonScan {
  scanner: 'portscope';
  formatVersion: number;
  version: string;
  args: string;
  /** ISO 8601 UTC. */
  start: string;
  scaninfo: ScanInfo[];
  verbose: number;
  hosts: JsonHost[];
  targetProblems: { spec: string; message: string }[];
  summary: JsonSummary;
}

export interface JsonHost {
  address: string;
  family: AddressFamily;
  hostnames: { name: string; type: 'user' | 'PTR' }[];
  status: HostStatus;
  reason: string;
  start: string;
  end: string;
  srttUs?: number;
  /** False when the host's scan was cut short: ports not in `ports` or `extraports` were not settled. */
  complete: boolean;
  timedOut: boolean;
  wildcard?: { open: number; probed: number; openRatio: number };
  /** Ports listed one by one: every port whose state may be open (open, open|filtered, unfiltered). */
  ports: JsonPort[];
  /** Every other port, grouped by state, protocol and reason, with the port numbers as ranges. */
  extraports: JsonExtraPorts[];
  stats: HostStats;
}

export interface JsonPort {
  port: number;
  protocol: Protocol;
  state: PortState;
  reason: PortReason;
  tries: number;
  rttUs?: number;
  service?: ServiceInfo;
}

export interface JsonExtraPorts {
  state: PortState;
  protocol: Protocol;
  reason: PortReason;
  count: number;
  /** `1-21,23-99`: ascending ranges, as nmap's extrareasons `ports`. */
  ports: string;
}

export interface JsonSummary {
  start: string;
  end: string;
  elapsedSeconds: number;
  hostsTotal: number;
  hostsUp: number;
  hostsDown: number;
  probesSent: number;
  exit: 'success' | 'error';
  interrupted: boolean;
  exitMessage?: string;
  error?: string;
}
