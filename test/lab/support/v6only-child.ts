/**
 * Run inside a namespace by listening-sources.test.ts: one IPv6-only and one dual-stack socket on `::`
 * for TCP and for UDP, each on its own port (no 0.0.0.0 twin, so only IPV6_V6ONLY itself can tell them
 * apart). Prints {"tcpV6only":P,"tcpDual":P,"udpV6only":P,"udpDual":P} and stays until killed.
 */
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';

async function tcp(ipv6Only: boolean): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen({ host: '::', port: 0, ipv6Only }, () => res()));
  return (s.address() as AddressInfo).port;
}

async function udp(ipv6Only: boolean): Promise<number> {
  const u = createSocket({ type: 'udp6', ipv6Only });
  await new Promise<void>((res) => u.bind(0, '::', () => res()));
  return u.address().port;
}

const ports = { tcpV6only: await tcp(true), tcpDual: await tcp(false), udpV6only: await udp(true), udpDual: await udp(false) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
setInterval(() => {}, 1 << 30);
