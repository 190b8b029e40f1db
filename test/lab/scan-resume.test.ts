import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { collect, createLab, createManyHostLab, run, type Lab, type RunResult } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';

// 3 hosts × 60 ports at --max-rate 150: about a second and a half of probing to cut at random points.
const PORTS = '4000-4059';
const TARGETS = ['192.0.2.2-4', '192.0.2.30'];
const INTERRUPTS = 3;

/** Start a scan, wait until it runs, SIGINT it after a random delay; the result (it may also just finish). */
async function interruptAt(lab: Lab, args: string[], delayMs: number): Promise<RunResult> {
  const child = lab.spawnInScanner(process.execPath, [PORTSCOPE, 'scan', ...args]);
  const done = collect(child, performance.now(), { timeoutMs: 60_000 });
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer | string) => {
      out += d.toString();
      if (/Starting portscope/.test(out)) resolve();
    });
    child.once('exit', () => resolve());
  });
  const timer = setTimeout(() => child.kill('SIGINT'), delayMs);
  const r = await done;
  clearTimeout(timer);
  return r;
}

function states(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of readJsonHosts(text)) {
    out.set(h.address, `${h.status}${h.complete ? '' : ' incomplete'}`);
    for (const [port, o] of h.ports) out.set(`${h.address} ${port}`, `${o.state}/${o.reason}`);
  }
  return new Map([...out].sort());
}

test(`a scan interrupted ${INTERRUPTS} times at random points and resumed each time ends equal to an uninterrupted scan`, labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 3, icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.setFirewall({ drop: [4002, 4003, 4040], reset: [4004] }, 0);
    await lab.setFirewall({ drop: [4010], adminProhibited: [4011] }, 1);
    await lab.listen([4000, 4001, 4050], { target: 0 });
    await lab.listen([4005, 4006, 4007], { target: 1 });
    await lab.listen([4011, 4059], { target: 2 });
    const base = ['-n', '-p', PORTS, '--max-rate', '150', '--seed', '5'];
    const whole = await scanCli(lab, [...base, '-oJ', tmp.file('whole.json'), ...TARGETS]);
    assert.equal(whole.code, 0, describeRun(whole));
    const want = states(readFileSync(tmp.file('whole.json'), 'utf8'));

    const state = tmp.file('paused.json');
    let r = await interruptAt(lab, [...base, '--resume-file', state, '-oJ', tmp.file('r.json'), '-oX', tmp.file('r.xml'), ...TARGETS], 200 + Math.random() * 600);
    let interrupted = 0;
    for (let i = 1; r.code !== 0; i++) {
      assert.equal(r.code, 130, describeRun(r));
      assert.ok(existsSync(state), `resume state written:\n${describeRun(r)}`);
      interrupted++;
      r = i < INTERRUPTS ? await interruptAt(lab, ['--resume', state], 100 + Math.random() * 500) : await scanCli(lab, ['--resume', state]);
    }
    assert.equal(r.code, 0, describeRun(r));
    assert.ok(interrupted >= 1, 'the scan was interrupted at least once');
    assert.deepEqual(states(readFileSync(tmp.file('r.json'), 'utf8')), want, 'resumed result = uninterrupted result');
    const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', tmp.file('r.xml')]);
    assert.equal(lint.code, 0, lint.stderr);
    const xmlHosts = readXmlHosts(readFileSync(tmp.file('r.xml'), 'utf8'));
    assert.equal(new Set(xmlHosts.map((h) => h.address)).size, xmlHosts.length, 'one <host> per address');
  } finally {
    await lab.close();
    tmp.remove();
  }
});

// Port-level resume, counted by the target's kernel: 200 hosts × 40 ports that all answer at once (-Pn, so
// every SYN is a port probe), paced at 2,000/s; interrupted twice and resumed. The SYNs of all three runs
// together exceed those of one uninterrupted run by no more than the probes in flight at the interrupts.
test('resume probes nothing twice but what was in flight: SYNs counted in the target', { ...labTestOptions(), timeout: 180_000 }, async () => {
  assertLabAvailable();
  const many = await createManyHostLab();
  const tmp = tempDir();
  try {
    const hosts = many.live.filter((a) => !a.includes(':')).slice(0, 200);
    const base = ['-n', '-Pn', '-p', '1-40', '--max-rate', '2000', '--seed', '3'];
    let before = await many.syns();
    const whole = await scanCli(many.lab, [...base, '-oJ', tmp.file('whole.json'), ...hosts]);
    assert.equal(whole.code, 0, describeRun(whole));
    const wholeSyns = (await many.syns()) - before;
    assert.equal(wholeSyns, 200 * 40, 'one SYN per pair when nothing is lost');

    before = await many.syns();
    const state = tmp.file('p.json');
    let r = await interruptAt(many.lab, [...base, '--resume-file', state, '-oJ', tmp.file('r.json'), ...hosts], 500 + Math.random() * 1500);
    let interrupts = 0;
    while (r.code === 130) {
      interrupts++;
      r = interrupts < 2 ? await interruptAt(many.lab, ['--resume', state], 300 + Math.random() * 1000) : await scanCli(many.lab, ['--resume', state]);
    }
    assert.equal(r.code, 0, describeRun(r));
    const resumedSyns = (await many.syns()) - before;
    assert.ok(interrupts >= 1, 'interrupted at least once');
    // In flight at an interrupt: at most 50 ms of the rate (the pacer's bucket) plus what awaited an answer.
    assert.ok(resumedSyns >= wholeSyns && resumedSyns <= wholeSyns + interrupts * 150, `${resumedSyns} SYNs over ${interrupts + 1} runs vs ${wholeSyns} uninterrupted`);
    assert.deepEqual(states(readFileSync(tmp.file('r.json'), 'utf8')), states(readFileSync(tmp.file('whole.json'), 'utf8')));
  } finally {
    await many.close();
    tmp.remove();
  }
});
