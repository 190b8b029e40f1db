import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Database from 'better-sqlite3';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { collect, createLab, run, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { planPorts, startUdpTarget, udpPlan } from './udp-lab.js';

// One interruption path for every phase (issue 10 item 6): a signal in the -sV phase or the UDP phase, once
// or twice, leaves complete outputs that say they were interrupted (XML valid against nmap's DTD, JSON
// valid against docs/schema/scan.schema.json), exit 130, and --save stores the run as interrupted.
const SILENT = [3400, 3401];
const LOGGER = fileURLToPath(new URL('./support/accept-log-server.js', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/schema/scan.schema.json', import.meta.url), 'utf8')) as object;

function validateJson(text: string): { summary: { interrupted: boolean }; hosts: { complete: boolean; ports: { port: number; state: string }[] }[] } {
  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const doc = JSON.parse(text) as ReturnType<typeof validateJson>;
  const ok = ajv.validate(SCHEMA, doc);
  assert.ok(ok, `JSON against scan.schema.json: ${ajv.errorsText(ajv.errors)}`);
  return doc;
}

async function assertXmlInterrupted(file: string): Promise<void> {
  const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', file]);
  assert.equal(lint.code, 0, lint.stderr);
  assert.match(readFileSync(file, 'utf8'), /<finished [^>]*exit="error"[^>]*errormsg="[^"]*Interrupted[^"]*"/);
}

/** Silent services (detection waits on them for many seconds); resolves after `need` accepted connections. */
async function startSilent(lab: Lab): Promise<(need: number) => Promise<void>> {
  const server = lab.spawnInTarget(0, process.execPath, [LOGGER, ...SILENT.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let accepts = 0;
  const waiting: { need: number; go: () => void }[] = [];
  await new Promise<void>((resolve, reject) => {
    server.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('READY')) resolve();
      accepts += (d.match(/^ACCEPT /gm) ?? []).length;
      for (const w of waiting.filter((x) => accepts >= x.need)) w.go();
    });
    server.once('exit', (code) => reject(new Error(`accept-log server exited ${code}`)));
  });
  return (need) => new Promise((go) => (accepts >= need ? go() : waiting.push({ need, go })));
}

for (const signals of [1, 2]) {
  test(`${signals === 1 ? 'one SIGINT' : 'two SIGINTs'} in the -sV phase: exit 130, outputs complete and marked interrupted${signals === 1 ? ', saved as interrupted' : ''}`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab();
    const tmp = tempDir();
    try {
      const accepted = await startSilent(lab);
      const db = tmp.file('h.db');
      const args = [PORTSCOPE, 'scan', '-sV', '-Pn', '-n', '-p', SILENT.join(','), '-oA', tmp.file('out'), ...(signals === 1 ? ['--db', db] : []), lab.target.v4];
      const child = lab.spawnInScanner(process.execPath, args);
      const done = collect(child, performance.now(), { timeoutMs: 60_000 });
      // Detection connections (greetings, TLS attempts) have reached the silent services: the -sV phase.
      await accepted(4);
      child.kill('SIGINT');
      if (signals === 2) child.kill('SIGINT');
      const r = await done;
      assert.equal(r.code, 130, describeRun(r));
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at |Warning/);
      await assertXmlInterrupted(tmp.file('out.xml'));
      const doc = validateJson(readFileSync(tmp.file('out.json'), 'utf8'));
      assert.equal(doc.summary.interrupted, true);
      assert.equal(doc.hosts.length, 1, 'the host in progress is reported');
      assert.equal(doc.hosts[0]!.complete, false);
      assert.deepEqual(
        doc.hosts[0]!.ports.map((p) => [p.port, p.state]),
        SILENT.map((p) => [p, 'open']),
      );
      assert.match(readFileSync(tmp.file('out.gnmap'), 'utf8'), /^# portscope done at .*\n$/m);
      assert.match(readFileSync(tmp.file('out.nmap'), 'utf8'), /interrupted/i);
      if (signals === 1) {
        const h = new Database(db, { readonly: true });
        try {
          assert.deepEqual(h.prepare('SELECT interrupted, hosts_total FROM scans').all(), [{ interrupted: 1, hosts_total: 1 }]);
        } finally {
          h.close();
        }
      }
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}

test('two SIGINTs in the UDP phase: exit 130, XML and JSON complete, valid and marked interrupted', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'kernel-default' });
  const tmp = tempDir();
  try {
    const plan = { ...udpPlan(60), ntp: null, snmp: null };
    await startUdpTarget(lab, tmp.dir, plan);
    const files = { xml: tmp.file('u.xml'), json: tmp.file('u.json') };
    const child = lab.spawnInScanner(process.execPath, [PORTSCOPE, 'scan', '-sU', '-v', '-Pn', '-n', '-p', planPorts(plan).join(','), '-oX', files.xml, '-oJ', files.json, lab.target.v4]);
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
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 130, describeRun(r));
    await assertXmlInterrupted(files.xml);
    const doc = validateJson(readFileSync(files.json, 'utf8'));
    assert.equal(doc.summary.interrupted, true);
    assert.equal(doc.hosts[0]?.complete, false);
    assert.ok(doc.hosts[0]?.ports.some((p) => p.port === 53 && p.state === 'open'));
  } finally {
    await lab.close();
    tmp.remove();
  }
});
