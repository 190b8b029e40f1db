import { expandPorts } from '../../helpers/netlab/index.js';
import type { Observed } from './read-xml.js';

export interface JsonHostView {
  address: string;
  status: string;
  complete: boolean;
  wildcard?: { open: number; probed: number; openRatio: number };
  /** Every port: `ports` (listed one by one) plus `extraports` groups (ranges), as docs/output-formats.md says. */
  ports: Map<number, Observed>;
}

interface RawHost {
  address: string;
  status: string;
  complete: boolean;
  wildcard?: JsonHostView['wildcard'];
  ports: { port: number; state: string; reason: string }[];
  extraports: { state: string; reason: string; count: number; ports: string }[];
}

/** Parse a portscope -oJ document (throws on invalid JSON) and recover every port's state per host. */
export function readJsonHosts(text: string): JsonHostView[] {
  return readJsonDoc(text).hosts.map((h) => {
    const ports = new Map<number, Observed>();
    const put = (port: number, o: Observed): void => {
      if (ports.has(port)) throw new Error(`${h.address}: port ${port} appears twice in JSON`);
      ports.set(port, o);
    };
    for (const p of h.ports) put(p.port, { state: p.state, reason: p.reason });
    for (const g of h.extraports) {
      const list = expandPorts(g.ports);
      if (list.length !== g.count) throw new Error(`${h.address}: extraports count ${g.count} but ${list.length} ports listed`);
      for (const port of list) put(port, { state: g.state, reason: g.reason });
    }
    const view: JsonHostView = { address: h.address, status: h.status, complete: h.complete, ports };
    if (h.wildcard) view.wildcard = h.wildcard;
    return view;
  });
}

export interface JsonDoc {
  hosts: RawHost[];
  targetProblems: { spec: string; message: string }[];
  summary: { interrupted: boolean; exit: string; exitMessage?: string };
}

export function readJsonDoc(text: string): JsonDoc {
  return JSON.parse(text) as JsonDoc;
}
