/**
 * Reading scan files for `diff` and `import`: nmap XML (nmap's own or portscope's -oX) and portscope JSON
 * (-oJ), told apart by their first character. Pure: text in, ScanRecord out, ParseError naming the file.
 */
import { ParseError, type ScanRecord } from '../../model/index.js';
import { parseNmapXml } from './nmap-xml.js';
import { parsePortscopeJson } from './portscope-json.js';

export function parseScanDocument(text: string, file: string): ScanRecord {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) throw new ParseError(`${file}: empty file, expected nmap XML or portscope JSON`);
  return first === '{' ? parsePortscopeJson(text, file) : parseNmapXml(text, file);
}
