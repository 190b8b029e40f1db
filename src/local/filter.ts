import { OptionError, parsePortRange, type ListeningFilter, type ListeningSocket } from '../model/index.js';

/** Keeps the sockets every given filter matches. --tcp and --udp together mean both (as in ss/netstat). */
export function filterSockets(sockets: readonly ListeningSocket[], f: ListeningFilter): ListeningSocket[] {
  const protoFilter = f.tcp === true || f.udp === true;
  const proc = f.process?.toLowerCase();
  const ports = f.ports ? new Set(f.ports) : undefined;
  return sockets.filter((s) => {
    if (protoFilter && !((f.tcp === true && s.protocol === 'tcp') || (f.udp === true && s.protocol === 'udp'))) return false;
    if (f.public === true && s.exposure === 'loopback') return false;
    if (ports && !ports.has(s.port)) return false;
    if (proc !== undefined && !s.processes.some((p) => String(p.pid) === proc || p.name.toLowerCase().includes(proc) || p.command.toLowerCase().includes(proc))) return false;
    if (f.user !== undefined && !s.processes.some((p) => p.user === f.user || String(p.uid) === f.user)) return false;
    return true;
  });
}

/** `--port 22,80,8000-8010` → port numbers; one clear error for anything else. */
export function parsePortList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const r = parsePortRange(part.trim());
    if (!r) throw new OptionError(`--port: "${part}" is not a port or range (0-65535, e.g. 22,80,8000-8010)`);
    for (let p = r[0]; p <= r[1]; p++) out.push(p);
  }
  return out;
}
