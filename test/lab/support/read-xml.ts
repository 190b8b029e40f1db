import { XMLParser } from 'fast-xml-parser';
import { expandPorts } from '../../helpers/netlab/index.js';

export interface Observed {
  state: string;
  reason: string;
}

export interface XmlHost {
  address: string;
  status: string;
  comment?: string;
  /** Every port whose state the XML records: <port> elements plus <extraports>/<extrareasons ports="…">. */
  ports: Map<number, Observed>;
}

const ARRAYS = new Set(['host', 'port', 'extraports', 'extrareasons', 'address', 'hostname']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ARRAYS.has(name) });

type Attrs = Record<string, string | undefined>;

/**
 * Read an nmap-format XML document the way a consumer must: listed ports, and the ports folded into
 * <extraports> recovered from nmap's `<extrareasons ports="…">` attribute (nmap ≥ 7.90 writes it).
 */
export function readXmlHosts(xml: string): XmlHost[] {
  const doc = parser.parse(xml) as { nmaprun?: { host?: unknown[] } };
  if (!doc.nmaprun) throw new Error('not an nmaprun document');
  return (doc.nmaprun.host ?? []).map((h) => {
    const host = h as { address: Attrs[]; status: Attrs; comment?: unknown; ports?: { port?: PortEl[]; extraports?: ExtraEl[] } };
    const ports = new Map<number, Observed>();
    for (const p of host.ports?.port ?? []) {
      const port = Number(p.portid);
      if (ports.has(port)) throw new Error(`port ${port} listed twice`);
      ports.set(port, { state: p.state.state ?? '', reason: p.state.reason ?? '' });
    }
    for (const e of host.ports?.extraports ?? []) {
      for (const r of e.extrareasons ?? []) {
        for (const port of expandPorts(r.ports ?? '')) {
          if (ports.has(port)) throw new Error(`port ${port} both listed and in extraports`);
          ports.set(port, { state: e.state ?? '', reason: r.reason ?? '' });
        }
      }
    }
    const out: XmlHost = { address: host.address.find((a) => a.addrtype !== 'mac')?.addr ?? '', status: host.status.state ?? '', ports };
    if (typeof host.comment === 'string') out.comment = host.comment;
    return out;
  });
}

type PortEl = { portid?: string; state: Attrs };
type ExtraEl = { state?: string; extrareasons?: Attrs[] };
