import type { GenAction, GenRule, GenRuleset } from './model.js';

export const NFT_TABLE = 'fwgen';

function action(a: GenAction): string {
  switch (a.k) {
    case 'accept':
    case 'drop':
    case 'return':
      return a.k;
    case 'counter':
      return 'counter';
    case 'jump':
    case 'goto':
      return `${a.k} ${a.chain}`;
    case 'reject':
      return a.with === 'tcp-reset' ? 'reject with tcp reset' : `reject with icmpx ${a.with}`;
  }
}

const portItem = ([a, b]: [number, number]): string => (a === b ? String(a) : `${a}-${b}`);

function rule(g: GenRule, sets: string[]): string {
  const parts: string[] = [];
  if (g.iif) parts.push(`iifname ${g.iif.negate ? '!= ' : ''}"${g.iif.name}"`);
  if (g.ct) parts.push(`ct state ${g.ct}`);
  if (g.saddr) parts.push(`${g.saddr.family === 4 ? 'ip' : 'ip6'} saddr ${g.saddr.negate ? '!= ' : ''}${g.saddr.cidr}`);
  if (g.dports) {
    let value = `{ ${g.dports.map(portItem).join(', ')} }`;
    if (g.namedSet) {
      const name = `ports${sets.length}`;
      sets.push(`  set ${name} { type inet_service; flags interval; auto-merge; elements = ${value} }`);
      value = `@${name}`;
    }
    const neg = g.dportNegate ? '!= ' : '';
    parts.push(g.proto === 'any' ? `meta l4proto { tcp, udp } th dport ${neg}${value}` : `${g.proto} dport ${neg}${value}`);
  } else if (g.proto !== 'any') parts.push(`meta l4proto ${g.proto}`);
  parts.push(action(g.action));
  return parts.join(' ');
}

/** An nft script that replaces table inet fwgen with the generated ruleset. */
export function renderNft(g: GenRuleset): string {
  const sets: string[] = [];
  const input = g.input.map((x) => rule(x, sets));
  if (g.vmap?.entries.length) input.splice(g.vmap.at, 0, `tcp dport vmap { ${g.vmap.entries.map((e) => `${e.port} : ${action(e.action)}`).join(', ')} }`);
  const chains = Object.entries(g.chains).map(([name, rules]) => [`  chain ${name} {`, ...rules.map((x) => `    ${rule(x, sets)}`), '  }'].join('\n'));
  const raw = g.raw.map((x) => rule(x, sets));
  const pre = g.redirects.map((x) => `${x.proto} dport ${x.from} redirect to :${x.to}`);
  return [
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    ...sets,
    ...chains,
    '  chain input {',
    `    type filter hook input priority filter; policy ${g.policy};`,
    // Every real ruleset lets ICMPv6 through: without neighbour discovery IPv6 does not work at all.
    '    meta l4proto ipv6-icmp accept',
    ...input.map((x) => `    ${x}`),
    '  }',
    ...(raw.length ? ['  chain raw {', '    type filter hook prerouting priority raw; policy accept;', ...raw.map((x) => `    ${x}`), '  }'] : []),
    ...(pre.length ? ['  chain pre {', '    type nat hook prerouting priority dstnat; policy accept;', ...pre.map((x) => `    ${x}`), '  }'] : []),
    '}',
    '',
  ].join('\n');
}
