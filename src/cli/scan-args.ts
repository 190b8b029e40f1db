import { parseCommandLine } from './options/parse.js';
import { SCAN_COMMAND, type ScanCliOptions } from './scan-options.js';

export type { ScanCliOptions } from './scan-options.js';

/** Parse `portscope scan` arguments, nmap style (scan-options.ts). Throws OptionError with a one-line message. */
export function parseScanArgs(argv: readonly string[]): ScanCliOptions {
  const o = parseCommandLine(SCAN_COMMAND, argv);
  o.scan.verbose = o.verbose;
  return o;
}
