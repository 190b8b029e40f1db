/**
 * A small TCP listener process for the lab, started inside a target namespace by Lab.listen():
 *   node listener.js --ports 22,80,8000-8100 --family 4|6|both --mode close|hold
 * It listens on 0.0.0.0 (4), :: v6-only (6) or one dual-stack :: socket (both), then prints READY on
 * stdout. `close` accepts and closes each connection at once; `hold` keeps it open until the process ends.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expandPorts } from './ports.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const ports = expandPorts(arg('ports', ''));
const family = arg('family', 'both');
const mode = arg('mode', 'close');
const held = new Set<Socket>();

function listenOne(port: number): Promise<Server> {
  const server = createServer((sock) => {
    sock.on('error', () => {}); // a scanner resets connections; that is not our problem
    if (mode === 'hold') {
      held.add(sock);
      sock.on('close', () => held.delete(sock));
    } else sock.destroy();
  });
  const host = family === '4' ? '0.0.0.0' : '::';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: family === '6', backlog: 4096 }, () => resolve(server));
  });
}

try {
  if (ports.length === 0) throw new Error('no ports given (--ports)');
  if (!['4', '6', 'both'].includes(family)) throw new Error(`bad --family ${family}`);
  for (const p of ports) await listenOne(p);
  process.stdout.write('READY\n');
} catch (err) {
  process.stderr.write(`listener: ${(err as Error).message}\n`);
  process.exit(1);
}
process.on('SIGTERM', () => process.exit(0));
