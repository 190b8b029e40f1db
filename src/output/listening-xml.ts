import type { ListeningSocket } from '../model/index.js';
import { LISTENING_SCHEMA_VERSION, type ListeningReportMeta } from './listening-json.js';
import { xmlAttr } from './xml-escape.js';

/**
 * `listening -oX`: nmap has no format for local sockets, so this is our own small document (described in
 * docs/listening.md): `<listening>` with one `<socket>` per socket and one `<process>` per holder;
 * every value is an attribute, optional ones are omitted.
 */
export function renderListeningXml(sockets: readonly ListeningSocket[], meta: ListeningReportMeta): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<listening ${attrs({ scanner: 'portscope', version: meta.version, schemaversion: LISTENING_SCHEMA_VERSION, generated: meta.generatedAt, hostname: meta.hostname, netns: meta.netns, source: meta.source })}>`);
  for (const s of sockets) {
    const a = attrs({
      protocol: s.protocol,
      family: s.family,
      address: s.address,
      port: s.port,
      state: s.state,
      exposure: s.exposure,
      dualstack: s.dualStack,
      interface: s.interface,
      service: s.service,
      owner: s.owner,
      ownerknown: s.ownerKnown,
      inode: s.inode ?? undefined,
      socketuid: s.socketUid,
      netns: s.netns,
    });
    if (s.processes.length === 0) {
      lines.push(`  <socket ${a}/>`);
      continue;
    }
    lines.push(`  <socket ${a}>`);
    for (const p of s.processes) {
      lines.push(`    <process ${attrs({ pid: p.pid, name: p.name, user: p.user, uid: p.uid ?? undefined, command: p.command })}/>`);
    }
    lines.push('  </socket>');
  }
  lines.push('</listening>');
  return `${lines.join('\n')}\n`;
}

function attrs(values: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${xmlAttr(String(v))}"`)
    .join(' ');
}
