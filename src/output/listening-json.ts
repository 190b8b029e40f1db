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
  const top = JSON.stringify(head).slice(0, -1);
  if (sockets.length === 0) return `${top},"sockets":[]}\n`;
  // Every piece goes into one array joined once: `+=` per socket built 20,000 rope strings that the final
  // join then had to flatten node by node (about half of the rendering time, and most of its garbage).
  const parts: string[] = [top, ',"sockets":[\n'];
  const cache: PieceCache = { head: new Map(), where: new Map(), holders: new Map(), processes: new Map() };
  for (let i = 0; i < sockets.length; i++) {
    if (i > 0) parts.push(',\n');
    socketJson(sockets[i]!, cache, parts);
  }
  parts.push('\n]}\n');
  return parts.join('');
}

/**
 * Pieces that repeat across sockets, each serialised once: the fields before `port` (by protocol and
 * address), those after it up to `service` (by address, state, dual-stack), and `owner` to the end of
 * `processes` for a socket held by one process (a server with many ports, a forked server's children).
 */
interface PieceCache {
  head: Map<string, string>;
  where: Map<string, string>;
  holders: Map<ListeningProcess, { owner: string; ownerKnown: boolean; json: string }>;
  processes: Map<ListeningProcess, string>;
}

/** Characters a JSON string must escape (RFC 8259 §7), plus lone surrogates (ES2019 well-formed stringify). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function q(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** One socket as compact JSON with keys in schema order, appended to `out` piece by piece. */
function socketJson(s: ListeningSocket, cache: PieceCache, out: string[]): void {
  const headKey = `${s.protocol}${s.family}${s.address}`;
  let head = cache.head.get(headKey);
  if (head === undefined) cache.head.set(headKey, (head = `{"protocol":"${s.protocol}","family":${s.family},"address":${q(s.address)},"port":`));
  const whereKey = `${headKey} ${s.state} ${s.exposure} ${s.dualStack} ${s.interface}`;
  let where = cache.where.get(whereKey);
  if (where === undefined) {
    where = `,"state":"${s.state}","exposure":"${s.exposure}"`;
    if (s.dualStack !== undefined) where += `,"dualStack":${s.dualStack}`;
    if (s.interface !== undefined) where += `,"interface":${q(s.interface)}`;
    cache.where.set(whereKey, where);
  }
  out.push(head, String(s.port), where);
  if (s.service !== undefined) out.push(',"service":', q(s.service));
  const only = s.processes.length === 1 ? s.processes[0]! : undefined;
  const known = only === undefined ? undefined : cache.holders.get(only);
  let holders = known !== undefined && known.owner === s.owner && known.ownerKnown === s.ownerKnown ? known.json : undefined;
  if (holders === undefined) {
    holders = `,"owner":${q(s.owner)},"ownerKnown":${s.ownerKnown},"processes":[${s.processes.map((p) => processJson(p, cache)).join(',')}]`;
    if (only !== undefined) cache.holders.set(only, { owner: s.owner, ownerKnown: s.ownerKnown, json: holders });
  }
  out.push(holders, ',"inode":', s.inode === null ? 'null' : String(s.inode));
  if (s.socketUid !== undefined) out.push(',"socketUid":', String(s.socketUid));
  if (s.netns !== undefined) out.push(',"netns":', q(s.netns));
  out.push('}');
}

function processJson(p: ListeningProcess, cache: PieceCache): string {
  let json = cache.processes.get(p);
  if (json === undefined) {
    json = `{"pid":${p.pid},"name":${q(p.name)},"command":${q(p.command)},"user":${q(p.user)},"uid":${p.uid === null ? 'null' : p.uid}}`;
    cache.processes.set(p, json);
  }
  return json;
}
