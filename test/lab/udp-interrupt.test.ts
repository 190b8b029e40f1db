import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { collect, createLab, run } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { planPorts, startUdpTarget, udpPlan } from './udp-lab.js';

// A UDP scan waits on the target's ICMP rate limit for most of its time: SIGINT in that wait must end it at
// once with complete output files and the host marked incomplete.
test('SIGINT during a UDP scan exits 130 with complete outputs and an incomplete host', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'kernel-default' });
  const tmp = tempDir();
  try {
    const plan = { ...udpPlan(60), ntp: null, snmp: null };
    await startUdpTarget(lab, tmp.dir, plan);
    const files = { xml: tmp.file('i.xml'), json: tmp.file('i.json') };
    const args = [PORTSCOPE, 'scan', '-sU', '-v', '-Pn', '-n', '-p', planPorts(plan).join(','), '-oX', files.xml, '-oJ', files.json, lab.target.v4];
    const child = lab.spawnInScanner(process.execPath, args);
    const done = collect(child, performance.now(), { timeoutMs: 60_000 });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer | string) => {
        out += d.toString();
        if (/Discovered open port 53\/udp/.test(out)) resolve();
      });
      child.once('exit', () => reject(new Error(`scan ended before it was interrupted:\n${out}`)));
    });
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 130, describeRun(r));
    assert.ok(r.ms < 50_000, 'the scan stopped rather than running to its end');
    const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', files.xml]);
    assert.equal(lint.code, 0, lint.stderr);
    const xml = readFileSync(files.xml, 'utf8');
    assert.match(xml, /<port protocol="udp" portid="53"><state state="open"/);
    const doc = JSON.parse(readFileSync(files.json, 'utf8')) as { summary: { interrupted: boolean }; hosts: { complete: boolean }[] };
    assert.equal(doc.summary.interrupted, true);
    assert.equal(doc.hosts[0]?.complete, false);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
