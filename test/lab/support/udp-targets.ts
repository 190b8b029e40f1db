/**
 * The two-target UDP lab shared by test/lab/udp-walk and distributed-udp: per target, UDP ports answered by an
 * echo listener (open), dropped (open|filtered) and rejected admin-prohibited (filtered), the rest closed (port
 * unreachable); TCP 4000 open on target 0 with 4002 dropped, 4001 and 4003 open on target 1.
 */
import assert from 'node:assert/strict';
import type { Lab } from '../../helpers/netlab/index.js';

export interface UdpTruth {
  open: number[];
  drop: number[];
  prohibited: number[];
}

const ECHO_JS = `
const dgram = require('node:dgram');
const ports = process.argv[1].split(',').map(Number);
let ready = 0;
for (const p of ports) {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
  s.bind(p, '0.0.0.0', () => { if (++ready === ports.length) console.log('READY'); });
}`;

/**
 * Firewall (nft table `table`, before the lab's own filter; `countPorts`: a counter per port ahead of any
 * verdict, so probes can be counted), UDP echo listeners and the TCP listeners, in targets 0 and 1.
 */
export async function buildUdpTargets(lab: Lab, truth: readonly UdpTruth[], table: string, countPorts: readonly number[] = []): Promise<void> {
  for (const [i, t] of truth.entries()) {
    const rules = [
      `table inet ${table} {`,
      '  chain input {',
      '    type filter hook input priority filter - 1; policy accept;',
      ...countPorts.map((p) => `    udp dport ${p} counter`),
      ...(t.drop.length > 0 ? [`    udp dport { ${t.drop.join(', ')} } drop`] : []),
      ...(t.prohibited.length > 0 ? [`    udp dport { ${t.prohibited.join(', ')} } reject with icmpx admin-prohibited`] : []),
      '  }',
      '}',
    ];
    const fw = await lab.runInTarget(i, 'nft', ['-f', '-'], { input: `${rules.join('\n')}\n` });
    assert.equal(fw.code, 0, fw.stderr);
    const child = lab.spawnInTarget(i, process.execPath, ['-e', ECHO_JS, t.open.join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.setEncoding('utf8').on('data', (d: string) => d.includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`udp listener in target ${i} exited ${code}`)));
    });
  }
  await lab.setFirewall({ drop: [4002] }, 0);
  await lab.listen([4000], { target: 0 });
  await lab.listen([4001, 4003], { target: 1 });
}
