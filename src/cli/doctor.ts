import { doctor, escapeTerminalText as oneLine, type DoctorReport } from '../index.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import type { CommandSpec } from './options/types.js';

interface DoctorCli {
  json: boolean;
  help: boolean;
}

export const DOCTOR_COMMAND: CommandSpec<DoctorCli> = {
  name: 'doctor',
  usage: ['[--json]'],
  description: `What portscope can do on this machine, to paste into a bug report: Node version, platform, probe backend in
use and why, capabilities (ping sockets, CAP_NET_RAW, network namespaces), database drivers that load
(better-sqlite3, node:sqlite, pg) and the kernel's ICMP rate limits. Reads only; sends nothing.`,
  style: 'posix',
  options: [
    { names: ['--json'], group: 'Options:', help: 'JSON on stdout instead of text', apply: (c) => (c.json = true) },
    { names: ['-h', '--help'], group: 'Options:', help: 'this help', apply: (c) => (c.help = true) },
  ],
  init: () => ({ json: false, help: false }),
};

export async function runDoctor(argv: readonly string[], io: CliIO): Promise<number> {
  const cli = parseCommandLine(DOCTOR_COMMAND, argv);
  if (cli.help) {
    io.stdout.write(renderHelp(DOCTOR_COMMAND));
    return 0;
  }
  const report = doctor(io.env);
  io.stdout.write(cli.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(report));
  return 0;
}

/** `portscope doctor` for people: one fact per line, grouped. */
function renderDoctorText(r: DoctorReport): string {
  const lines: string[] = [];
  const add = (label: string, value: string): void => void lines.push(`  ${label.padEnd(27)} ${oneLine(value)}`);
  lines.push(`portscope ${r.portscope}`);
  add('node', `v${r.node} (N-API ${r.napi})`);
  add('platform', `${r.platform} ${r.arch}, kernel ${r.kernel}`);
  lines.push('backend');
  add('tcp connect', r.backend.connect === 'native' ? 'native addon' : 'pure Node (node:net)');
  add('udp', r.backend.udp === 'native' ? 'native addon' : 'node:dgram');
  add('native addon', `${r.backend.source}: ${r.backend.reason}`);
  if (r.linux) add('listening sockets', r.linux.listeningSource.detail);
  if (r.linux) {
    const { pingSockets: ping, capabilities: caps, netns } = r.linux;
    lines.push('capabilities');
    const range = ping.groupRange ? `${ping.groupRange[0]}-${ping.groupRange[1]}` : 'unreadable';
    add('ping sockets', `${ping.allowed ? 'yes' : 'no'} (net.ipv4.ping_group_range ${range}; our groups ${ping.gids.join(',')})`);
    const echo = (w: string): string => (w === 'dgram' ? 'ping socket' : w === 'raw' ? 'raw socket' : `no: ${w}`);
    add('icmp echo (-PE)', `IPv4 ${echo(r.linux.icmpEcho.v4)}; IPv6 ${echo(r.linux.icmpEcho.v6)}`);
    add('CAP_NET_RAW', `${caps.netRaw ? 'yes' : 'no'} (CapEff ${caps.effective ?? 'unreadable'})`);
    add('CAP_NET_ADMIN', caps.netAdmin ? 'yes' : 'no');
    add('netns', `${netns.kernel ? 'kernel yes' : 'kernel no'}, /var/run/netns ${netns.runDir ? 'present' : 'absent'}, ip ${netns.ipCommand ?? 'not found'}${caps.sysAdmin ? '' : ' (listening --netns needs root)'}`);
    lines.push('icmp rate limits');
    for (const [name, value] of Object.entries(r.linux.icmpRateLimits)) add(name, value ?? 'absent');
  }
  lines.push('databases');
  for (const d of r.databases) add(d.name, `${d.available ? 'yes' : 'no'}: ${d.detail}`);
  return `${lines.join('\n')}\n`;
}
