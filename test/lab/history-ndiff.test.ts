/**
 * `portscope diff` against ndiff on the same pairs of XML files: scans of 127.0.0.1 by nmap and by portscope
 * while listeners come and go. For every pair the set of ports on ndiff's `-`/`+` lines equals the set of
 * ports our diff reports, and both exit 0 for no change and 1 for a change. The port list has more than 25
 * closed ports so that closed ports are folded into extraports on both sides: ndiff calls unlisted ports
 * "unknown" while we expand extraports (src/history/diff-model.ts), which only agree when closed ports are folded.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));

function missingTool(): string | null {
  for (const tool of ['nmap', 'ndiff']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `needs ${tool} (apt-get install ${tool})`;
    }
  }
  return null;
}
const missing = missingTool();
const skip = missing !== null && process.env.CI !== 'true' ? missing : false;

const servers = new Map<number, Server>();
let dir = '';
let ports: number[] = [];

async function listen(port = 0): Promise<number> {
  const s = createServer((c) => c.destroy());
  await new Promise<void>((res, rej) => s.once('error', rej).listen(port, '127.0.0.1', () => res()));
  const p = (s.address() as { port: number }).port;
  servers.set(p, s);
  return p;
}

async function close(port: number): Promise<void> {
  const s = servers.get(port)!;
  servers.delete(port);
  await new Promise<void>((res) => s.close(() => res()));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portscope-ndiff-'));
  ports = [await listen(), await listen(), await listen(), await listen()];
  await close(ports[3]!); // the fourth comes later
});

after(async () => {
  for (const p of [...servers.keys()]) await close(p);
  rmSync(dir, { recursive: true, force: true });
});

/** 40 low ports (closed unless something on this machine listens there: then open in every scan alike). */
const spec = (): string => `1-40,${ports.join(',')}`;

function scanBoth(name: string): { nmap: string; portscope: string } {
  const nmap = join(dir, `${name}-nmap.xml`);
  const ps = join(dir, `${name}-portscope.xml`);
  execFileSync('nmap', ['-sT', '-n', '-Pn', '-p', spec(), '127.0.0.1', '-oX', nmap], { stdio: 'ignore' });
  execFileSync(process.execPath, [PORTSCOPE, 'scan', '-n', '-Pn', '-p', spec(), '127.0.0.1', '-oX', ps], { stdio: 'ignore' });
  return { nmap, portscope: ps };
}

function ndiffPorts(a: string, b: string): { code: number | null; ports: string[] } {
  const r = spawnSync('ndiff', [a, b], { encoding: 'utf8' });
  const set = new Set([...r.stdout.matchAll(/^[-+](\d+)\/(tcp|udp)\s/gm)].map((m) => `${m[1]}/${m[2]}`));
  return { code: r.status, ports: [...set].sort() };
}

function ourPorts(a: string, b: string): { code: number | null; ports: string[] } {
  const r = spawnSync(process.execPath, [PORTSCOPE, 'diff', '--json', a, b], { encoding: 'utf8' });
  if (r.status === 2) throw new Error(r.stderr);
  const doc = JSON.parse(r.stdout) as { hosts: { ports: { port: number; protocol: string }[] }[] };
  return { code: r.status, ports: doc.hosts.flatMap((h) => h.ports.map((p) => `${p.port}/${p.protocol}`)).sort() };
}

test('diff agrees with ndiff on five pairs of nmap and of portscope XML files as listeners come and go', { skip }, async () => {
  const [p1, p2, , p4] = ports as [number, number, number, number];
  const scans: { nmap: string; portscope: string }[] = [];
  scans.push(scanBoth('s0')); // p1 p2 p3 open
  scans.push(scanBoth('s1')); // unchanged
  await listen(p4);
  scans.push(scanBoth('s2')); // + p4
  await close(p1);
  scans.push(scanBoth('s3')); // - p1
  await close(p2);
  await listen(p1);
  scans.push(scanBoth('s4')); // - p2, + p1
  const pairs: [number, number, string[]][] = [
    [0, 1, []],
    [1, 2, [`${p4}/tcp`]],
    [2, 3, [`${p1}/tcp`]],
    [3, 4, [`${p1}/tcp`, `${p2}/tcp`].sort()],
    [0, 4, [`${p2}/tcp`, `${p4}/tcp`].sort()],
  ];
  for (const tool of ['nmap', 'portscope'] as const) {
    for (const [i, j, expected] of pairs) {
      const a = scans[i]![tool];
      const b = scans[j]![tool];
      const theirs = ndiffPorts(a, b);
      const ours = ourPorts(a, b);
      const what = `${tool} files s${i} -> s${j}`;
      assert.deepEqual(ours.ports, theirs.ports, `${what}: ports differ from ndiff`);
      assert.deepEqual(ours.ports, expected, `${what}: not the listeners that changed`);
      assert.equal(ours.code, theirs.code, `${what}: exit code differs from ndiff's`);
    }
  }
  // Across tools: an nmap file against a portscope file of the same moment shows no port change.
  assert.equal(ourPorts(scans[4]!.nmap, scans[4]!.portscope).code, 0);
});
