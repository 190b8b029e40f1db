/**
 * Run inside a fresh network namespace by sock-diag.test.ts: opens TCP listeners and UDP sockets, then
 * prints {diag, proc}: the same sockets as sock_diag netlink (src/net/sock-diag.ts) and /proc/net
 * (src/local/linux/proc-net.ts) report them, and the IPV6_V6ONLY each IPv6 socket was opened with.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { parseProcNet, type ProcNetKind } from '../../../src/local/linux/proc-net.js';
import { readListeningSockets } from '../../../src/net/index.js';

const tcp: [string, boolean][] = [
  ['127.0.0.1', false],
  ['0.0.0.0', false],
  ['::1', true],
  ['::', true],
  ['::', false],
];
for (let i = 0; i < 20; i++) tcp.push([i % 2 ? '127.0.0.1' : '::1', true]);
/**
 * "tcp PORT" / "udp PORT" of every IPv6 socket → the IPV6_V6ONLY the kernel keeps: the one it was opened
 * with on `::`; always set once bound to a specific IPv6 address (net/ipv6/af_inet6.c, __inet6_bind:
 * "if (!(addr_type & IPV6_ADDR_MAPPED)) sk->sk_ipv6only = 1" for any address but `::`).
 */
const kept = (host: string, ipv6Only: boolean): boolean => ipv6Only || host !== '::';
const v6only: Record<string, boolean> = {};
for (const [host, ipv6Only] of tcp) {
  const s = createServer();
  await new Promise<void>((res) => s.listen({ host, port: 0, ipv6Only }, () => res()));
  if (host.includes(':')) v6only[`tcp ${(s.address() as AddressInfo).port}`] = kept(host, ipv6Only);
}
for (const [type, host, ipv6Only] of [
  ['udp4', '127.0.0.1', false],
  ['udp4', '0.0.0.0', false],
  ['udp6', '::1', false],
  ['udp6', '::', true],
] as const) {
  const u = createSocket({ type, ipv6Only });
  await new Promise<void>((res) => u.bind(0, host, () => res()));
  if (type === 'udp6') v6only[`udp ${u.address().port}`] = kept(host, ipv6Only);
}
const diag = readListeningSockets();
const proc = (['tcp', 'tcp6', 'udp', 'udp6'] as ProcNetKind[]).flatMap((k) => parseProcNet(readFileSync(`/proc/net/${k}`, 'utf8'), k));
process.stdout.write(JSON.stringify({ diag, proc, v6only }));
process.exit(0);
