/**
 * nmap XML (nmap's own -oX or portscope's) → ScanRecord. The text passes input/xml.ts's checks first (no
 * DTD declarations or entities, bounded depth); every value read is checked (addresses, port numbers), so
 * a hostile file is one ParseError naming the file and, where the parser knows it, line:column. Port states
 * of folded ports come from `<extrareasons ports>` (nmap 7.9x, and ours), so every port's state is known
 * when the file carries it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkXmlSafety, decodeXmlReferences, lineCol } from '../../input/xml.js';
import { escapeTerminalText, ParseError, parsePortRanges, type HostRecord, type PortRecord, type PortState, type Protocol, type ScanRecord } from '../../model/index.js';

type Attrs = Record<string, string | undefined>;
type Node = Attrs & Record<string, unknown>;

const ARRAYS = new Set(['host', 'port', 'extraports', 'extrareasons', 'address', 'hostname']);

export function parseNmapXml(text: string, file: string): ScanRecord {
  checkXmlSafety(text, file);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    if (!/<\/nmaprun>\s*$/.test(text) && /<nmaprun[\s>]/.test(text)) {
      // Truncated (a killed nmap, a partial copy): the place to point at is where the text stops.
      const end = lineCol(text, text.length);
      throw new ParseError(`${file}:${end.line}:${end.col}: truncated XML: the file ends before </nmaprun> (parser: ${escapeTerminalText(msg.replace(/\.$/, ''))} at ${line}:${col})`);
    }
    throw new ParseError(`${file}:${line}:${col}: invalid XML: ${escapeTerminalText(msg)}`);
  }
  // References are decoded by decodeXmlReferences only: the parser expands no entity of its own.
  const decode = (_: string, v: unknown): unknown => (typeof v === 'string' ? decodeXmlReferences(v) : v);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ARRAYS.has(name),
    parseAttributeValue: false,
    parseTagValue: false,
    processEntities: false,
    htmlEntities: false,
    attributeValueProcessor: decode,
    tagValueProcessor: decode,
  });
  let doc: { nmaprun?: Node };
  try {
    doc = parser.parse(text) as { nmaprun?: Node };
  } catch (err) {
    // The validator accepted the text yet the parser did not (an unclosed processing instruction, …).
    throw new ParseError(`${file}: invalid XML: ${quoted((err as Error).message)}`);
  }
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
    const rec: PortRecord = { protocol: (p.protocol ?? 'tcp') as Protocol, port: portNumber(p.portid, file, ip.addr), state: (st.state ?? 'unknown') as PortState, reason: st.reason ?? '' };
    const sv = p.service as Attrs | undefined;
    if (sv?.name) {
      rec.service = { name: sv.name };
      if (sv.product) rec.service.product = sv.product;
      if (sv.version) rec.service.version = sv.version;
      if (sv.extrainfo) rec.service.extrainfo = sv.extrainfo;
      if (sv.method) rec.service.method = sv.method;
      if (sv.conf && /^\d{1,2}$/.test(sv.conf)) rec.service.conf = Number(sv.conf);
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
        throw new ParseError(`${file}: host ${quoted(ip.addr)}: bad port list in <extrareasons ports="${quoted(r.ports)}">`);
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

/** `portid` as a port number 0–65535, else one clear error (a port 99999999 is not a port). */
function portNumber(value: unknown, file: string, host: string): number {
  const n = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new ParseError(`${file}: host ${quoted(host)}: <port portid="${quoted(String(value))}"> is not a port number 0-65535`);
  return n;
}

/** File content quoted in a one-line message: escaped and cut to 40 characters. */
function quoted(text: string): string {
  return escapeTerminalText(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
