// Hand-built scan events for the output format tests. Times are fixed and the zone is UTC so that
// expected lines can be written out exactly.
import type { HostReport, PortReason, PortResult, PortState, ScanStart, ScanSummary } from '../../../src/model/index.js';
import type { OutputFactory, OutputOptions } from '../../../src/output/types.js';

process.env.TZ = 'UTC';

/** 2026-11-25 16:57:32 UTC, a Wednesday. */
export const T0 = Date.UTC(2026, 10, 25, 16, 57, 32);

export const OPTS: OutputOptions = { openOnly: false, reason: false, verbose: 0, color: false };

export function ports(from: number, to: number, state: PortState, reason: PortReason, service?: string): PortResult[] {
  const out: PortResult[] = [];
  for (let p = from; p <= to; p++) {
    const r: PortResult = { protocol: 'tcp', port: p, state, reason, tries: state === 'filtered' ? 3 : 1 };
    if (service) r.service = { name: service, method: 'table', conf: 3 };
    out.push(r);
  }
  return out;
}

export function host(over: Partial<HostReport> = {}): HostReport {
  const base: HostReport = {
    address: '127.0.0.1',
    family: 4,
    hostnames: [{ name: 'localhost', type: 'user' }],
    spec: 'localhost',
    status: 'up',
    statusReason: 'user-set',
    startTime: T0,
    endTime: T0 + 1200,
    srttUs: 96,
    ports: [],
    complete: true,
    timedOut: false,
    stats: { probesSent: 0, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 100 },
  };
  const h = { ...base, ...over };
  h.ports = [...h.ports].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  return h;
}

export function start(over: Partial<ScanStart> = {}): ScanStart {
  return {
    scanner: 'portscope',
    version: '0.1.0',
    args: 'portscope scan -p 1-1000 localhost',
    startTime: T0,
    scanInfo: [{ type: 'connect', protocol: 'tcp', numServices: 1000, services: '1-1000' }],
    verbose: 0,
    ...over,
  };
}

export function summary(over: Partial<ScanSummary> = {}): ScanSummary {
  return {
    startTime: T0,
    endTime: T0 + 1230,
    elapsedMs: 1230,
    hostsTotal: 1,
    hostsUp: 1,
    hostsDown: 0,
    probesSent: 1000,
    interrupted: false,
    targetProblems: [],
    ...over,
  };
}

/** A host with every state and reason a connect scan produces: 22 open, 921 closed, 41+37 filtered. */
export function mixedHost(over: Partial<HostReport> = {}): HostReport {
  return host({
    ports: [
      ...ports(1, 21, 'closed', 'conn-refused'),
      ...ports(22, 22, 'open', 'syn-ack', 'ssh'),
      ...ports(23, 99, 'closed', 'conn-refused'),
      ...ports(100, 140, 'filtered', 'no-response'),
      ...ports(141, 199, 'closed', 'conn-refused'),
      ...ports(200, 205, 'filtered', 'host-unreach'),
      ...ports(206, 299, 'closed', 'conn-refused'),
      ...ports(300, 330, 'filtered', 'host-unreach'),
      ...ports(331, 1000, 'closed', 'conn-refused'),
    ],
    ...over,
  });
}

/** Runs a whole scan through one format and returns the concatenated document. */
export function render(factory: OutputFactory, hosts: HostReport[], opts: Partial<OutputOptions> = {}, sum: Partial<ScanSummary> = {}, st: Partial<ScanStart> = {}): string {
  const w = factory({ ...OPTS, ...opts });
  let out = w.start(start(st));
  for (const h of hosts) out += w.host(h);
  return out + w.end(summary(sum));
}
