/**
 * What changed between two scans: hosts and ports that are new, gone or changed (state, service name,
 * product, version, extra info). Pure: two ScanRecords in, one ScanDiff out.
 *
 * Rules (docs/history.md): a port is *new* when it may be open in B (open, open|filtered, unfiltered) and was
 * not in A (closed, filtered or not scanned); *gone* in the reverse case; *changed* when it is known on both
 * sides and its state or service differs. A port scanned on one side only and in a closed state on it is not
 * a change. This matches ndiff's port lines when the closed ports are folded into extraports (ndiff treats
 * unlisted ports as "unknown", we expand extraports to each port's state).
 */
import type { HostChange, PortChange, PortRecord, PortView, ScanDiff, ScanRecord, ScanRef, ServiceRecord } from '../model/index.js';
import { isMaybeOpen } from '../model/index.js';
export type { HostChange, PortChange, PortView, ScanDiff, ScanRef } from '../model/index.js';

export function scanRef(rec: ScanRecord, label?: string): ScanRef {
  const ref: ScanRef = { label: label ?? (rec.id !== undefined ? `#${rec.id}` : (rec.file ?? '?')), startedAt: rec.startedAt, scanner: rec.scanner, args: rec.args };
  if (rec.id !== undefined) ref.id = rec.id;
  if (rec.file !== undefined) ref.file = rec.file;
  return ref;
}

export function diffScans(a: ScanRecord, b: ScanRecord, refs: { a?: ScanRef; b?: ScanRef } = {}): ScanDiff {
  const hostsA = new Map(a.hosts.map((h) => [h.address, h]));
  const hostsB = new Map(b.hosts.map((h) => [h.address, h]));
  const addresses = [...new Set([...hostsA.keys(), ...hostsB.keys()])].sort(compareAddresses);
  const hosts: HostChange[] = [];
  const counts = { hostsNew: 0, hostsGone: 0, portsNew: 0, portsGone: 0, portsChanged: 0 };
  for (const address of addresses) {
    const ha = hostsA.get(address);
    const hb = hostsB.get(address);
    const upA = ha?.status === 'up';
    const upB = hb?.status === 'up';
    const ports = diffPorts(upA ? ha!.ports : [], upB ? hb!.ports : []);
    let kind: HostChange['kind'] | null = null;
    if (upB && !upA) kind = 'new';
    else if (upA && !upB) kind = 'gone';
    else if (ports.length) kind = 'changed';
    if (kind === null) continue;
    const change: HostChange = { address, kind, ports };
    const hostname = hb?.hostname ?? ha?.hostname;
    if (hostname !== undefined) change.hostname = hostname;
    if (ha) change.statusBefore = ha.status;
    if (hb) change.statusAfter = hb.status;
    if (kind === 'new') counts.hostsNew++;
    if (kind === 'gone') counts.hostsGone++;
    for (const p of ports) {
      if (p.kind === 'new') counts.portsNew++;
      else if (p.kind === 'gone') counts.portsGone++;
      else counts.portsChanged++;
    }
    hosts.push(change);
  }
  return { a: refs.a ?? scanRef(a), b: refs.b ?? scanRef(b), hosts, counts, changed: hosts.length > 0 };
}

function diffPorts(a: PortRecord[], b: PortRecord[]): PortChange[] {
  const key = (p: PortRecord): string => `${p.protocol}/${p.port}`;
  const mapA = new Map(a.map((p) => [key(p), p]));
  const mapB = new Map(b.map((p) => [key(p), p]));
  const out: PortChange[] = [];
  for (const k of new Set([...mapA.keys(), ...mapB.keys()])) {
    const pa = mapA.get(k);
    const pb = mapB.get(k);
    const openA = pa !== undefined && isMaybeOpen(pa.state);
    const openB = pb !== undefined && isMaybeOpen(pb.state);
    let change: PortChange | null = null;
    const ref = (pa ?? pb)!;
    if (openB && !openA) change = { kind: 'new', protocol: ref.protocol, port: ref.port, fields: ['state'] };
    else if (openA && !openB) change = { kind: 'gone', protocol: ref.protocol, port: ref.port, fields: ['state'] };
    else if (pa && pb) {
      const fields = changedFields(pa, pb);
      if (fields.length) change = { kind: 'changed', protocol: ref.protocol, port: ref.port, fields };
    }
    if (!change) continue;
    if (pa) change.before = view(pa);
    if (pb) change.after = view(pb);
    out.push(change);
  }
  return out.sort((x, y) => x.protocol.localeCompare(y.protocol) || x.port - y.port);
}

function changedFields(a: PortRecord, b: PortRecord): string[] {
  const fields: string[] = [];
  if (a.state !== b.state) fields.push('state');
  // Services matter only where something may listen: a closed port's table name says nothing.
  if (isMaybeOpen(a.state) || isMaybeOpen(b.state)) {
    const sa = a.service ?? ({} as Partial<ServiceRecord>);
    const sb = b.service ?? ({} as Partial<ServiceRecord>);
    // nmap writes no <service> for a port its table does not name, portscope writes name="unknown": the same fact.
    const name = (x: Partial<ServiceRecord>): string => (x.name === 'unknown' ? '' : (x.name ?? ''));
    if (name(sa) !== name(sb)) fields.push('service');
    for (const f of ['product', 'version', 'extrainfo'] as const) if ((sa[f] ?? '') !== (sb[f] ?? '')) fields.push(f);
  }
  return fields;
}

function view(p: PortRecord): PortView {
  const v: PortView = { state: p.state };
  const s = p.service;
  if (s?.name) v.service = s.name;
  if (s?.product) v.product = s.product;
  if (s?.version) v.version = s.version;
  if (s?.extrainfo) v.extrainfo = s.extrainfo;
  return v;
}

/** IPv4 before IPv6, numerically within a family; names and anything else by text. */
export function compareAddresses(x: string, y: string): number {
  const kx = addressKey(x);
  const ky = addressKey(y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}

function addressKey(a: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4)
    return (
      '4' +
      v4
        .slice(1)
        .map((o) => o.padStart(3, '0'))
        .join('.')
    );
  return (a.includes(':') ? '6' : '9') + a;
}
