import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { fileURLToPath } from 'node:url';
import { collect, createLab, run, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';

// Issue 10 item 12: -sV with many open ports printed MaxListenersExceededWarning (one abort listener per probe
// on one signal); reverse DNS went through getnameinfo on libuv's thread pool, unbounded and uncancellable.
// Names are asked of the lab's own dnsmasq only: the scanner namespace's resolv.conf points at the target.

test('-sV -q on 12 open ports that never answer prints nothing on stderr (no MaxListenersExceededWarning)', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab();
  try {
    await lab.listen('3500-3511', { family: 4, mode: 'hold' });
    const r = await scanCli(lab, ['-sV', '-q', '-Pn', '-n', '--version-light', '-p', '3500-3511', lab.target.v4], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, describeRun(r));
    assert.equal(r.stderr, '', describeRun(r));
    assert.equal((r.stdout.match(/^35\d\d\/tcp\s+open/gm) ?? []).length, 12, r.stdout);
  } finally {
    await lab.close();
  }
});

/** dnsmasq in the target answering PTR queries for the lab; the scanner namespace resolves through it. */
async function labResolver(lab: Lab, dir: string, ptr: Record<string, string>): Promise<() => void> {
  const netnsDir = `/etc/netns/${lab.scannerNs}`;
  mkdirSync(netnsDir, { recursive: true });
  writeFileSync(`${netnsDir}/resolv.conf`, `nameserver ${lab.target.v4}\noptions timeout:1 attempts:1\n`);
  const records = Object.entries(ptr).map(([addr, name]) => `--ptr-record=${addr.split('.').reverse().join('.')}.in-addr.arpa,${name}`);
  const d = lab.spawnInTarget(
    0,
    '/usr/sbin/dnsmasq',
    ['-k', '--conf-file=/dev/null', '--port=53', `--listen-address=${lab.target.v4}`, '--bind-interfaces', '--no-resolv', '--no-hosts', '--user=root', `--pid-file=${dir}/dnsmasq.pid`, ...records],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  for (let i = 0; i < 100; i++) {
    if (d.exitCode !== null) throw new Error(`dnsmasq exited ${d.exitCode}`);
    const ss = await lab.runInTarget(0, 'ss', ['-Hlun', 'sport = :53']);
    if (ss.stdout.trim() !== '') return () => rmSync(netnsDir, { recursive: true, force: true });
    await sleep(100);
  }
  throw new Error('dnsmasq did not listen on 53');
}

test('reverse DNS names an up host from the lab resolver (PTR in XML and JSON)', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2 });
  const tmp = tempDir();
  let unmount = (): void => {};
  try {
    unmount = await labResolver(lab, tmp.dir, { [lab.targets[1]!.v4]: 'second.lab.portscope.test' });
    await lab.listen([3600], { target: 1, family: 4 });
    const r = await scanCli(lab, ['-Pn', '-p', '3600', '-oX', tmp.file('n.xml'), '-oJ', tmp.file('n.json'), lab.targets[1]!.v4, lab.target.v4]);
    assert.equal(r.code, 0, describeRun(r));
    const xml = readFileSync(tmp.file('n.xml'), 'utf8');
    assert.match(xml, /<hostname name="second\.lab\.portscope\.test" type="PTR"\/>/);
    const doc = JSON.parse(readFileSync(tmp.file('n.json'), 'utf8')) as { hosts: { address: string; hostnames: { name: string; type: string }[] }[] };
    const byAddr = new Map(doc.hosts.map((h) => [h.address, h.hostnames]));
    assert.deepEqual(byAddr.get(lab.targets[1]!.v4), [{ name: 'second.lab.portscope.test', type: 'PTR' }]);
    assert.deepEqual(byAddr.get(lab.target.v4), [], 'no PTR record: no name');
  } finally {
    unmount();
    await lab.close();
    tmp.remove();
  }
});

test('SIGINT while hosts wait for reverse DNS from a name server that never answers: exit 130, the host reported without a name', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 2 });
  const tmp = tempDir();
  const netnsDir = `/etc/netns/${lab.scannerNs}`;
  try {
    mkdirSync(netnsDir, { recursive: true });
    writeFileSync(`${netnsDir}/resolv.conf`, `nameserver ${lab.target.v4}\n`);
    const dns = lab.spawnInTarget(0, process.execPath, [fileURLToPath(new URL('./support/silent-dns.js', import.meta.url)), lab.target.v4], { stdio: ['ignore', 'pipe', 'pipe'] });
    let queried: () => void = () => {};
    const firstQuery = new Promise<void>((r) => (queried = r));
    await new Promise<void>((resolve, reject) => {
      dns.stdout?.setEncoding('utf8').on('data', (d: string) => {
        if (d.includes('READY')) resolve();
        if (d.includes('QUERY')) queried();
      });
      dns.once('exit', (code) => reject(new Error(`silent-dns exited ${code}`)));
    });
    await lab.listen([3600], { target: 1, family: 4 });
    const files = { xml: tmp.file('r.xml'), json: tmp.file('r.json') };
    const child = lab.spawnInScanner(process.execPath, [PORTSCOPE, 'scan', '-Pn', '-p', '3600', '-oX', files.xml, '-oJ', files.json, lab.targets[1]!.v4]);
    const done = collect(child, performance.now(), { timeoutMs: 60_000 });
    await firstQuery; // the port scan is over; the host waits for its PTR lookup
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 130, describeRun(r));
    const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', files.xml]);
    assert.equal(lint.code, 0, lint.stderr);
    assert.match(readFileSync(files.xml, 'utf8'), /<finished [^>]*exit="error"/);
    const doc = JSON.parse(readFileSync(files.json, 'utf8')) as { summary: { interrupted: boolean }; hosts: { address: string; hostnames: unknown[]; ports: { port: number; state: string }[] }[] };
    assert.equal(doc.summary.interrupted, true);
    assert.deepEqual(
      doc.hosts.map((h) => [h.address, h.hostnames, h.ports.map((p) => `${p.port}/${p.state}`)]),
      [[lab.targets[1]!.v4, [], ['3600/open']]],
    );
  } finally {
    rmSync(netnsDir, { recursive: true, force: true });
    await lab.close();
    tmp.remove();
  }
});
