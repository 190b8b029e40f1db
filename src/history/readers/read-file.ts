/** A scan file from disk, read and parsed; the file's name is in every error. */
import { readFileSync } from 'node:fs';
import { FileError, type ScanRecord } from '../../model/index.js';
import { parseScanDocument } from './scan-document.js';

export function readScanFile(path: string): ScanRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FileError(`cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseScanDocument(text, path);
}
