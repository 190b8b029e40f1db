import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';

// `portscope close PORT --apply` inside a target namespace, then scans from the scanner namespace: the port
// is filtered over IPv4 and IPv6 while its neighbour stays open and the lab's own table is untouched;
// `--undo` opens it again. explain names portscope's rule as the deciding one.
const PORT = 4100;
const OTHER = 4101;

async function scanStates(lab: Lab, file: string): Promise<string[]> {
  const r = await scanCli(lab, ['-Pn', '-n', '--reason', '-T5', '-p', `${PORT},${OTHER}`, '-oJ', file, lab.target.v4, lab.target.v6]);
  assert.equal(r.code, 0, describeRun(r));
  return readJsonHosts(readFileSync(file, 'utf8'))
    .flatMap((h) => [PORT, OTHER].map((p) => `${h.address} ${p} ${h.ports.get(p)?.state}/${h.ports.get(p)?.reason}`))
    .sort();
}

function states(lab: Lab, port: string): string[] {
  return [lab.target.v4, lab.target.v6].flatMap((a) => [`${a} ${PORT} ${port}`, `${a} ${OTHER} open/syn-ack`]).sort();
}

test('close --apply makes a port filtered from outside, idempotently and in its own table; --undo reopens it', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off' });
  const tmp = tempDir();
  const cli = (...args: string[]) => lab.runInTarget(0, process.execPath, [PORTSCOPE, ...args]);
  try {
    await lab.listen(`${PORT},${OTHER}`, { family: 'both' });
    assert.deepEqual(await scanStates(lab, tmp.file('before.json')), states(lab, 'open/syn-ack'));

    const plan = await cli('close', `${PORT}/tcp`);
    assert.equal(plan.code, 0, describeRun(plan));
    assert.match(plan.stdout, /steps to close 4100\/tcp:[\s\S]*table inet portscope \{/);
    // The listener is a Node process: its kernel name (/proc/PID/comm) is "node", or "MainThread" on Node 24.
    assert.match(plan.stdout, /held by (?:node|MainThread)\[\d+\]/);

    const applied = await cli('close', `${PORT}/tcp`, '--apply');
    assert.equal(applied.code, 0, describeRun(applied));
    assert.match(applied.stdout, /4100\/tcp closed in table inet portscope/);
    const again = await cli('close', `${PORT}/tcp`, '--apply');
    assert.match(again.stdout, /already closed in table inet portscope: nothing changed/);
    assert.deepEqual(await scanStates(lab, tmp.file('closed.json')), states(lab, 'filtered/no-response'));
    const labTable = await lab.runInTarget(0, 'nft', ['list', 'table', 'inet', 'portscope_lab']);
    assert.equal(labTable.code, 0, 'the lab table is still there');

    const ex = await cli('explain', '--json', '--only-ports', '-p', `${PORT}`, '--from', '192.0.2.1,2001:db8::1');
    assert.equal(ex.code, 0, describeRun(ex));
    const rows = (JSON.parse(ex.stdout) as { ports: { predicted: string; rule: { table: string } | null }[] }).ports;
    assert.deepEqual(
      rows.map((r) => `${r.predicted} ${r.rule?.table}`),
      ['filtered portscope', 'filtered portscope'],
    );

    const undo = await cli('close', `${PORT}/tcp`, '--undo');
    assert.equal(undo.code, 0, describeRun(undo));
    assert.match(undo.stdout, /reopened in table inet portscope/);
    assert.deepEqual(await scanStates(lab, tmp.file('after.json')), states(lab, 'open/syn-ack'));
    const gone = await lab.runInTarget(0, 'nft', ['list', 'table', 'inet', 'portscope']);
    assert.notEqual(gone.code, 0, 'the table is removed once nothing is closed');
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('close --apply and explain without root are one clear line and exit 2', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 1 });
  try {
    // env -u: under c8 (CI on the machine's Node) NODE_V8_COVERAGE names a root-owned directory that nobody
    // cannot write, and V8's complaint would be a second stderr line.
    const r = await lab.runInTarget(0, 'env', ['-u', 'NODE_V8_COVERAGE', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, PORTSCOPE, 'close', '22/tcp', '--apply']);
    assert.equal(r.code, 2, describeRun(r));
    assert.equal(r.stderr, 'portscope: close --apply changes the firewall and needs root\n');
    const ex = await lab.runInTarget(0, 'env', ['-u', 'NODE_V8_COVERAGE', 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, PORTSCOPE, 'explain', '-p', '22']);
    assert.equal(ex.code, 2, describeRun(ex));
    assert.match(ex.stderr, /^portscope: [^\n]*\(reading the firewall needs root\)\n$/);
  } finally {
    await lab.close();
  }
});
