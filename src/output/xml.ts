/**
 * XML output (-oX) in nmap's format (https://nmap.org/book/output-formats-xml-output.html), valid against
 * nmap.dtd and read by ndiff and python-libnmap. The DTD declares `scanner (nmap) #REQUIRED`, so a valid
 * document must say scanner="nmap"; our identity is in `args` (our command line), `version` (our version)
 * and the header comment. Every port's state is recoverable: listed in `<port>` or named in an
 * `<extrareasons ports="…">` range. Hosts cut short carry `comment=` (and `timedout="true"` after
 * --host-timeout); an interrupted scan still ends with `<runstats>` and `exit="error"`.
 */
import type { HostReport, PortResult, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';
import { formatPortRanges } from './port-ranges.js';
import { layoutPorts, openCount, type StateGroup } from './port-groups.js';
import { ctimeString, elapsedSeconds, epochSeconds, hostCounts } from './time-format.js';
import { portsPerHost } from './text.js';
import type { OutputFactory, OutputOptions, OutputWriter } from './types.js';
import { xmlAttr, xmlCommentText } from './xml-escape.js';
import { certificateText } from './service-text.js';

/** nmap's XML output version this file follows. */
export const XML_OUTPUT_VERSION = '1.05';

export const xmlFormat: OutputFactory = (options) => new XmlWriter(options);

class XmlWriter implements OutputWriter {
  private requested = 0;

  constructor(private readonly o: OutputOptions) {}

  start(s: ScanStart): string {
    this.requested = portsPerHost(s.scanInfo);
    const when = ctimeString(s.startTime);
    let out = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n';
    out += `<!-- portscope ${xmlCommentText(s.version)} scan initiated ${when} as: ${xmlCommentText(s.args)} -->\n`;
    out += `<nmaprun scanner="nmap" args="${xmlAttr(s.args)}" start="${epochSeconds(s.startTime)}" startstr="${when}" version="${xmlAttr(s.version)}" xmloutputversion="${XML_OUTPUT_VERSION}">\n`;
    for (const i of s.scanInfo) {
      out += `<scaninfo type="${i.type}" protocol="${i.protocol}" numservices="${i.numServices}" services="${xmlAttr(i.services)}"/>\n`;
    }
    out += `<verbose level="${s.verbose}"/>\n<debugging level="0"/>\n`;
    return out;
  }

  host(host: HostReport): string {
    // nmap writes down hosts only with -v; up hosts always, also under --open (ports stay recoverable).
    if (host.status !== 'up' && this.o.verbose === 0) return '';
    let out = `<host starttime="${epochSeconds(host.startTime)}" endtime="${epochSeconds(host.endTime)}"`;
    if (host.timedOut) out += ' timedout="true"';
    const comment = this.hostComment(host);
    if (comment) out += ` comment="${xmlAttr(comment)}"`;
    out += `><status state="${host.status}" reason="${xmlAttr(host.statusReason)}" reason_ttl="0"/>\n`;
    out += `<address addr="${xmlAttr(host.address)}" addrtype="${host.family === 6 ? 'ipv6' : 'ipv4'}"/>\n`;
    out += '<hostnames>\n';
    for (const h of host.hostnames) out += `<hostname name="${xmlAttr(h.name)}" type="${h.type}"/>\n`;
    out += '</hostnames>\n';
    if (host.status === 'up') out += this.ports(host);
    const times = hostTimes(host);
    if (times) out += `${times}\n`;
    return `${out}</host>\n`;
  }

  targetProblem(problem: TargetProblem): string {
    // nmap leaves unresolvable targets out of its XML; a comment keeps the record without new elements.
    return `<!-- ${xmlCommentText(problem.message)} -->\n`;
  }

  end(summary: ScanSummary): string {
    const when = ctimeString(summary.endTime);
    const elapsed = elapsedSeconds(summary.elapsedMs);
    const text = `portscope done at ${when}; ${hostCounts(summary.hostsTotal, summary.hostsUp)} scanned in ${elapsed} seconds`;
    const failed = summary.interrupted || summary.error !== undefined;
    let finished = `<finished time="${epochSeconds(summary.endTime)}" timestr="${when}" summary="${xmlAttr(text)}" elapsed="${elapsed}" exit="${failed ? 'error' : 'success'}"`;
    if (failed) finished += ` errormsg="${xmlAttr(summary.error ?? summary.exitMessage ?? 'interrupted')}"`;
    finished += '/>';
    const hosts = `<hosts up="${summary.hostsUp}" down="${summary.hostsDown}" total="${summary.hostsTotal}"/>`;
    return `<runstats>${finished}${hosts}\n</runstats>\n</nmaprun>\n`;
  }

  private ports(host: HostReport): string {
    const layout = layoutPorts(host, { mode: 'nmap', openOnly: this.o.openOnly, verbose: this.o.verbose, foldWildcardOpen: this.o.verbose === 0 });
    let out = '<ports>';
    for (const g of layout.folded) out += extraPorts(g);
    for (const p of layout.shown) out += `${portElement(p)}\n`;
    return `${out}</ports>\n`;
  }

  private hostComment(host: HostReport): string {
    const notes: string[] = [];
    if (host.wildcard) notes.push(`wildcard host: ${openCount(host)} of ${host.wildcard.probed} probed ports answered open (SYN proxy, CDN or tarpit?)`);
    if (!host.complete && host.status === 'up') {
      const missing = Math.max(0, this.requested - host.ports.length);
      notes.push(`incomplete (${host.timedOut ? 'host timeout' : 'scan interrupted'}): ${missing} of ${this.requested} ports not scanned`);
    }
    return notes.join('; ');
  }
}

function extraPorts(g: StateGroup): string {
  let out = `<extraports state="${xmlAttr(g.state)}" count="${g.count}">\n`;
  for (const r of g.reasons) {
    out += `<extrareasons reason="${xmlAttr(r.reason)}" count="${r.count}" proto="${r.protocol}" ports="${formatPortRanges(r.ports)}"/>\n`;
  }
  return `${out}</extraports>\n`;
}

function portElement(p: PortResult): string {
  const state = `<state state="${xmlAttr(p.state)}" reason="${xmlAttr(p.reason)}" reason_ttl="0"/>`;
  return `<port protocol="${p.protocol}" portid="${p.port}">${state}${serviceElement(p)}${scriptElements(p)}</port>`;
}

/** nmap writes name="unknown" for ports its table does not know; so do we. */
function serviceElement(p: PortResult): string {
  const s = p.service;
  if (!s) return '<service name="unknown" method="table" conf="3"/>';
  let attrs = `name="${xmlAttr(s.name)}"`;
  if (s.product !== undefined) attrs += ` product="${xmlAttr(s.product)}"`;
  if (s.version !== undefined) attrs += ` version="${xmlAttr(s.version)}"`;
  if (s.extrainfo !== undefined) attrs += ` extrainfo="${xmlAttr(s.extrainfo)}"`;
  if (s.tunnel !== undefined) attrs += ` tunnel="${s.tunnel}"`;
  attrs += ` method="${s.method}" conf="${Math.max(0, Math.min(10, Math.round(s.conf)))}"`;
  const cpes = s.cpe ?? [];
  if (cpes.length === 0) return `<service ${attrs}/>`;
  return `<service ${attrs}>${cpes.map((c) => `<cpe>${xmlAttr(c)}</cpe>`).join('')}</service>`;
}

/**
 * -sV facts nmap reports through scripts, as <script id output> elements (the DTD allows script* after
 * service): ssl-cert, http-title, banner. Ids match nmap's scripts of the same content.
 */
function scriptElements(p: PortResult): string {
  const s = p.service;
  if (!s) return '';
  let out = '';
  const cert = certificateText(s);
  if (cert) out += `<script id="ssl-cert" output="${xmlAttr(cert)}"/>`;
  if (s.http?.title) out += `<script id="http-title" output="${xmlAttr(s.http.title)}"/>`;
  if (s.banner !== undefined) out += `<script id="banner" output="${xmlAttr(s.banner)}"/>`;
  return out;
}

/** `<times srtt rttvar to>` in microseconds; left out (optional in the DTD) when no RTT was measured. */
function hostTimes(host: HostReport): string | undefined {
  const rttvar = host.rttvarUs;
  if (host.srttUs === undefined || rttvar === undefined) return undefined;
  return `<times srtt="${Math.round(host.srttUs)}" rttvar="${Math.round(rttvar)}" to="${Math.round(host.stats.timeoutMs * 1000)}"/>`;
}
