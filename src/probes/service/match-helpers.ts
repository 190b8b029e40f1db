/** Small helpers shared by the service files: regex matchers with templates, printable text, CPE strings. */
import type { MatcherDef, ServiceMatch } from './types.js';

type Field = string | ((m: RegExpExecArray) => string | undefined);

export interface RegexRule {
  probes: readonly string[];
  /** Tested against the answer decoded as latin1 (one char per byte, so binary cannot break decoding). */
  pattern: RegExp;
  name: string;
  product?: Field;
  version?: Field;
  extrainfo?: Field;
  /** CPE 2.2 URIs as nmap writes them; `$v` is replaced by the version found. */
  cpe?: string[];
}

/** `$1`..`$9` in a template become capture groups; undefined or empty results drop the field. */
function fill(field: Field | undefined, m: RegExpExecArray): string | undefined {
  if (field === undefined) return undefined;
  const v = typeof field === 'function' ? field(m) : field.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
  const t = v?.trim();
  return t ? t : undefined;
}

export function regexMatcher(rule: RegexRule): MatcherDef {
  return {
    probes: rule.probes,
    match(data) {
      const m = rule.pattern.exec(data.toString('latin1'));
      if (!m) return null;
      return build(rule.name, fill(rule.product, m), fill(rule.version, m), fill(rule.extrainfo, m), rule.cpe);
    },
  };
}

/** A ServiceMatch without undefined fields (JSON and XML writers print what is present). */
export function build(name: string, product?: string, version?: string, extrainfo?: string, cpe?: string[]): ServiceMatch {
  const out: ServiceMatch = { name };
  if (product) out.product = product;
  if (version) out.version = version;
  if (extrainfo) out.extrainfo = extrainfo;
  if (cpe && cpe.length > 0) {
    // The bare version only: "9.2p1 Debian 2" is not a CPE version.
    const v = version?.split(/\s/)[0];
    out.cpe = cpe.map((c) => (c.includes('$v') ? (v ? c.replace('$v', v) : c.replace(/:\$v$/, '')) : c));
  }
  return out;
}

/** Printable ASCII (and tab) kept, CR/LF shown as \r \n, every other byte as \xHH: safe for any output format. */
export function printable(data: Buffer, max = 256): string {
  let out = '';
  for (const b of data.subarray(0, max)) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if ((b >= 0x20 && b < 0x7f && b !== 0x5c) || b === 0x09) out += String.fromCharCode(b);
    else if (b === 0x5c) out += '\\\\';
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return data.length > max ? `${out}…` : out;
}

export function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
