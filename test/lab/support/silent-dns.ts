/**
 * A name server that never answers: `node silent-dns.js ADDRESS` binds UDP ADDRESS:53, prints READY, then
 * `QUERY` for every datagram it swallows (tests wait for it: the scanner is then waiting on reverse DNS).
 */
import { createSocket } from 'node:dgram';

const socket = createSocket('udp4');
socket.on('message', () => process.stdout.write('QUERY\n'));
socket.bind(53, process.argv[2] ?? '127.0.0.1', () => process.stdout.write('READY\n'));
