/**
 * A lab target with real UDP services (Debian's dnsmasq, chrony, snmpd), a tiny UDP echo service, UDP
 * firewall rules and many closed ports, shared by the UDP lab tests and bench/benchmarks/udp-lab.ts.
 * The truth of every port is declared here; the kernel's default ICMP rate limit stays on.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNativeUdp } from '../../src/net/udp-native-backend.js';
import type { Lab } from '../helpers/netlab/index.js';

export interface UdpTruth {
  state: 'open' | 'closed' | 'filtered' | 'open|filtered';
  reason: string;
  /** Service name an open port must be identified as. */
  service?: string;
}

export interface UdpPlan {
  dns: number;
  ntp: number | null;
  snmp: number | null;
  echo: number[];
  drop: number[];
  adminProhibited: number[];
  /** Rejected with ICMP host-unreachable (3/1) / ICMPv6 address-unreachable (1/3). */
  hostUnreachable: number[];
  /** Rejected with ICMP net-unreachable (3/0) / ICMPv6 no-route (1/0). */
  netUnreachable: number[];
  /** Silent listeners: a service that ignores what it receives (open, but looks like drop). */
  silent: number[];
  closed: number[];
}

export const DAEMONS = { dnsmasq: '/usr/sbin/dnsmasq', chronyd: '/usr/sbin/chronyd', snmpd: '/usr/sbin/snmpd' };

/** The standard plan: `closedCount` closed ports starting at 20000; `unreachables` adds host/net-unreachable rejects. */
export function udpPlan(closedCount: number, unreachables = false): UdpPlan {
  return {
    dns: 53,
    ntp: existsSync(DAEMONS.chronyd) ? 123 : null,
    snmp: existsSync(DAEMONS.snmpd) ? 161 : null,
    echo: [7, 7007],
    drop: [5000, 5001, 5002, 5003, 514],
    adminProhibited: [5010, 5011, 5012],
    hostUnreachable: unreachables ? [5020, 5021] : [],
    netUnreachable: unreachables ? [5030] : [],
    silent: [51820],
    closed: Array.from({ length: closedCount }, (_, i) => 20000 + i),
  };
}

export function planPorts(p: UdpPlan): number[] {
  return [p.dns, p.ntp, p.snmp, ...p.echo, ...p.drop, ...p.adminProhibited, ...p.hostUnreachable, ...p.netUnreachable, ...p.silent, ...p.closed].filter((x): x is number => x !== null);
}

export function udpTruth(p: UdpPlan): Map<number, UdpTruth> {
  const t = new Map<number, UdpTruth>();
  t.set(p.dns, { state: 'open', reason: 'udp-response', service: 'domain' });
  if (p.ntp !== null) t.set(p.ntp, { state: 'open', reason: 'udp-response', service: 'ntp' });
  if (p.snmp !== null) t.set(p.snmp, { state: 'open', reason: 'udp-response', service: 'snmp' });
  for (const e of p.echo) t.set(e, { state: 'open', reason: 'udp-response' });
  for (const d of [...p.drop, ...p.silent]) t.set(d, { state: 'open|filtered', reason: 'no-response' });
  for (const a of p.adminProhibited) t.set(a, { state: 'filtered', reason: 'admin-prohibited' });
  for (const h of p.hostUnreachable) t.set(h, { state: 'filtered', reason: 'host-unreach' });
  for (const n of p.netUnreachable) t.set(n, { state: 'filtered', reason: 'net-unreach' });
  for (const c of p.closed) t.set(c, { state: 'closed', reason: 'port-unreach' });
  return t;
}

/** portscope -sU uses the native prober when it is built, as the tests' own process sees it. */
export const NATIVE_UDP = loadNativeUdp() !== null;

/**
 * The truth as the backend in use can see it (docs/udp.md). The native prober reads every ICMP type and
 * code (IP_RECVERR): the truth as declared. node:dgram sees only errnos: ICMPv4 admin-prohibited (3/13)
 * arrives as EHOSTUNREACH (host-unreach), and host-/net-unreachable in either family are soft errors it
 * never hears of (open|filtered, as silence).
 */
export function truthFor(family: 4 | 6, truth: UdpTruth, native = NATIVE_UDP): UdpTruth {
  if (native || truth.state !== 'filtered') return truth;
  if (truth.reason === 'admin-prohibited') return family === 4 ? { ...truth, reason: 'host-unreach' } : truth;
  return { state: 'open|filtered', reason: 'no-response' };
}

const ECHO_JS = `
const dgram = require('node:dgram');
const [ports, mode] = [process.argv[1].split(',').map(Number), process.argv[2]];
let ready = 0;
for (const p of ports) for (const type of ['udp4', 'udp6']) {
  const s = dgram.createSocket({ type, ipv6Only: type === 'udp6' });
  s.on('message', (m, r) => { if (mode === 'echo') s.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address); });
  s.bind(p, type === 'udp4' ? '0.0.0.0' : '::', () => { if (++ready === ports.length * 2) console.log('READY'); });
}`;

/** Daemons that exited early, with their last stderr: the reason a wait for listeners failed. */
const exits: string[] = [];

function keep(lab: Lab, name: string, cmd: string, args: string[]): Promise<void> {
  const child = lab.spawnInTarget(0, cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
  child.once('exit', (code, signal) => {
    if (signal === null) exits.push(`${name} exited ${code}: ${err.trim()}`);
  });
  if (cmd !== process.execPath) return Promise.resolve();
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => d.includes('READY') && resolve());
    child.once('exit', (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
  });
}

/** Start every service and the UDP firewall in target 0; resolves once all listen. */
export async function startUdpTarget(lab: Lab, dir: string, p: UdpPlan): Promise<void> {
  const t = lab.target;
  const rules = [
    'table inet portscope_udp {',
    '  chain input {',
    '    type filter hook input priority filter - 1; policy accept;',
    `    udp dport { ${p.drop.join(', ')} } drop`,
    `    udp dport { ${p.adminProhibited.join(', ')} } reject with icmpx admin-prohibited`,
    ...(p.hostUnreachable.length === 0
      ? []
      : [`    meta nfproto ipv4 udp dport { ${p.hostUnreachable.join(', ')} } reject with icmp type host-unreachable`, `    meta nfproto ipv6 udp dport { ${p.hostUnreachable.join(', ')} } reject with icmpv6 type addr-unreachable`]),
    ...(p.netUnreachable.length === 0
      ? []
      : [`    meta nfproto ipv4 udp dport { ${p.netUnreachable.join(', ')} } reject with icmp type net-unreachable`, `    meta nfproto ipv6 udp dport { ${p.netUnreachable.join(', ')} } reject with icmpv6 type no-route`]),
    '  }',
    '}',
  ];
  const fw = await lab.runInTarget(0, 'nft', ['-f', '-'], { input: `${rules.join('\n')}\n` });
  if (fw.code !== 0) throw new Error(`udp lab: nft failed: ${fw.stderr}`);
  await keep(lab, 'echo', process.execPath, ['-e', ECHO_JS, p.echo.join(','), 'echo']);
  await keep(lab, 'silent', process.execPath, ['-e', ECHO_JS, p.silent.join(','), 'silent']);
  await keep(lab, 'dnsmasq', DAEMONS.dnsmasq, [
    '-k',
    '--conf-file=/dev/null',
    `--port=${p.dns}`,
    '--no-resolv',
    '--no-hosts',
    '--user=root',
    `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    `--listen-address=${t.v4},${t.v6}`,
    '--bind-interfaces',
  ]);
  if (p.ntp !== null) {
    const conf = join(dir, 'chrony.conf');
    writeFileSync(conf, `port ${p.ntp}\nallow all\nlocal stratum 8\ncmdport 0\npidfile ${join(dir, 'chronyd.pid')}\ndriftfile ${join(dir, 'drift')}\n`);
    await keep(lab, 'chronyd', DAEMONS.chronyd, ['-d', '-x', '-u', 'root', '-f', conf]);
  }
  if (p.snmp !== null) {
    const conf = join(dir, 'snmpd.conf');
    writeFileSync(conf, `rocommunity public default\nrocommunity6 public default\nsysDescr portscope udp lab\n`);
    await keep(lab, 'snmpd', DAEMONS.snmpd, ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid'), `udp:${p.snmp},udp6:${p.snmp}`]);
  }
  await waitUdpListening(
    lab,
    planPorts(p).filter((x) => x === p.dns || x === p.ntp || x === p.snmp),
  );
}

async function waitUdpListening(lab: Lab, ports: number[]): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const r = await lab.runInTarget(0, 'ss', ['-lunH']);
    const open = new Set([...r.stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
    if (ports.every((x) => open.has(x))) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  const ss = await lab.runInTarget(0, 'ss', ['-lunH']);
  throw new Error(`udp lab: daemons not listening on ${ports.join(',')} within 30 s; ss:\n${ss.stdout}\n${exits.join('\n')}`);
}
