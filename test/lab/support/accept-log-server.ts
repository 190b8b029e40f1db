/**
 * Silent services that log every accepted connection, for pacing tests:
 *   node accept-log-server.js PORT…   → each port accepts and never answers; prints READY once every port
 *   listens, then `ACCEPT <port> <ms>` per connection (ms: performance.now() of this process).
 */
import { createServer, type Socket } from 'node:net';

const ports = process.argv.slice(2).map(Number);
const held = new Set<Socket>();
let ready = 0;
for (const port of ports) {
  const server = createServer((s) => {
    s.on('error', () => {});
    held.add(s);
    s.on('close', () => held.delete(s));
    process.stdout.write(`ACCEPT ${port} ${performance.now().toFixed(1)}\n`);
  });
  server.listen({ port, host: '0.0.0.0', backlog: 1024 }, () => {
    if (++ready === ports.length) process.stdout.write('READY\n');
  });
}
