import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AuditReportSchema, type AuditReport } from '../../src/audit/report-schema.js';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { codeScanningProblems, sarifProblems } from '../unit/audit/sarif-schema.js';

// `portscope audit` run inside a lab namespace (192.0.2.2, 2001:db8::2, no route out) whose listeners,
// firewall and NAT we set up, so every finding has a known cause:
//   7001 socat on 127.0.0.1, policy loopback            → nothing
//   7002 node on 0.0.0.0, policy loopback               → exposure-wider-than-allowed
//   7003 node on 0.0.0.0 behind nft drop, policy loopback → listening-but-filtered
//   7004 socat copy on 0.0.0.0, file deleted, policy ok → deleted-executable
//   7005 node on 0.0.0.0, not in policy                 → open-not-allowed
//   7006 in policy, nothing listens                     → allowed-but-closed
//   7007 nat redirect to 7002, no listener              → reachable-without-listener
//   7008 node, policy names process nginx               → unexpected-owner
//   7009 node, not in policy, ignored until 2999        → ignored
//   7010 node, not in policy, ignore expired in 2000    → open-not-allowed + expired ignore
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'portscope');
const opts = labTestOptions();
let lab: Lab;
let dir: string;
let policyPath: string;

const POLICY = `version: 1
ports:
  - { port: 7001, to: loopback, process: socat }
  - { port: 7002, to: loopback }
  - { port: 7003, to: loopback }
  - { port: 7004, to: public, process: socat }
  - { port: 7006, to: public }
  - { port: 7008, to: public, process: nginx, user: www-data }
ignore:
  - { port: 7009, finding: open-not-allowed, reason: "test server, ticket LAB-1", expires: "2999-12-31" }
  - { port: 7010, reason: "was a test server", expires: "2000-01-01" }
`;

const EXPECTED = [
  'allowed-but-closed:7006',
  'deleted-executable:7004',
  'exposure-wider-than-allowed:7002',
  'listening-but-filtered:7003',
  'open-not-allowed:7005',
  'open-not-allowed:7010',
  'reachable-without-listener:7007',
  'unexpected-owner:7008',
];

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await lab.runInTarget(0, 'ss', ['-ltnH', `sport = :${port}`]);
    if (r.stdout.trim() !== '') return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

function audit(...args: string[]): ReturnType<Lab['runInTarget']> {
  return lab.runInTarget(0, process.execPath, [BIN, 'audit', '-p', '7000-7020', ...args], { timeoutMs: 120_000 });
}

before(async () => {
  if (opts.skip) return;
  assertLabAvailable();
  dir = mkdtempSync(join(tmpdir(), 'ps-audit-'));
  policyPath = join(dir, 'policy.yaml');
  writeFileSync(policyPath, POLICY);
  lab = await createLab({ targets: 1, firewall: { drop: [7003] } });
  await lab.listen([7002, 7003, 7005, 7008, 7009, 7010], { family: 4 });
  lab.spawnInTarget(0, 'socat', ['TCP-LISTEN:7001,bind=127.0.0.1,reuseaddr,fork', 'EXEC:/bin/cat']);
  const exe = join(dir, 'socat');
  copyFileSync('/usr/bin/socat', exe);
  chmodSync(exe, 0o755);
  lab.spawnInTarget(0, exe, ['TCP-LISTEN:7004,bind=0.0.0.0,reuseaddr,fork', 'EXEC:/bin/cat']);
  await waitListening(7001);
  await waitListening(7004);
  unlinkSync(exe);
  // Our own NAT table next to the lab's firewall table: locally generated connections take the output hook.
  const nat = 'table ip portscope_audit {\n chain output { type nat hook output priority -100; tcp dport 7007 redirect to :7002; }\n chain prerouting { type nat hook prerouting priority -100; tcp dport 7007 redirect to :7002; }\n}\n';
  const r = await lab.runInTarget(0, 'nft', ['-f', '-'], { input: nat });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let report: AuditReport | undefined;

test('every finding type appears exactly for the port that causes it, and nowhere else', opts, async () => {
  const r = await audit('--policy', policyPath, '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  report = AuditReportSchema.parse(JSON.parse(r.stdout));
  const got = report.findings.map((f) => `${f.type}:${f.port}`).sort();
  assert.deepEqual(got, EXPECTED);
  assert.deepEqual(
    report.ignored.map((i) => `${i.finding.type}:${i.finding.port}`),
    ['open-not-allowed:7009'],
  );
  assert.deepEqual(
    report.expiredIgnores.map((e) => [e.rule, e.expires]),
    [['ignore[1]', '2000-01-01']],
  );
  assert.equal(report.hosts[0]?.outside.from, 'this-machine');
  assert.ok(report.limits.some((l) => l.includes('from this machine')));
});

test('--fail-on above every finding severity exits 0 with the same findings listed', opts, async () => {
  const r = await audit('--policy', policyPath, '--fail-on', 'critical');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /8 findings \(6 high, 2 medium\); fail on critical and above: passed/);
});

test('a remote audit from the scanner namespace sees the target by scan alone', opts, async () => {
  const r = await lab.runInScanner(process.execPath, [BIN, 'audit', '-p', '7000-7020', '--policy', policyPath, '--format', 'json', lab.target.v4], { timeoutMs: 120_000 });
  assert.equal(r.code, 1, r.stderr);
  const remote = AuditReportSchema.parse(JSON.parse(r.stdout));
  assert.deepEqual(
    remote.hosts.map((h) => [h.host, h.kind, h.inside]),
    [['192.0.2.2', 'remote', false]],
  );
  // 7003 is filtered (no verdict without an inside view), 7004/7008 are allowed (owners are invisible from
  // outside), 7001 is loopback-only (not expected to answer), 7007 answers through the NAT redirect.
  const got = remote.findings.map((f) => `${f.type}:${f.port}`).sort();
  assert.deepEqual(got, ['allowed-but-closed:7006', 'exposure-wider-than-allowed:7002', 'open-not-allowed:7005', 'open-not-allowed:7007', 'open-not-allowed:7010']);
  assert.deepEqual(
    remote.ignored.map((i) => `${i.finding.type}:${i.finding.port}`),
    ['open-not-allowed:7009'],
  );
});

test('each finding carries its evidence: scan state and reason, sockets, processes, rule line', opts, () => {
  assert.ok(report, 'needs the first test');
  const by = (t: string, p: number) => report!.findings.find((f) => f.type === t && f.port === p)!;
  assert.deepEqual(by('listening-but-filtered', 7003).evidence.scan, [{ address: '192.0.2.2', state: 'filtered', reason: 'no-response' }]);
  assert.match(by('listening-but-filtered', 7003).evidence.firewalls?.join(' ') ?? '', /nftables \(.*portscope_lab/);
  assert.deepEqual(by('exposure-wider-than-allowed', 7002).evidence.scan, [{ address: '192.0.2.2', state: 'open', reason: 'syn-ack' }]);
  assert.equal(by('exposure-wider-than-allowed', 7002).evidence.sockets[0]?.address, '0.0.0.0');
  assert.equal(by('exposure-wider-than-allowed', 7002).evidence.rule?.line, 4);
  const del = by('deleted-executable', 7004).evidence.processes.find((p) => p.exeDeleted);
  assert.equal(del?.exe, join(dir, 'socat'));
  // The name is the kernel's comm: "node" up to Node 22, "MainThread" on Node 24 (it names its main thread);
  // the executable is node either way.
  const owner = by('unexpected-owner', 7008).evidence.processes[0];
  assert.equal(owner?.name, readFileSync(`/proc/${owner?.pid}/comm`, 'utf8').trim());
  assert.equal(owner?.exe, realpathSync(process.execPath));
  assert.deepEqual(by('reachable-without-listener', 7007).evidence.sockets, []);
  assert.deepEqual(
    by('reachable-without-listener', 7007).evidence.scan.map((s) => s.state),
    ['open'],
  );
  assert.ok(by('allowed-but-closed', 7006).evidence.scan.every((s) => s.state === 'closed'));
});

test('the SARIF output of the lab audit is valid SARIF 2.1.0 with one result per finding', opts, async () => {
  const r = await audit('--policy', policyPath, '--format', 'sarif');
  assert.equal(r.code, 1, r.stderr);
  const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.deepEqual(sarifProblems(log), []);
  assert.deepEqual(codeScanningProblems(log), []);
  assert.equal(log.runs[0]!.results.length, EXPECTED.length);
});

test('--init writes a policy that the next audit finds clean (exit 0), and does not overwrite it without --force', opts, async () => {
  const starter = join(dir, 'starter.yaml');
  const init = await audit('--init', '--policy', starter);
  assert.equal(init.code, 0, init.stderr);
  const again = await audit('--init', '--policy', starter);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists.*--force/);
  assert.equal(again.stderr.trim().split('\n').length, 1);
  const check = await audit('--policy', starter);
  assert.equal(check.code, 0, `${check.stdout}\n${check.stderr}\n${readFileSync(starter, 'utf8')}`);
  assert.match(check.stdout, /0 findings/);
  const forced = await audit('--init', '--force', '--policy', starter);
  assert.equal(forced.code, 0, forced.stderr);
});

test('the HTML report opens in headless Chromium, shows the findings, and renders a screenshot', opts, async () => {
  const html = join(dir, 'report.html');
  const r = await audit('--policy', policyPath, '--format', 'html', '-o', html);
  assert.equal(r.code, 1, r.stderr);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`file://${html}`);
    const text = await page.innerText('body');
    for (const e of EXPECTED) {
      const [type, port] = e.split(':');
      assert.ok(text.includes(type!), `${type} shown`);
      assert.ok(text.includes(`tcp/${port}`), `tcp/${port} shown`);
    }
    assert.equal(await page.locator('article.finding').count(), EXPECTED.length);
    assert.ok(text.includes('FAILED'));
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file://')),
      [],
      'no external requests',
    );
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    assert.ok(png.length > 1000, `screenshot has ${png.length} bytes`);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  } finally {
    await browser.close();
  }
});
