/**
 * portscope's own nftables table, `table inet portscope`: the ports `portscope close --apply` closed, as
 * two sets, dropped in an input chain for every interface but loopback (local clients keep working).
 * The whole table is rewritten in one `nft -f` transaction, so applying twice changes nothing and no
 * other table is touched.
 */
export const CLOSE_TABLE = 'portscope';

export interface ClosedPorts {
  tcp: number[];
  udp: number[];
}

/** The closed ports recorded in the table's sets (`nft -j list table inet portscope`). */
export function readClosedPorts(json: string | null): ClosedPorts {
  const out: ClosedPorts = { tcp: [], udp: [] };
  if (json === null) return out;
  const doc = JSON.parse(json) as { nftables?: Record<string, { name?: string; elem?: unknown[] }>[] };
  for (const item of doc.nftables ?? []) {
    const set = item.set;
    if (!set || (set.name !== 'closed_tcp' && set.name !== 'closed_udp')) continue;
    const list = set.name === 'closed_tcp' ? out.tcp : out.udp;
    for (const e of set.elem ?? []) if (typeof e === 'number') list.push(e);
  }
  out.tcp.sort((a, b) => a - b);
  out.udp.sort((a, b) => a - b);
  return out;
}

const elements = (ports: readonly number[]): string => (ports.length ? ` elements = { ${ports.join(', ')} };` : '');

/** The nft script that makes the table hold exactly `closed` (and removes it when nothing is closed). */
export function closeTableScript(closed: ClosedPorts): string {
  // Declaring the table first makes the delete succeed whether or not it existed (nft(8) idiom).
  const head = [`table inet ${CLOSE_TABLE}`, `delete table inet ${CLOSE_TABLE}`];
  if (closed.tcp.length === 0 && closed.udp.length === 0) return `${head.join('\n')}\n`;
  return `${[
    ...head,
    `table inet ${CLOSE_TABLE} {`,
    `  set closed_tcp { type inet_service;${elements(closed.tcp)} }`,
    `  set closed_udp { type inet_service;${elements(closed.udp)} }`,
    '  chain input {',
    // Before the usual filter priority: a drop is final whichever base chain says it.
    '    type filter hook input priority filter - 10; policy accept;',
    '    iifname != "lo" tcp dport @closed_tcp drop comment "portscope close"',
    '    iifname != "lo" udp dport @closed_udp drop comment "portscope close"',
    '  }',
    '}',
  ].join('\n')}\n`;
}

export function withPort(c: ClosedPorts, protocol: 'tcp' | 'udp', port: number, add: boolean): ClosedPorts {
  const list = new Set(c[protocol]);
  if (add) list.add(port);
  else list.delete(port);
  return { ...c, [protocol]: [...list].sort((a, b) => a - b) };
}
