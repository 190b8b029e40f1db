/**
 * Untrusted XML (nmap -oX files given to `import`/`diff`) checked before any parser sees it:
 * - a DOCTYPE with an external identifier or an internal subset, and any ENTITY declaration, is refused:
 *   no external entity is fetched (XXE), no parameter entity or "billion laughs" expansion happens. nmap's
 *   own bare `<!DOCTYPE nmaprun>` is allowed;
 * - element nesting is bounded (XML_MAX_DEPTH): a parser that builds nested objects recursively would
 *   overflow the stack on 200,000 nested tags;
 * - references are decoded here (the five predefined entities and character references), and nothing else.
 * Errors are ParseError `file:line:col: message`.
 */
import { ParseError } from '../model/index.js';
import { XML_MAX_DEPTH } from './limits.js';

export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: pos - start + 1 };
}

function fail(text: string, file: string, pos: number, message: string): never {
  const { line, col } = lineCol(text, pos);
  throw new ParseError(`${file}:${line}:${col}: ${message}`);
}

/** Throws on a DTD that declares anything, an ENTITY, or nesting deeper than `maxDepth`. */
export function checkXmlSafety(text: string, file: string, maxDepth = XML_MAX_DEPTH): void {
  let depth = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    if (text.startsWith('<!--', i)) i = skipPast(text, i, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipPast(text, i, ']]>');
    else if (text.startsWith('<?', i)) i = skipPast(text, i, '?>');
    else if (text.startsWith('<!', i)) {
      const decl = /^<!([A-Za-z]+)/.exec(text.slice(i, i + 20))?.[1]?.toUpperCase();
      const end = text.indexOf('>', i);
      const body = text.slice(i, end === -1 ? text.length : end + 1);
      if (decl === 'DOCTYPE' && /^<!DOCTYPE\s+[\w:.-]+\s*>$/i.test(body)) i = end + 1;
      else if (decl === 'DOCTYPE') fail(text, file, i, 'XML with a DOCTYPE that declares entities or names an external DTD is refused (XXE); nmap writes only <!DOCTYPE nmaprun>');
      else if (decl === 'ENTITY') fail(text, file, i, 'XML entity declarations are refused (entity expansion)');
      else fail(text, file, i, `unexpected markup declaration <!${decl ?? ''}`);
    } else if (text[i + 1] === '/') {
      depth--;
      i = text.indexOf('>', i);
      i = i === -1 ? -1 : i + 1;
    } else {
      const end = tagEnd(text, i);
      if (end === -1) return; // unterminated tag: the validator reports it with its position
      if (text[end - 1] !== '/') {
        depth++;
        if (depth > maxDepth) fail(text, file, i, `XML nested deeper than ${maxDepth} elements`);
      }
      i = end + 1;
    }
    if (i <= 0) return;
    i = text.indexOf('<', i);
  }
}

function skipPast(text: string, from: number, end: string): number {
  const j = text.indexOf(end, from);
  return j === -1 ? -1 : j + end.length;
}

/** Index of the `>` that ends the start tag at `from`; `>` inside quoted attribute values does not count. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let j = from + 1; j < text.length; j++) {
    const c = text[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The five predefined entities and character references (decimal, hex) decoded; anything else kept as is. */
export function decodeXmlReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/g, (all, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return PREDEFINED[name]!;
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
  });
}
