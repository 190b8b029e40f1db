/**
 * Grepable output (-oG) as nmap writes it (https://nmap.org/book/output-formats-grepable-output.html):
 * one `Host: ADDR (NAME)\tStatus: Up` line and one `Host: ADDR (NAME)\tPorts: …` line per host, each port
 * `port/state/protocol/owner/service/rpc info/version info/`, `Ignored State: closed (N)` when exactly one
 * state was folded (what nmap 7.93 prints; with two folded states it prints none), `#` comments around.
 * Our additions are `#` comment lines (wildcard hosts, interrupted hosts), which grep users skip already.
 */
import type { HostReport, PortResult, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';
import { hasMaybeOpenPorts, layoutPorts, openCount } from './port-groups.js';
import { ctimeString, elapsedSeconds, hostCounts } from './time-format.js';
import { oneLine, portsPerHost, primaryName } from './text.js';
import type { OutputFactory, OutputOptions, OutputWriter } from './types.js';
import { serviceLabel, versionText } from './service-text.js';

export const grepableFormat: OutputFactory = (options) => new GrepableWriter(options);

class GrepableWriter implements OutputWriter {
  private requested = 0;

  constructor(private readonly o: OutputOptions) {}

  start(start: ScanStart): string {
    this.requested = portsPerHost(start.scanInfo);
    return `# portscope ${start.version} scan initiated ${ctimeString(start.startTime)} as: ${oneLine(start.args)}\n`;
  }

  host(host: HostReport): string {
    const prefix = `Host: ${host.address} (${field(primaryName(host) ?? '')})`;
    if (host.status !== 'up') return this.o.verbose > 0 ? `${prefix}\tStatus: ${host.status === 'down' ? 'Down' : 'Skipped'}\n` : '';
    if (this.o.openOnly && !hasMaybeOpenPorts(host)) return '';
    let out = `${prefix}\tStatus: Up\n`;
    const foldWildcard = this.o.verbose === 0;
    if (host.wildcard) {
      out += `# ${host.address}: wildcard host: ${openCount(host)} of ${host.wildcard.probed} probed ports answered open (SYN proxy, CDN or tarpit?)\n`;
    }
    if (host.ports.length > 0) {
      const layout = layoutPorts(host, { mode: 'nmap', openOnly: this.o.openOnly, verbose: this.o.verbose, foldWildcardOpen: foldWildcard });
      out += `${prefix}\tPorts: ${layout.shown.map(portField).join(', ')}`;
      const only = layout.folded.length === 1 ? layout.folded[0] : undefined;
      if (only) out += `\tIgnored State: ${only.state} (${only.count})`;
      out += '\n';
    }
    if (host.timedOut) out += `${prefix}\tStatus: Timeout\n`;
    if (!host.complete) {
      const missing = Math.max(0, this.requested - host.ports.length);
      out += `# ${host.address}: ${host.timedOut ? 'host timed out' : 'scan interrupted'}, ${missing} of ${this.requested} ports not scanned\n`;
    }
    return out;
  }

  targetProblem(problem: TargetProblem): string {
    return `# ${oneLine(problem.message)}\n`;
  }

  end(summary: ScanSummary): string {
    let out = '';
    if (summary.interrupted || summary.error !== undefined) {
      out += `# Scan stopped early (${oneLine(summary.error ?? summary.exitMessage ?? 'interrupted')}); results are partial\n`;
    }
    const tail = `${hostCounts(summary.hostsTotal, summary.hostsUp)} scanned in ${elapsedSeconds(summary.elapsedMs)} seconds`;
    return `${out}# portscope done at ${ctimeString(summary.endTime)} -- ${tail}\n`;
  }
}

/** nmap replaces the field separators `/` and `,` inside a field; we also keep tabs and newlines out. */
function field(text: string): string {
  return oneLine(text).replace(/\//g, '|').replace(/,/g, ' ');
}

function portField(p: PortResult): string {
  // nmap writes a TLS-tunnelled service as "ssl|http" (the "/" separator replaced, as in every field).
  return `${p.port}/${p.state}/${p.protocol}//${field(serviceLabel(p.service))}//${field(versionText(p.service))}/`;
}
