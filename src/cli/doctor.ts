import { doctor, OptionError, renderDoctorText } from '../index.js';
import type { CliIO } from './io.js';

export const DOCTOR_HELP = `Usage: portscope doctor [--json]

What portscope can do on this machine, to paste into a bug report: Node version, platform, probe backend in
use and why, capabilities (ping sockets, CAP_NET_RAW, network namespaces), database drivers that load
(better-sqlite3, node:sqlite, pg) and the kernel's ICMP rate limits. Reads only; sends nothing.

  --json       JSON on stdout instead of text
  -h, --help   this help
`;

export async function runDoctor(argv: readonly string[], io: CliIO): Promise<number> {
  let json = false;
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') {
      io.stdout.write(DOCTOR_HELP);
      return 0;
    }
    if (arg === '--json') json = true;
    else throw new OptionError(`doctor: unknown option "${arg}" (options: --json, --help)`);
  }
  const report = doctor(io.env);
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(report));
  return 0;
}
