/** `portscope doctor` for people: one fact per line, grouped, with what it means for portscope. */
import type { DoctorReport } from '../api/doctor.js';
import { oneLine } from './text.js';

export function renderDoctorText(r: DoctorReport): string {
  const lines: string[] = [];
  const add = (label: string, value: string): void => void lines.push(`  ${label.padEnd(27)} ${oneLine(value)}`);
  lines.push(`portscope ${r.portscope}`);
  add('node', `v${r.node} (N-API ${r.napi})`);
  add('platform', `${r.platform} ${r.arch}, kernel ${r.kernel}`);
  lines.push('backend');
  add('tcp connect', r.backend.connect === 'native' ? 'native addon' : 'pure Node (node:net)');
  add('udp', r.backend.udp === 'native' ? 'native addon' : 'node:dgram');
  add('native addon', `${r.backend.source}: ${r.backend.reason}`);
  if (r.linux) {
    const { pingSockets: ping, capabilities: caps, netns } = r.linux;
    lines.push('capabilities');
    const range = ping.groupRange ? `${ping.groupRange[0]}-${ping.groupRange[1]}` : 'unreadable';
    add('ping sockets', `${ping.allowed ? 'yes' : 'no'} (net.ipv4.ping_group_range ${range}; our groups ${ping.gids.join(',')})`);
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
