/**
 * Reading scan files for `diff` and `import`: nmap XML (nmap's own or portscope's -oX) and portscope JSON
 * (-oJ). Pure: text in, ScanRecord out, ParseError naming the file and line:column when the text is bad or
 * truncated. Port states of folded ports come from `<extrareasons ports>` (nmap 7.9x, and ours), so every
 * port's state is known when the file carries it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError, parsePortRanges, type PortState, type Protocol } from '../../model/index.js';
import type { HostRecord, PortRecord, ScanRecord } from '../../model/index.js';
import type { JsonScan } from '../../output/json-model.js';
import { jsonErrorOffset } from './json-position.js';

import { expandPorts } from './expand-ports.js';

export function parseScanDocument(text: string, file: string): ScanRecord {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) throw new ParseError(`${file}: empty file, expected nmap XML or portscope JSON`);
  return first === '{' ? parseJson(text, file) : parseXml(text, file);
}

type Attrs = Record<string, string | undefined>;
type Node = Attrs & Record<string, unknown>;

const ARRAYS = new Set(['host', 'port', 'extraports', 'extrareasons', 'address', 'hostname']);

function parseXml(text: string, file: string): ScanRecord {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    if (!/<\/nmaprun>\s*$/.test(text) && /<nmaprun[\s>]/.test(text)) {
      // Truncated (a killed nmap, a partial copy): the place to point at is where the text stops.
      const end = lineCol(text, text.length);
      throw new ParseError(`${file}:${end.line}:${end.col}: truncated XML: the file ends before </nmaprun> (parser: ${msg.replace(/\.$/, '')} at ${line}:${col})`);
    }
    throw new ParseError(`${file}:${line}:${col}: invalid XML: ${msg}`);
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ARRAYS.has(name), parseAttributeValue: false, processEntities: true });
  const doc = parser.parse(text) as { nmaprun?: Node };
  const run = doc.nmaprun;
  if (!run || typeof run !== 'object') throw new ParseError(`${file}:1:1: not an nmap XML file (no <nmaprun> element)`);
  const start = Number(run.start ?? 0) * 1000;
  const finished = ((run.runstats as Node | undefined)?.finished ?? {}) as Attrs;
  const args = run.args ?? '';
  const rec: ScanRecord = {
    startedAt: start,
    endedAt: finished.time ? Number(finished.time) * 1000 : start,
    scanner: args.startsWith('portscope') ? 'portscope' : (run.scanner ?? 'nmap'),
    version: run.version ?? '',
    args,
    source: 'import',
    file,
    interrupted: finished.exit === 'error' || finished.time === undefined,
    hosts: ((run.host as Node[] | undefined) ?? []).map((h) => xmlHost(h, file)),
  };
  return rec;
}

function xmlHost(h: Node, file: string): HostRecord {
  const addrs = (h.address as Attrs[] | undefined) ?? [];
  const ip = addrs.find((a) => a.addrtype === 'ipv4' || a.addrtype === 'ipv6');
  if (!ip?.addr) throw new ParseError(`${file}: a <host> has no IPv4/IPv6 <address>`);
  const status = (h.status ?? {}) as Attrs;
  const ports: PortRecord[] = [];
  const portsNode = (h.ports ?? {}) as Node;
  for (const p of (portsNode.port as Node[] | undefined) ?? []) {
    const st = (p.state ?? {}) as Attrs;
    const rec: PortRecord = { protocol: (p.protocol ?? 'tcp') as Protocol, port: Number(p.portid), state: (st.state ?? 'unknown') as PortState, reason: st.reason ?? '' };
    const sv = p.service as Attrs | undefined;
    if (sv?.name) {
      rec.service = { name: sv.name };
      if (sv.product) rec.service.product = sv.product;
      if (sv.version) rec.service.version = sv.version;
      if (sv.extrainfo) rec.service.extrainfo = sv.extrainfo;
      if (sv.method) rec.service.method = sv.method;
      if (sv.conf) rec.service.conf = Number(sv.conf);
    }
    ports.push(rec);
  }
  const listed = new Set(ports.map((p) => `${p.protocol}/${p.port}`));
  for (const ex of (portsNode.extraports as Node[] | undefined) ?? []) {
    for (const r of (ex.extrareasons as Attrs[] | undefined) ?? []) {
      if (!r.ports) continue; // nmap before 7.80 wrote no port list: those states are unknown
      let numbers: number[];
      try {
        numbers = parsePortRanges(r.ports);
      } catch {
        throw new ParseError(`${file}: host ${ip.addr}: bad port list in <extrareasons ports="${r.ports}">`);
      }
      for (const port of numbers) {
        const proto = (r.proto ?? 'tcp') as Protocol;
        if (!listed.has(`${proto}/${port}`)) ports.push({ protocol: proto, port, state: (ex.state ?? 'unknown') as PortState, reason: r.reason ?? '' });
      }
    }
  }
  ports.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  const hostnames = ((h.hostnames as Node | undefined)?.hostname as Attrs[] | undefined) ?? [];
  const rec: HostRecord = { address: ip.addr, family: ip.addrtype === 'ipv6' ? 6 : 4, status: status.state ?? 'unknown', statusReason: status.reason ?? '', ports };
  if (hostnames[0]?.name) rec.hostname = hostnames[0].name;
  return rec;
}

function parseJson(text: string, file: string): ScanRecord {
  let doc: JsonScan;
  try {
    doc = JSON.parse(text) as JsonScan;
  } catch (err) {
    const pos = jsonErrorOffset(text);
    const { line, col } = lineCol(text, pos);
    const what = pos >= text.length ? 'the file ends early (truncated?)' : `unexpected ${JSON.stringify(text.slice(pos, pos + 12))}`;
    throw new ParseError(`${file}:${line}:${col}: invalid JSON: ${what}`);
  }
  if (doc?.scanner !== 'portscope' || !Array.isArray(doc.hosts)) throw new ParseError(`${file}:1:1: not a portscope JSON scan (no "scanner": "portscope" and "hosts")`);
  return {
    startedAt: Date.parse(doc.start) || 0,
    endedAt: Date.parse(doc.summary?.end ?? doc.start) || 0,
    scanner: 'portscope',
    version: doc.version ?? '',
    args: doc.args ?? '',
    source: 'import',
    file,
    interrupted: doc.summary?.interrupted ?? true,
    hosts: doc.hosts.map((h) => {
      const services = new Map(h.ports.map((p) => [`${p.protocol}/${p.port}`, p.service]));
      const rec: HostRecord = {
        address: h.address,
        family: h.family,
        status: h.status,
        statusReason: h.reason,
        ports: expandPorts(h).map((p) => {
          const r: PortRecord = { ...p };
          const s = services.get(`${p.protocol}/${p.port}`);
          if (s) {
            r.service = { name: s.name, method: s.method, conf: s.conf };
            if (s.product) r.service.product = s.product;
            if (s.version) r.service.version = s.version;
            if (s.extrainfo) r.service.extrainfo = s.extrainfo;
          }
          return r;
        }),
      };
      if (h.hostnames[0]) rec.hostname = h.hostnames[0].name;
      return rec;
    }),
  };
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, col: pos - before.lastIndexOf('\n') };
}
