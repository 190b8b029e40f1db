/**
 * JSON output (-oJ): one JSON document (json-model.ts), written as the scan goes. `start` writes the head
 * and opens `hosts`, each host appends one line, `end` closes the array and writes `targetProblems` and
 * `summary`, so the file is one valid document after a complete or an interrupted scan alike. Target
 * problems arrive between hosts but belong after them, so they wait in memory (they are few and small).
 */
import type { HostReport, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';
import { JSON_FORMAT_VERSION, type JsonExtraPorts, type JsonHost, type JsonPort, type JsonSummary } from './json-model.js';
import { layoutPorts, openCount } from './port-groups.js';
import { formatPortRanges } from './port-ranges.js';
import type { OutputFactory, OutputWriter } from './types.js';

export const jsonFormat: OutputFactory = () => new JsonWriter();

const iso = (ms: number): string => new Date(ms).toISOString();

class JsonWriter implements OutputWriter {
  private hostsWritten = 0;
  private problems: TargetProblem[] = [];

  start(s: ScanStart): string {
    const head = {
      scanner: s.scanner,
      formatVersion: JSON_FORMAT_VERSION,
      version: s.version,
      args: s.args,
      start: iso(s.startTime),
      scaninfo: s.scanInfo.map((i) => ({ type: i.type, protocol: i.protocol, numServices: i.numServices, services: i.services })),
      verbose: s.verbose,
    };
    // The head object minus its closing brace, then the opening of the hosts array.
    return `${JSON.stringify(head).slice(0, -1)},\n"hosts":[\n`;
  }

  host(host: HostReport): string {
    const line = JSON.stringify(jsonHost(host));
    return this.hostsWritten++ === 0 ? line : `,\n${line}`;
  }

  targetProblem(problem: TargetProblem): string {
    this.problems.push({ spec: problem.spec, message: problem.message });
    return '';
  }

  end(summary: ScanSummary): string {
    const problems = this.problems.length > 0 ? this.problems : summary.targetProblems;
    const s: JsonSummary = {
      start: iso(summary.startTime),
      end: iso(summary.endTime),
      elapsedSeconds: Math.round(summary.elapsedMs) / 1000,
      hostsTotal: summary.hostsTotal,
      hostsUp: summary.hostsUp,
      hostsDown: summary.hostsDown,
      probesSent: summary.probesSent,
      exit: summary.interrupted || summary.error !== undefined ? 'error' : 'success',
      interrupted: summary.interrupted,
    };
    if (summary.exitMessage !== undefined) s.exitMessage = summary.exitMessage;
    if (summary.error !== undefined) s.error = summary.error;
    const list = problems.map((p) => JSON.stringify({ spec: p.spec, message: p.message })).join(',\n');
    return `${this.hostsWritten > 0 ? '\n' : ''}],\n"targetProblems":[${list ? `\n${list}\n` : ''}],\n"summary":${JSON.stringify(s)}}\n`;
  }
}

/** A host in the JSON shape: may-be-open ports listed, every other port in an extraports range. */
export function jsonHost(host: HostReport): JsonHost {
  const layout = layoutPorts(host, { mode: 'non-open', openOnly: false, verbose: 0, foldWildcardOpen: true });
  const ports: JsonPort[] = layout.shown.map((p) => {
    const out: JsonPort = { port: p.port, protocol: p.protocol, state: p.state, reason: p.reason, tries: p.tries };
    if (p.rttUs !== undefined) out.rttUs = p.rttUs;
    if (p.service) out.service = p.service;
    return out;
  });
  const extraports: JsonExtraPorts[] = layout.folded.flatMap((g) => g.reasons.map((r) => ({ state: g.state, protocol: r.protocol, reason: r.reason, count: r.count, ports: formatPortRanges(r.ports) })));
  const out: JsonHost = {
    address: host.address,
    family: host.family,
    hostnames: host.hostnames.map((h) => ({ name: h.name, type: h.type })),
    status: host.status,
    reason: host.statusReason,
    start: iso(host.startTime),
    end: iso(host.endTime),
    complete: host.complete,
    timedOut: host.timedOut,
    ports,
    extraports,
    stats: { ...host.stats },
  };
  if (host.srttUs !== undefined) out.srttUs = host.srttUs;
  if (host.wildcard) out.wildcard = { open: openCount(host), probed: host.wildcard.probed, openRatio: host.wildcard.openRatio };
  return out;
}
