/**
 * Normal output (-oN and the terminal view), line for line like nmap 7.9x's where users rely on it
 * (https://nmap.org/book/output-formats-normal-output.html): "scan report for", "Host is up (…s latency).",
 * "Not shown: …", the PORT STATE SERVICE [REASON] table, the closing "done" line. "Nmap" becomes
 * "portscope". Additions: wildcard and incomplete-host warnings (see docs/output-formats.md).
 */
import type { HostReport, PortResult, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';
import { hasMaybeOpenPorts, layoutPorts, openCount, type StateGroup } from './port-groups.js';
import { ctimeString, elapsedSeconds, hostCounts, screenTimeString, significantDigits } from './time-format.js';
import { hostLabel, oneLine, portsPerHost } from './text.js';
import { certificateText, hasVersionInfo, serviceLabel, versionText } from './service-text.js';
import type { OutputFactory, OutputOptions, OutputWriter } from './types.js';

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', reset: '\x1b[0m' };

export const normalFormat: OutputFactory = (options) => new NormalWriter(options);

class NormalWriter implements OutputWriter {
  private requested = 0;

  constructor(private readonly o: OutputOptions) {}

  start(start: ScanStart): string {
    this.requested = portsPerHost(start.scanInfo);
    if (this.o.screen) return `Starting portscope ${start.version} at ${screenTimeString(start.startTime)}\n`;
    return `# portscope ${start.version} scan initiated ${ctimeString(start.startTime)} as: ${oneLine(start.args)}\n`;
  }

  host(host: HostReport): string {
    if (host.status !== 'up') return this.downHost(host);
    // nmap --open leaves out hosts without a port that may be open.
    if (this.o.openOnly && !hasMaybeOpenPorts(host)) return '';
    const lines = [`portscope scan report for ${hostLabel(host)}`];
    const user = host.hostnames.find((h) => h.type === 'user');
    const ptr = host.hostnames.find((h) => h.type === 'PTR');
    if (user && ptr && user.name !== ptr.name) lines.push(`rDNS record for ${host.address}: ${oneLine(ptr.name)}`);
    const received = this.o.reason ? `, received ${host.statusReason}` : '';
    const latency = host.srttUs !== undefined && host.srttUs > 0 ? ` (${significantDigits(host.srttUs / 1e6, 2)}s latency)` : '';
    lines.push(`Host is up${received}${latency}.`);
    if (!host.complete) lines.push(this.paint(ANSI.yellow, incompleteLine(host, this.requested)));
    const foldWildcard = this.o.verbose === 0;
    if (host.wildcard) lines.push(this.paint(ANSI.yellow, wildcardLine(host, foldWildcard)));

    const layout = layoutPorts(host, { mode: 'nmap', openOnly: this.o.openOnly, verbose: this.o.verbose, foldWildcardOpen: foldWildcard });
    if (layout.shown.length === 0) {
      if (host.ports.length > 0 && !host.wildcard) lines.push(`All ${host.ports.length} scanned ports on ${hostLabel(host)} are in ignored states.`);
      if (layout.folded.length > 0) lines.push(notShownLine(layout.folded));
    } else {
      lines.push(layout.folded.length > 0 ? notShownLine(layout.folded) : '');
      lines.push(...this.table(layout.shown));
    }
    lines.push('');
    return lines.join('\n') + '\n';
  }

  targetProblem(problem: TargetProblem): string {
    // On screen the CLI already printed it to stderr; in a file it belongs to the record, as nmap writes it.
    return this.o.screen ? '' : `${oneLine(problem.message)}\n`;
  }

  end(summary: ScanSummary): string {
    let out = '';
    if (summary.hostsTotal === 1 && summary.hostsUp === 0 && !summary.interrupted) {
      out += 'Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn\n';
    }
    if (summary.error !== undefined) {
      if (!this.o.screen) out += `Scan stopped early: ${oneLine(summary.error)}; results are partial.\n`;
    } else if (summary.interrupted) {
      out += this.paint(ANSI.yellow, `Scan interrupted (${oneLine(summary.exitMessage ?? 'stopped early')}); results are partial.`) + '\n';
    }
    const tail = `${hostCounts(summary.hostsTotal, summary.hostsUp)} scanned in ${elapsedSeconds(summary.elapsedMs)} seconds`;
    if (this.o.screen) return `${out}portscope done: ${tail}\n`;
    return `${out}# portscope done at ${ctimeString(summary.endTime)} -- ${tail}\n`;
  }

  /** Down hosts appear only with -v, as in nmap: "Nmap scan report for X [host down]". */
  private downHost(host: HostReport): string {
    if (this.o.verbose === 0) return '';
    const received = this.o.reason ? `, received ${host.statusReason}` : '';
    return `portscope scan report for ${hostLabel(host)} [host ${host.status}${received}]\n`;
  }

  private table(ports: PortResult[]): string[] {
    const versions = hasVersionInfo(ports);
    const header = this.o.reason ? ['PORT', 'STATE', 'SERVICE', 'REASON'] : ['PORT', 'STATE', 'SERVICE'];
    if (versions) header.push('VERSION');
    const rows = ports.map((p) => {
      const row = [`${p.port}/${p.protocol}`, p.state, oneLine(serviceLabel(p.service))];
      if (this.o.reason) row.push(p.reason);
      if (versions) row.push(oneLine(versionText(p.service)));
      return row;
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    // nmap pads every column but the last to its widest cell plus one space.
    const render = (cells: string[], colorState: boolean): string =>
      cells
        .map((c, i) => {
          const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]! + 1);
          return colorState && i === 1 ? this.paint(stateColor(c), c) + padded.slice(c.length) : padded;
        })
        .join('');
    const lines = [render(header, false)];
    for (const [i, r] of rows.entries()) {
      lines.push(render(r, true));
      // nmap prints script output under its port with "| " and "|_" prefixes; -sV's TLS and banner facts too.
      if (versions) lines.push(...detailLines(ports[i]!));
    }
    return lines;
  }

  private paint(color: string, text: string): string {
    return this.o.color ? `${color}${text}${ANSI.reset}` : text;
  }
}

function detailLines(p: PortResult): string[] {
  const s = p.service;
  if (!s) return [];
  const items: string[] = [];
  if (s.http?.title) items.push(`http-title: ${oneLine(s.http.title)}`);
  const cert = certificateText(s);
  if (cert) items.push('ssl-cert:', ...cert.split('\n').map((l) => `  ${oneLine(l)}`));
  if (s.banner !== undefined) items.push(`banner: ${oneLine(s.banner)}`);
  return items.map((l, i) => `${i === items.length - 1 ? '|_' : '| '}${l}`);
}

function stateColor(state: string): string {
  if (state === 'open') return ANSI.green;
  if (state === 'closed') return ANSI.red;
  return ANSI.yellow;
}

/** "Not shown: 921 closed tcp ports (conn-refused), 41 filtered tcp ports (no-response)". */
export function notShownLine(groups: StateGroup[]): string {
  const parts: string[] = [];
  for (const g of groups) {
    for (const r of g.reasons) parts.push(`${r.count} ${g.state} ${r.protocol} port${r.count === 1 ? '' : 's'} (${r.reason})`);
  }
  return `Not shown: ${parts.join(', ')}`;
}

function wildcardLine(host: HostReport, folded: boolean): string {
  const probed = host.wildcard?.probed ?? host.ports.length;
  const tail = folded ? '; open ports are not listed individually (-v lists them)' : '';
  return `Wildcard host: ${openCount(host)} of ${probed} probed ports answered open (SYN proxy, CDN or tarpit?)${tail}`;
}

function incompleteLine(host: HostReport, requested: number): string {
  const missing = Math.max(0, requested - host.ports.length);
  const why = host.timedOut ? 'Host timed out (--host-timeout)' : 'Scan of this host was interrupted';
  return `${why}: ${missing} of ${requested} ports not scanned; the results below are partial.`;
}
