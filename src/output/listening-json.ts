import type { ListeningProcess, ListeningSocket } from '../model/index.js';

/** Context of one `listening` run, written into the documents' headers. */
export interface ListeningReportMeta {
  version: string;
  /** ISO 8601 time the sockets were read. */
  generatedAt: string;
  hostname: string;
  netns?: string;
  /** Linux: how the socket table was read ('sock_diag' netlink or 'proc' text). */
  source?: 'sock_diag' | 'proc';
}

/** The version of the JSON/XML layout (docs/schema/listening.schema.json); bump on incompatible changes. */
export const LISTENING_SCHEMA_VERSION = 1;

/**
 * `listening --json`: one document, keys in a fixed order, documented by docs/schema/listening.schema.json.
 * Optional socket fields (dualStack, interface, service, netns, socketUid) are absent rather than null.
 */
export function renderListeningJson(sockets: readonly ListeningSocket[], meta: ListeningReportMeta): string {
  const head = {
    schemaVersion: LISTENING_SCHEMA_VERSION,
    tool: 'portscope',
    version: meta.version,
    generatedAt: meta.generatedAt,
    hostname: meta.hostname,
    ...(meta.netns === undefined ? {} : { netns: meta.netns }),
    ...(meta.source === undefined ? {} : { source: meta.source }),
  };
  // One socket per line: greppable and diffable, and a fraction of the size (and time) of indented JSON
  // on a host with tens of thousands of sockets.
  // Processes repeat across sockets (a server with many ports, a forked server): serialise each once.
  const processCache = new Map<ListeningProcess, string>();
  const lines = sockets.map((s) => socketJson(s, processCache));
  const top = JSON.stringify(head).slice(0, -1);
  return lines.length === 0 ? `${top},"sockets":[]}\n` : `${top},"sockets":[\n${lines.join(',\n')}\n]}\n`;
}

/** Characters a JSON string must escape (RFC 8259 §7), plus lone surrogates (ES2019 well-formed stringify). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function q(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * One socket as compact JSON with keys in schema order. Written by hand: building an ordered copy of
 * every socket first doubled the garbage on hosts with 20,000 sockets (bench/listening.ts).
 */
function socketJson(s: ListeningSocket, processCache: Map<ListeningProcess, string>): string {
  let o = `{"protocol":"${s.protocol}","family":${s.family},"address":${q(s.address)},"port":${s.port},"state":"${s.state}","exposure":"${s.exposure}"`;
  if (s.dualStack !== undefined) o += `,"dualStack":${s.dualStack}`;
  if (s.interface !== undefined) o += `,"interface":${q(s.interface)}`;
  if (s.service !== undefined) o += `,"service":${q(s.service)}`;
  o += `,"owner":${q(s.owner)},"ownerKnown":${s.ownerKnown},"processes":[`;
  for (let k = 0; k < s.processes.length; k++) {
    const p = s.processes[k]!;
    let json = processCache.get(p);
    if (json === undefined) {
      json = `{"pid":${p.pid},"name":${q(p.name)},"command":${q(p.command)},"user":${q(p.user)},"uid":${p.uid === null ? 'null' : p.uid}}`;
      processCache.set(p, json);
    }
    o += k ? `,${json}` : json;
  }
  o += `],"inode":${s.inode === null ? 'null' : s.inode}`;
  if (s.socketUid !== undefined) o += `,"socketUid":${s.socketUid}`;
  if (s.netns !== undefined) o += `,"netns":${q(s.netns)}`;
  return `${o}}`;
}
