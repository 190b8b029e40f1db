/**
 * Untrusted YAML (audit policies): YAML 1.2 core schema, duplicate keys refused, aliases bounded. A
 * "billion laughs" alias bomb is one clear error (the yaml package throws a ReferenceError from toJS
 * when maxAliasCount is exceeded), never an internal error.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { YAML_MAX_ALIASES } from './limits.js';

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** The first syntax error with its position, or the data as plain JavaScript values. */
  result: { error: string; line: number; col: number } | { value: unknown };
}

export function parseYamlText(text: string, maxAliases = YAML_MAX_ALIASES): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': the package would otherwise print process warnings (a map used as a key) on stderr.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lineCounter.linePos(syntax.pos[0]);
    const msg = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    return { doc, lineCounter, result: { error: msg, line: pos.line, col: pos.col } };
  }
  try {
    return { doc, lineCounter, result: { value: doc.toJS({ maxAliasCount: maxAliases }) as unknown } };
  } catch (err) {
    if (err instanceof ReferenceError || err instanceof RangeError) {
      const message = /alias/i.test(err.message) ? `too many YAML alias expansions (more than ${maxAliases}): refused as an alias bomb` : `YAML too deeply nested or self-referencing: ${err.message}`;
      return { doc, lineCounter, result: { error: message, line: 0, col: 0 } };
    }
    throw err;
  }
}
