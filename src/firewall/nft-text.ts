type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function value(v: Json): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /^[\w.:/@*-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(value).join(v.length === 2 && isObj(v[1]) ? ' : ' : ', ');
  if (!isObj(v)) return String(v);
  if ('set' in v) return `{ ${(Array.isArray(v.set) ? v.set : [v.set]).map(value).join(', ')} }`;
  if (Array.isArray(v.range)) return (v.range as Json[]).map(value).join('-');
  if (isObj(v.prefix)) return `${value(v.prefix.addr)}/${value(v.prefix.len)}`;
  if (isObj(v.payload)) return `${value(v.payload.protocol)} ${value(v.payload.field)}`;
  if (isObj(v.meta)) return `meta ${value(v.meta.key)}`;
  if (isObj(v.ct)) return `ct ${value(v.ct.key)}`;
  if (isObj(v.numgen)) return `numgen ${value(v.numgen.mode)} mod ${value(v.numgen.mod)}`;
  if (isObj(v.elem)) return value(v.elem.val);
  const k = Object.keys(v)[0] ?? '';
  if (k === 'jump' || k === 'goto') return `${k} ${value((v[k] as Obj).target)}`;
  return v[k] === null ? k : `${k} ${JSON.stringify(v[k])}`;
}

function statement(e: Json): string {
  if (!isObj(e)) return JSON.stringify(e);
  const k = Object.keys(e)[0] ?? '';
  const b = e[k];
  if (k === 'match' && isObj(b)) return `${value(b.left)} ${b.op === '==' || b.op === 'in' ? '' : `${String(b.op)} `}${value(b.right)}`;
  if (b === null) return k;
  if (k === 'vmap' && isObj(b)) return `${value(b.key)} vmap ${value(b.data)}`;
  if (k === 'counter') return 'counter';
  if (k === 'reject' && isObj(b)) return `reject${b.type ? ` with ${String(b.type)}${b.expr ? ` ${value(b.expr)}` : ''}` : ''}`;
  if ((k === 'redirect' || k === 'dnat') && isObj(b)) return `${k}${k === 'dnat' ? ' to' : ' to'} ${b.addr !== undefined ? value(b.addr) : ''}${b.port !== undefined ? `:${value(b.port)}` : ''}`;
  if (k === 'limit' && isObj(b)) return `limit rate ${b.inv ? 'over ' : ''}${value(b.rate)}/${value(b.per)}`;
  if (k === 'jump' || k === 'goto') return value(e);
  if (k === 'log') return 'log';
  return `${k} ${JSON.stringify(b)}`;
}

/** An nft-like one-line rendering of a rule's expressions (for messages and the `rule.text` field). */
export function renderExprs(exprs: readonly Json[]): string {
  return exprs.map(statement).join(' ').replace(/\s+/g, ' ').trim();
}
