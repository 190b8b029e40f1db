/**
 * Untrusted JSON (portscope -oJ files given to `import`/`diff`): parsed with the position of a syntax error
 * as line:column, then validated with ajv against the schema published in docs/schema/ (JSON Schema
 * 2020-12), so a document of the wrong shape (`"hosts":[null]`, a port 99999999) is one clear error naming
 * the JSON path, never a TypeError further on.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { escapeTerminalText, ParseError } from '../model/index.js';
import { jsonErrorOffset } from './json-position.js';
import { lineCol } from './xml.js';

export type PublishedSchema = 'scan' | 'audit' | 'listening' | 'policy';

const SCHEMA_DIR = new URL('../../../docs/schema/', import.meta.url);
const validators = new Map<PublishedSchema, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** The compiled validator of docs/schema/NAME.schema.json (compiled once per process, on first use). */
export function schemaValidator(name: PublishedSchema): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: false, strict: false });
      // ajv-formats is CommonJS: its default export is the plugin function, or an object holding it.
      const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
      addFormats(ajv);
    }
    v = ajv.compile(JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as object);
    validators.set(name, v);
  }
  return v;
}

/** JSON.parse with the error as `file:line:col: invalid JSON: …`. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const pos = jsonErrorOffset(text);
    const { line, col } = lineCol(text, pos);
    const what = pos >= text.length ? 'the file ends early (truncated?)' : `unexpected ${JSON.stringify(text.slice(pos, pos + 12))}`;
    throw new ParseError(`${file}:${line}:${col}: invalid JSON: ${what}`);
  }
}

/** Throws ParseError `file: hosts[0].ports[2].port: must be <= 65535` for the first schema violation. */
export function validateAgainstSchema<T>(doc: unknown, name: PublishedSchema, file: string, what: string): T {
  const validate = schemaValidator(name);
  if (validate(doc)) return doc as T;
  const e = validate.errors![0]!;
  throw new ParseError(`${file}: not a valid ${what}: ${describeError(e)}`);
}

/** `/hosts/0/ports/1` → `hosts[0].ports[1]`. */
export function jsonPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : `${out ? '.' : ''}${seg}`;
  }
  return out;
}

function describeError(e: ErrorObject): string {
  const where = escapeTerminalText(jsonPath(e.instancePath)) || '(top level)';
  const p = e.params as Record<string, unknown>;
  let msg = e.message ?? 'invalid';
  if (e.keyword === 'required') msg = `required field "${String(p.missingProperty)}" missing`;
  else if (e.keyword === 'enum') msg = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') msg = `must be ${JSON.stringify(p.allowedValue)}`;
  return `${where}: ${msg}`;
}
