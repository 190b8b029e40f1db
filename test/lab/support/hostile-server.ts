/**
 * Hostile services for -sV tests, one per port, started in a lab target namespace:
 *   node hostile-server.js BASE   → BASE silent (never answers), BASE+1 floods bytes, BASE+2 closes on
 *   accept, BASE+3 answers garbage to everything, BASE+4 closes when the first bytes arrive (mid-handshake).
 * Prints READY once every port listens.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';

const base = Number(process.argv[2] ?? 3000);
const held = new Set<Socket>();
const CHUNK = Buffer.alloc(64 * 1024, 0x41);

const behaviours: ((s: Socket) => void)[] = [
  (s) => {
    held.add(s);
    s.on('close', () => held.delete(s));
  },
  (s) => {
    // Write as fast as the peer reads, forever: the scanner must stop reading, not us stop writing.
    const pump = (): void => {
      while (!s.destroyed && s.write(CHUNK));
    };
    s.on('drain', pump);
    pump();
  },
  (s) => s.destroy(),
  (s) => {
    s.write(randomBytes(200));
    s.on('data', () => s.write(randomBytes(300)));
  },
  (s) => s.once('data', () => s.destroy()),
];

let ready = 0;
for (const [i, behave] of behaviours.entries()) {
  const server = createServer((s) => {
    s.on('error', () => {});
    behave(s);
  });
  server.listen(base + i, '0.0.0.0', () => {
    if (++ready === behaviours.length) process.stdout.write('READY\n');
  });
}
