// A small JSON Schema checker for the keywords docs/schema/scan.schema.json uses ($ref to $defs, type,
// const, enum, required, properties, additionalProperties, items, minimum, maximum, pattern). Any other
// keyword in the schema is reported, so the schema cannot grow past what the tests check.
type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$id', '$defs', '$ref', 'title', 'description', 'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minimum', 'maximum', 'pattern']);

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    default:
      return typeof v === type;
  }
}

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const m = /^#\/\$defs\/([\w-]+)$/.exec(ref);
    const def = m ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]!] : undefined;
    if (!def) throw new Error(`unresolvable $ref ${ref}`);
    return def;
  };
  const walk = (s: Schema, v: unknown, path: string): void => {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) errors.push(`${path}: schema keyword ${k} not supported by the test checker`);
    if (typeof s.$ref === 'string') walk(resolve(s.$ref), v, path);
    if (typeof s.type === 'string' && !typeOk(s.type, v)) {
      errors.push(`${path}: expected ${s.type}, got ${JSON.stringify(v)}`);
      return;
    }
    if ('const' in s && v !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) errors.push(`${path}: ${v} < ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) errors.push(`${path}: ${v} > ${s.maximum}`);
    }
    if (typeof v === 'string' && typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) errors.push(`${path}: ${JSON.stringify(v)} does not match ${s.pattern}`);
    if (Array.isArray(v) && s.items) v.forEach((item, i) => {
      walk(s.items as Schema, item, `${path}[${i}]`);
    });
    if (typeOk('object', v)) {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
      for (const [k, val] of Object.entries(obj)) {
        if (props[k]) walk(props[k], val, `${path}.${k}`);
        else if (s.additionalProperties === false) errors.push(`${path}: unexpected ${k}`);
      }
    }
  };
  walk(root, value, '$');
  return errors;
}
