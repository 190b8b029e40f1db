/**
 * Every service -sV knows, in one table. Adding a service: a file in services/ exporting a ServiceModule,
 * and one line here. Matchers are tried in table order, so specific services come before generic ones.
 */
import { amqp } from './services/amqp.js';
import { dns } from './services/dns.js';
import { ftp } from './services/ftp.js';
import { generic } from './services/generic.js';
import { http } from './services/http.js';
import { imap } from './services/imap.js';
import { ldap } from './services/ldap.js';
import { memcached } from './services/memcached.js';
import { mongodb } from './services/mongodb.js';
import { mqtt } from './services/mqtt.js';
import { mysql } from './services/mysql.js';
import { nats } from './services/nats.js';
import { pop3 } from './services/pop3.js';
import { postgresql } from './services/postgresql.js';
import { rdp } from './services/rdp.js';
import { redis } from './services/redis.js';
import { smb } from './services/smb.js';
import { smtp } from './services/smtp.js';
import { ssh } from './services/ssh.js';
import { telnet } from './services/telnet.js';
import { vnc } from './services/vnc.js';
import { NULL_PROBE, type MatcherDef, type ProbeDef, type ServiceMatch, type ServiceModule } from './types.js';

export const SERVICES: readonly ServiceModule[] = [ssh, smtp, ftp, pop3, imap, mysql, vnc, nats, telnet, http, redis, memcached, postgresql, dns, mqtt, mongodb, amqp, ldap, rdp, smb, generic];

export interface ProbeTable {
  probes: readonly ProbeDef[];
  matchersFor(probe: string): readonly MatcherDef[];
}

export function buildProbeTable(services: readonly ServiceModule[] = SERVICES): ProbeTable {
  const probes: ProbeDef[] = [];
  const byProbe = new Map<string, MatcherDef[]>();
  for (const s of services) {
    for (const p of s.probes ?? []) {
      if (p.name === NULL_PROBE || probes.some((q) => q.name === p.name)) throw new Error(`service probe name ${p.name} reused`);
      probes.push(p);
    }
    for (const m of s.matchers) {
      for (const name of m.probes) byProbe.set(name, [...(byProbe.get(name) ?? []), m]);
    }
  }
  return { probes, matchersFor: (name) => byProbe.get(name) ?? [] };
}

/** The first matcher of `probe` that recognises `data`; a throwing matcher counts as no match. */
export function matchAnswer(table: ProbeTable, probe: string, data: Buffer): ServiceMatch | null {
  if (data.length === 0) return null;
  for (const m of table.matchersFor(probe)) {
    try {
      const r = m.match(data);
      if (r) return r;
    } catch {
      // Hostile bytes may trip a parser; that answer just is not this service.
    }
  }
  return null;
}

/**
 * Probes to send to a port, in order: those that name the port first, then the rest by rarity; probes
 * rarer than the intensity are skipped unless they name the port.
 */
export function probesFor(table: ProbeTable, port: number, intensity: number, inTls: boolean): ProbeDef[] {
  const eligible = table.probes.filter((p) => (inTls ? p.inTls !== false : true) && (p.ports.includes(port) || p.rarity <= intensity));
  const rank = (p: ProbeDef): number => (p.ports.includes(port) ? 0 : p.rarity);
  return eligible
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map((x) => x.p);
}
