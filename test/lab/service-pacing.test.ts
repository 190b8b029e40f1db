import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';

// -sV connections are probes of the scan: --max-rate paces them and --host-timeout cuts them off. The target
// logs every connection it accepts; the assertions count connections, they do not time the scan.
const PORTS = [3300, 3301];
const LOGGER = fileURLToPath(new URL('./support/accept-log-server.js', import.meta.url));

/** Start the logging server in the target; returns the accept times (ms) seen so far, by reference. */
async function startLogger(lab: Lab): Promise<number[]> {
  const accepts: number[] = [];
  const server = lab.spawnInTarget(0, process.execPath, [LOGGER, ...PORTS.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout?.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') resolve();
        const m = /^ACCEPT \d+ ([\d.]+)$/.exec(line);
        if (m) accepts.push(Number(m[1]));
      }
    });
    server.once('exit', (code) => reject(new Error(`accept-log server exited ${code}`)));
  });
  return accepts;
}

/** The most accepts within any window of `ms` (half-open, starting at an accept). */
function busiestWindow(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[j]! <= t[i]! - ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('-sV --max-rate 4 opens no more than 4 connections (+1 of jitter) in any second, port scan and detection alike', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab();
  const tmp = tempDir();
  try {
    const accepts = await startLogger(lab);
    const r = await scanCli(lab, ['-Pn', '-n', '-sV', '--max-rate', '4', '-p', PORTS.join(','), '-oJ', tmp.file('s.json'), lab.target.v4], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(readFileSync(tmp.file('s.json'), 'utf8')) as { hosts: { ports: { port: number; state: string }[] }[] };
    assert.deepEqual(
      doc.hosts[0]!.ports.map((p) => [p.port, p.state]),
      PORTS.map((p) => [p, 'open']),
    );
    // Each silent port gets a greeting wait, a TLS attempt and every probe of the default intensity.
    assert.ok(accepts.length >= 20, `detection made ${accepts.length} connections`);
    const most = busiestWindow(accepts, 1000);
    assert.ok(most <= 5, `${most} connections within one second under --max-rate 4 (${accepts.length} in all)`);
  } finally {
    await lab.close();
    tmp.remove();
  }
});

test('-sV --host-timeout cuts detection off: the host is reported incomplete with its open ports', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab();
  const tmp = tempDir();
  try {
    const accepts = await startLogger(lab);
    // One connection per 300 ms: the port scan takes 2, detection would take ~30; the host gets ~3 s.
    const r = await scanCli(lab, ['-Pn', '-n', '-sV', '--scan-delay', '300ms', '--host-timeout', '3s', '-p', PORTS.join(','), '-oJ', tmp.file('s.json'), lab.target.v4], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(readFileSync(tmp.file('s.json'), 'utf8')) as { hosts: { complete: boolean; ports: { port: number; state: string }[] }[] };
    await sleep(300); // let the logger's last lines arrive before counting
    const host = doc.hosts[0]!;
    assert.equal(host.complete, false);
    assert.deepEqual(
      host.ports.map((p) => [p.port, p.state]),
      PORTS.map((p) => [p, 'open']),
    );
    // --scan-delay 300ms allows at most 3.33 connections a second; and detection stopped early.
    assert.ok(busiestWindow(accepts, 1000) <= 4, `busiest second: ${busiestWindow(accepts, 1000)}`);
    assert.ok(accepts.length < 20, `${accepts.length} connections: detection went on after the host timeout`);
  } finally {
    await lab.close();
    tmp.remove();
  }
});
