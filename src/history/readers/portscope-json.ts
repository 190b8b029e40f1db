/**
 * portscope JSON (-oJ) → ScanRecord: parsed with positions, validated with ajv against the published
 * docs/schema/scan.schema.json (input/json.ts), then converted; nothing is read that the schema did not check.
 */
import { parseJsonText, validateAgainstSchema } from '../../input/json.js';
import { ParseError, type HostRecord, type PortRecord, type ScanRecord } from '../../model/index.js';
import type { JsonScan } from '../../output/json-model.js';
import { expandPorts } from './expand-ports.js';

export function parsePortscopeJson(text: string, file: string): ScanRecord {
  const raw = parseJsonText(text, file) as { scanner?: unknown; hosts?: unknown } | null;
  if (typeof raw !== 'object' || raw === null || raw.scanner !== 'portscope' || !Array.isArray(raw.hosts)) throw new ParseError(`${file}:1:1: not a portscope JSON scan (no "scanner": "portscope" and "hosts")`);
  const doc = validateAgainstSchema<JsonScan>(raw, 'scan', file, 'portscope JSON scan (docs/schema/scan.schema.json)');
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
