/**
 * The fleet's inside view (issue 14): three target namespaces act as machines (each its own machine id),
 * each saves its listening sockets into a throwaway PostgreSQL with `listening --save`; the scanner
 * namespace scans them and saves the scan; `audit --fleet` names the right machine for each finding.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { PgCluster, pgUnavailableReason } from './support/pg-cluster.js';
import { writeFileSync } from 'node:fs';

const pgReason = pgUnavailableReason();
const gate = labTestOptions();
const opts = { skip: gate.skip || (pgReason !== null && process.env.CI !== 'true' ? `fleet: ${pgReason}` : false) };

let cluster: PgCluster | undefined;
before(async () => {
  if (opts.skip) return;
  if (pgReason) throw new Error(`fleet test cannot run in CI: ${pgReason}`);
  cluster = await PgCluster.start();
});
after(() => cluster?.close());

interface Finding {
  type: string;
  hostname: string;
  machineId: string;
  address: string;
  port: number;
}

const MACHINES = [
  { name: 'web1', id: 'm-web1', port: 4000 },
  { name: 'db1', id: 'm-db1', port: 4001 },
  { name: 'cache1', id: 'm-cache1', port: 4002 },
];

async function saveInside(lab: Lab, i: number, db: string): Promise<void> {
  const m = MACHINES[i]!;
  const r = await lab.runInTarget(i, process.execPath, [PORTSCOPE, 'listening', '--save', '--db', db, '--json', '--hostname', m.name], { timeoutMs: 60_000, env: { ...process.env, PORTSCOPE_MACHINE_ID: m.id } });
  assert.equal(r.code, 0, describeRun(r));
  assert.match(r.stderr, new RegExp(`saved \\d+ sockets of ${m.name} \\(machine ${m.id}\\)`));
}

test("audit --fleet joins each machine's saved inside view with the stored outside scan and names the machine", opts, async () => {
  assertLabAvailable();
  const db = await cluster!.freshDatabase();
  const lab = await createLab({ targets: 3, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    for (const [i, m] of MACHINES.entries()) await lab.listen([m.port], { target: i });
    await lab.setFirewall({ drop: [4000] }, 0); // web1 listens on all interfaces, the firewall filters it
    for (let i = 0; i < 3; i++) await saveInside(lab, i, db);
    // The outside view: 4000-4001 only, so cache1's 4002 is never probed.
    const s = await lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', '-Pn', '-n', '-p', '4000-4001', '--db', db, '192.0.2.2-4'], { timeoutMs: 120_000 });
    assert.equal(s.code, 0, describeRun(s));

    const a = await lab.runInScanner(process.execPath, [PORTSCOPE, 'audit', '--fleet', '--db', db, '--format', 'json'], { timeoutMs: 60_000 });
    assert.equal(a.code, 1, describeRun(a)); // findings at or above low
    const report = JSON.parse(a.stdout) as { machines: { hostname: string; machineId: string; addresses: string[] }[]; findings: Finding[] };
    assert.deepEqual(report.machines.map((m) => `${m.hostname}/${m.machineId}`).sort(), ['cache1/m-cache1', 'db1/m-db1', 'web1/m-web1']);
    for (const [i, m] of MACHINES.entries()) assert.ok(report.machines.find((x) => x.machineId === m.id)!.addresses.includes(lab.targets[i]!.v4));
    const got = report.findings.map((f) => `${f.type} ${f.hostname} ${f.machineId} ${f.address} ${f.port}`).sort();
    assert.deepEqual(got, ['listener-not-seen cache1 m-cache1 192.0.2.4 4002', 'listener-not-seen web1 m-web1 192.0.2.2 4000', 'listening-all-filtered web1 m-web1 192.0.2.2 4000', 'open-not-in-policy db1 m-db1 192.0.2.3 4001']);

    // A policy allowing 4001 on db1 removes that finding, and only that one.
    writeFileSync(tmp.file('p.yaml'), 'version: 1\nhosts:\n  - match: 192.0.2.3\n    ports:\n      - port: 4001\n');
    const p = await lab.runInScanner(process.execPath, [PORTSCOPE, 'audit', '--fleet', '--db', db, '--format', 'json', '--policy', tmp.file('p.yaml')], { timeoutMs: 60_000 });
    const withPolicy = (JSON.parse(p.stdout) as { findings: Finding[] }).findings.map((f) => `${f.type} ${f.hostname}`).sort();
    assert.deepEqual(withPolicy, ['listener-not-seen cache1', 'listener-not-seen web1', 'listening-all-filtered web1'], describeRun(p));

    const t = await lab.runInScanner(process.execPath, [PORTSCOPE, 'audit', '--fleet', '--db', db], { timeoutMs: 60_000 });
    assert.match(t.stdout, /\[HIGH\] open-not-in-policy machine=db1 id=m-db1 192\.0\.2\.3 tcp\/4001/);
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('audit --fleet without --db and with an unreachable database: one line, exit 2', opts, async () => {
  const noDb = await runCli(['audit', '--fleet']);
  assert.equal(noDb.code, 2);
  assert.match(noDb.stderr, /^portscope: --fleet needs --db/);
  const dead = await runCli(['audit', '--fleet', '--db', `postgres://postgres@/x?host=${encodeURIComponent('/nonexistent-socket-dir')}`]);
  assert.equal(dead.code, 2, dead.stderr);
  assert.equal(dead.stderr.trim().split('\n').length, 1, dead.stderr);
  assert.match(dead.stderr, /^portscope: cannot open history database/);
});

async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [PORTSCOPE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, stdout, stderr };
}
