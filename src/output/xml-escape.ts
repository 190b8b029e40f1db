/**
 * The one XML escaper (scan -oX, listening --xml, audit JUnit). Characters XML 1.0 cannot carry at all (C0
 * controls other than tab/LF/CR, U+FFFE/FFFF, lone surrogates) and those it only "discourages" yet
 * terminals obey (DEL, the C1 controls U+0080–U+009F, §2.2's note) are written as the visible text `\xNN`
 * — the terminal escaper's notation — so the document stays well-formed and `cat file.xml` stays harmless
 * whatever a PTR record, banner or command line contains (https://www.w3.org/TR/xml/#charsets).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function dropIllegal(text: string): string {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    c.charCodeAt(0) > 0xff ? `\\u{${c.charCodeAt(0).toString(16)}}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Text for an attribute value in double quotes. */
export function xmlAttr(value: string | number): string {
  return dropIllegal(String(value)).replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c]!);
}

/**
 * Text for inside `<!-- … -->`: `--` is not allowed there, so it is written `-&#45;` as nmap does in its
 * header comment (entities are not expanded in comments; readers see the characters as they are).
 */
export function xmlCommentText(text: string): string {
  let out = dropIllegal(text).replace(/[\r\n]/g, ' ');
  while (out.includes('--')) out = out.replace('--', '-&#45;');
  return out;
}
