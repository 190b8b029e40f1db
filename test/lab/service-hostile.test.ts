import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import type { ServiceInfo } from '../../src/model/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { waitListening } from './support/service-daemons.js';

// Services that never answer, flood, close at once, answer garbage or close mid-handshake: -sV must finish,
// keep memory bounded (per-answer byte cap) and report a generic result with the printable banner.
const BASE = 3100;
const HOSTILE = fileURLToPath(new URL('./support/hostile-server.js', import.meta.url));

test('-sV finishes with bounded memory and generic results against hostile services', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab();
  const tmp = tempDir();
  try {
    const server = lab.spawnInTarget(0, process.execPath, [HOSTILE, String(BASE)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      server.stdout?.setEncoding('utf8').on('data', (d: string) => d.includes('READY') && resolve());
      server.once('exit', (code) => reject(new Error(`hostile server exited ${code}`)));
    });
    await waitListening(lab, [BASE, BASE + 1, BASE + 2, BASE + 3, BASE + 4]);
    // GNU time's "Maximum resident set size" measures the scanner process itself (kB).
    const r = await lab.runInScanner('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, PORTSCOPE, 'scan', '-Pn', '-n', '-sV', '--version-all', '-p', `${BASE}-${BASE + 4}`, '-oJ', tmp.file('s.json'), lab.target.v4], {
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, describeRun(r));
    const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
    // Node itself needs ~50-80 MB; a flood read without a cap would pass hundreds of MB within the wait.
    assert.ok(rss > 0 && rss < 250_000, `max RSS ${rss} kB`);
    const doc = JSON.parse(readFileSync(tmp.file('s.json'), 'utf8')) as { hosts: { ports: { port: number; state: string; service?: ServiceInfo }[] }[] };
    const ports = new Map(doc.hosts[0]!.ports.map((p) => [p.port, p]));
    for (let p = BASE; p <= BASE + 4; p++) {
      const got = ports.get(p);
      assert.equal(got?.state, 'open', `port ${p}`);
      assert.notEqual(got.service?.method, 'probed', `port ${p} is not identified as anything: ${JSON.stringify(got.service)}`);
    }
    assert.equal(ports.get(BASE)!.service?.banner, undefined, 'the silent service sent nothing');
    const flood = ports.get(BASE + 1)!.service?.banner ?? '';
    assert.match(flood, /^A{256}…$/, 'flood banner: the first 256 printable bytes');
    const garbage = ports.get(BASE + 3)!.service?.banner ?? '';
    assert.ok(garbage.length > 0, 'garbage banner kept (printable escapes)');
    assert.doesNotMatch(garbage, /[\x00-\x08\x0e-\x1f\x7f-\xff]/, 'banner holds printable characters only');
  } finally {
    await lab.close();
    tmp.remove();
  }
});
