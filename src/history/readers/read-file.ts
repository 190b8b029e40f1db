/** A scan file from disk, read within the input limits (input/limits.ts) and parsed; errors name the file. */
import { scanFileMaxBytes } from '../../input/limits.js';
import { readBoundedText } from '../../input/read-bounded.js';
import type { ScanRecord } from '../../model/index.js';
import { parseScanDocument } from './scan-document.js';

export function readScanFile(path: string, env: NodeJS.ProcessEnv = process.env): ScanRecord {
  return parseScanDocument(readBoundedText(path, { what: 'scan file', maxBytes: scanFileMaxBytes(env) }), path);
}
