import { addrToBig, Evaluator, firewalldManages, localAddressTest, predictState, type Packet } from '../firewall/index.js';
import { defaultInputInterface, localAddresses, reversePathAnySource, reversePathOk } from '../local/firewall-read.js';
import { systemdUnitOf } from '../local/linux/systemd-unit.js';
import { OptionError, type ExplainedPort, type ExplainResult, type ListeningSocket, type PortRecord } from '../model/index.js';
import { scanFileMaxBytes } from '../input/limits.js';
import { readBoundedText } from '../input/read-bounded.js';

export type { ExplainedPort, ExplainedProcess, ExplainResult } from '../model/index.js';
import { rulesetFromFile, rulesetFromHost } from './firewall-source.js';
import { listening } from './listening.js';

export interface ExplainOptions {
  /** Ports to explain besides every listening socket (-p). */
  ports?: number[];
  /** UDP (-sU); with `tcp` too, both (-sTU). Default: TCP only. */
  udp?: boolean;
  tcp?: boolean;
  /** Source address(es) of the connection (--from), at most one per family; they restrict the rows to
   * their families. */
  from?: string | string[];
  /** Input interface (--iface); default: the default route's interface. */
  iface?: string;
  /** Read the ruleset from this file instead of the host (--ruleset). */
  rulesetFile?: string;
  /** A scan of this host (nmap XML or portscope JSON): observed states to compare (--scan). */
  scanFile?: string;
  /** Explain only the -p ports, not every listening socket. */
  onlyPorts?: boolean;
}

const familyName = (f: 4 | 6): 'ipv4' | 'ipv6' => (f === 4 ? 'ipv4' : 'ipv6');

/** Sockets reachable from another host per "proto/family/port" (loopback-bound ones are not). */
function reachableIndex(sockets: readonly ListeningSocket[]): Map<string, ListeningSocket[]> {
  const index = new Map<string, ListeningSocket[]>();
  const add = (k: string, s: ListeningSocket): void => void index.set(k, [...(index.get(k) ?? []), s]);
  for (const s of sockets) {
    if (s.exposure === 'loopback') continue;
    add(`${s.protocol}/${s.family}/${s.port}`, s);
    if (s.family === 6 && s.dualStack === true) add(`${s.protocol}/4/${s.port}`, s);
  }
  return index;
}

/**
 * For every listening socket (and every port asked for): the firewall's decision for a new connection
 * from outside, the rule that made it, and the state a scan should observe. See docs/firewall.md.
 */
export async function explain(opts: ExplainOptions = {}): Promise<ExplainResult> {
  const protocols: ('tcp' | 'udp')[] = opts.udp ? (opts.tcp ? ['tcp', 'udp'] : ['udp']) : ['tcp'];
  const fromList = opts.from === undefined ? [] : Array.isArray(opts.from) ? opts.from : [opts.from];
  const from = new Map<4 | 6, bigint>();
  for (const a of fromList) {
    const v = addrToBig(a);
    if (!v) throw new OptionError(`--from: "${a}" is not an IP address`);
    if (from.has(v.family)) throw new OptionError(`--from: two IPv${v.family} addresses (give at most one per family)`);
    from.set(v.family, v.value);
  }
  const loaded = opts.rulesetFile !== undefined ? await rulesetFromFile(opts.rulesetFile) : await rulesetFromHost();
  const observed = opts.scanFile !== undefined ? await readObserved(opts.scanFile) : undefined;
  const sockets = await listening({ tcp: protocols.includes('tcp'), udp: protocols.includes('udp') });
  const iface = opts.iface ?? (opts.rulesetFile === undefined ? await defaultInputInterface() : undefined);
  // Only a ruleset with a reverse-path match (`fib saddr . iif oif`) needs the routing table asked.
  const rpf = new Map<4 | 6, boolean>();
  if (iface !== undefined && loaded.ruleset.chains.some((c) => c.rules.some((r) => r.matches.some((m) => m.field === 'rpf')))) {
    for (const a of fromList) {
      const v = addrToBig(a)!;
      const ok = await reversePathOk(a, iface, v.family);
      if (ok !== undefined) rpf.set(v.family, ok);
    }
    // Without --from: a single-homed host routes every source back through its interface.
    for (const f of [4, 6] as const) {
      if (from.has(f)) continue;
      const ok = await reversePathAnySource(iface, f);
      if (ok !== undefined) rpf.set(f, ok);
    }
  }
  const ev = new Evaluator(loaded.ruleset, { isLocal: localAddressTest(localAddresses()) });
  const reachable = reachableIndex(sockets);
  const families: (4 | 6)[] = from.size > 0 ? [...from.keys()].sort() : [4, 6];
  const units = new Map<number, string | undefined>();
  const unitOf = async (pid: number): Promise<string | undefined> => {
    if (!units.has(pid)) units.set(pid, await systemdUnitOf(pid));
    return units.get(pid);
  };

  const rows: ExplainedPort[] = [];
  const seen = new Set<string>();
  const row = (proto: 'tcp' | 'udp', port: number, family: 4 | 6, socket?: ListeningSocket): ExplainedPort => {
    const packet: Packet = { family, proto, dport: port, ...(from.has(family) ? { saddr: from.get(family)! } : {}), ...(iface ? { iifname: iface } : {}), ...(rpf.has(family) ? { rpf: rpf.get(family)! } : {}) };
    const d = ev.evaluate(packet);
    const listens = reachable.has(`${proto}/${family}/${d.port}`);
    const handshake = proto === 'tcp' && listens && d.verdict === 'accept' ? ev.evaluateHandshake(packet, d) : undefined;
    const p = predictState(d, proto, family, listens, handshake);
    const r: ExplainedPort = { protocol: proto, port, family: familyName(family), predicted: p.state, reason: p.reason, verdict: d.verdict, rule: d.rule, listening: reachable.has(`${proto}/${family}/${port}`) };
    if (d.rejectWith) r.rejectWith = d.rejectWith;
    if (d.policy) r.policy = d.policy;
    if (d.note) r.note = d.note;
    if (d.nat) r.nat = d.nat;
    if (handshake && p.state !== 'open') r.handshake = { verdict: handshake.verdict, rule: handshake.rule, ...(handshake.rejectWith ? { rejectWith: handshake.rejectWith } : {}) };
    if (socket) r.address = socket.address;
    const obs = observed?.get(`${proto}/${family}/${port}`);
    if (obs) {
      r.observed = { state: obs.state, reason: obs.reason };
      r.mismatch = obs.state !== p.state;
    }
    return r;
  };
  if (opts.onlyPorts !== true) {
    for (const s of sockets) {
      const fams = s.family === 6 && s.dualStack === true ? ([6, 4] as const) : [s.family];
      for (const f of fams) {
        if (!families.includes(f)) continue;
        seen.add(`${s.protocol}/${f}/${s.port}`);
        const r = row(s.protocol, s.port, f, s);
        r.processes = await Promise.all(
          s.processes.map(async (p) => {
            const unit = await unitOf(p.pid);
            return { pid: p.pid, name: p.name, ...(unit ? { unit } : {}) };
          }),
        );
        rows.push(r);
      }
    }
  }
  for (const port of opts.ports ?? []) {
    for (const proto of protocols) for (const f of families) if (!seen.has(`${proto}/${f}/${port}`)) rows.push(row(proto, port, f));
  }
  rows.sort(
    (a, b) =>
      (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0) ||
      a.port - b.port ||
      (a.family < b.family ? -1 : a.family > b.family ? 1 : 0) ||
      ((a.address ?? '') < (b.address ?? '') ? -1 : (a.address ?? '') > (b.address ?? '') ? 1 : 0),
  );
  return {
    ports: rows,
    sources: loaded.ruleset.sources,
    ...(iface ? { iface } : {}),
    ...(fromList.length ? { from: fromList.join(',') } : {}),
    ufwEnabled: loaded.ufwEnabled,
    ...(firewalldManages(loaded.ruleset) ? { firewalld: true } : {}),
  };
}

async function readObserved(path: string): Promise<Map<string, PortRecord>> {
  const text = readBoundedText(path, { what: 'scan file', maxBytes: scanFileMaxBytes() });
  const { parseScanDocument } = await import('../history/readers/index.js');
  const scan = parseScanDocument(text, path);
  const out = new Map<string, PortRecord>();
  for (const h of scan.hosts)
    for (const p of h.ports) {
      const k = `${p.protocol}/${h.family}/${p.port}`;
      if (!out.has(k)) out.set(k, p);
    }
  return out;
}
