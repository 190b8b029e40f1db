import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleSockets } from '../../../src/local/assemble.js';
import { classifyExposure, interfaceOf, type InterfaceTable } from '../../../src/local/exposure.js';
import { OWNER_NEEDS_ROOT, OWNER_UNKNOWN } from '../../../src/model/index.js';
import type { RawSocket } from '../../../src/local/types.js';

const ifaces: InterfaceTable = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  dummy0: [
    { address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '192.0.2.10/24' },
    { address: '2001:db8::10', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '', internal: false, cidr: '2001:db8::10/64', scopeid: 0 },
  ],
};

test('exposure classes', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.0.0.53', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['0.0.0.0', 'all-interfaces'],
    ['::', 'all-interfaces'],
    ['192.0.2.10', 'interface'],
    ['fe80::1%lo0', 'interface'],
  ];
  for (const [a, want] of cases) assert.equal(classifyExposure(a), want, a);
});

test('the interface of a bound address is found by address or named zone', () => {
  assert.equal(interfaceOf('192.0.2.10', ifaces), 'dummy0');
  assert.equal(interfaceOf('2001:DB8::10', ifaces), 'dummy0');
  assert.equal(interfaceOf('fe80::1%en0', ifaces), 'en0');
  assert.equal(interfaceOf('198.51.100.1', ifaces), undefined);
});

const raw = (address: string, port: number, family: 4 | 6, protocol: 'tcp' | 'udp' = 'tcp'): RawSocket => ({
  protocol,
  family,
  address,
  port,
  state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
  inode: port * 10 + family,
  uid: 0,
  processes: [],
});

test('a :: socket is dual-stack unless bindv6only or a 0.0.0.0 socket shares its port and protocol', () => {
  const sockets = assembleSockets([raw('::', 22, 6), raw('::', 80, 6), raw('0.0.0.0', 80, 4), raw('::', 80, 6, 'udp'), raw('::1', 81, 6)], { interfaces: ifaces, bindV6Only: false, ownersHidden: false });
  const dual = (port: number, proto: string) => sockets.find((s) => s.port === port && s.family === 6 && s.protocol === proto)?.dualStack;
  assert.equal(dual(22, 'tcp'), true);
  assert.equal(dual(80, 'tcp'), false);
  assert.equal(dual(80, 'udp'), true);
  assert.equal(dual(81, 'tcp'), undefined);
  const v6only = assembleSockets([raw('::', 22, 6)], { interfaces: ifaces, bindV6Only: true, ownersHidden: false });
  assert.equal(v6only[0]?.dualStack, false);
});

test("the kernel's IPV6_V6ONLY (sock_diag) decides dual-stack over the heuristic, in both directions", () => {
  const cases: [v6Only: boolean | undefined, bindV6Only: boolean, twin: boolean, dual: boolean][] = [
    [true, false, false, false], // v6only set by the program, no 0.0.0.0 twin: the heuristic would say dual
    [false, true, false, true], // cleared by the program although bindv6only=1: the heuristic would say v6-only
    [false, false, true, true], // a dual-stack :: beside a 0.0.0.0 SO_REUSEPORT twin is still dual-stack
    [undefined, false, false, true], // /proc: no IPV6_V6ONLY, no twin → dual
    [undefined, false, true, false], // /proc: a 0.0.0.0 twin → v6-only
  ];
  for (const [v6Only, bindV6Only, twin, dual] of cases) {
    const v6: RawSocket = v6Only === undefined ? raw('::', 443, 6) : { ...raw('::', 443, 6), v6Only };
    const sockets = assembleSockets(twin ? [v6, raw('0.0.0.0', 443, 4)] : [v6], { interfaces: ifaces, bindV6Only, ownersHidden: false });
    assert.equal(sockets.find((x) => x.family === 6)?.dualStack, dual, `v6Only=${v6Only} bindv6only=${bindV6Only} twin=${twin}`);
  }
  // A v6-only socket on one address is not a `::` socket: no dualStack field at all.
  assert.equal(assembleSockets([{ ...raw('::1', 1, 6), v6Only: true }], { interfaces: ifaces, bindV6Only: false, ownersHidden: false })[0]?.dualStack, undefined);
});

test('owners: users of the processes, or unknown with the reason', () => {
  const withProc: RawSocket = {
    ...raw('192.0.2.10', 8080, 4),
    processes: [
      { pid: 5, name: 'a', command: 'a', user: 'nobody', uid: 65534 },
      { pid: 6, name: 'a', command: 'a', user: 'nobody', uid: 65534 },
    ],
  };
  const [s] = assembleSockets([withProc], { interfaces: ifaces, bindV6Only: false, ownersHidden: true, serviceName: (p) => (p === 8080 ? 'http-alt' : undefined), netns: 'lab' });
  assert.equal(s?.owner, 'nobody');
  assert.equal(s?.ownerKnown, true);
  assert.equal(s?.interface, 'dummy0');
  assert.equal(s?.service, 'http-alt');
  assert.equal(s?.netns, 'lab');
  const [hidden] = assembleSockets([raw('0.0.0.0', 1, 4)], { interfaces: ifaces, bindV6Only: false, ownersHidden: true });
  assert.equal(hidden?.owner, OWNER_NEEDS_ROOT);
  assert.equal(hidden?.ownerKnown, false);
  const [orphan] = assembleSockets([raw('0.0.0.0', 1, 4)], { interfaces: ifaces, bindV6Only: false, ownersHidden: false });
  assert.equal(orphan?.owner, OWNER_UNKNOWN);
});

test('sockets are sorted by protocol, port, family, address', () => {
  const sockets = assembleSockets([raw('::', 53, 6, 'udp'), raw('::', 22, 6), raw('127.0.0.1', 22, 4), raw('0.0.0.0', 22, 4)], { interfaces: ifaces, bindV6Only: false, ownersHidden: false });
  assert.deepEqual(
    sockets.map((s) => `${s.protocol} ${s.address} ${s.port}`),
    ['tcp 0.0.0.0 22', 'tcp 127.0.0.1 22', 'tcp :: 22', 'udp :: 53'],
  );
});
