import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { runDoctor } from '../../../src/cli/doctor.js';
import type { CliIO } from '../../../src/cli/io.js';
import { OptionError } from '../../../src/model/index.js';

function capture(): { io: CliIO; out: () => string } {
  let text = '';
  const sink = new Writable({ write: (chunk, _enc, cb) => ((text += String(chunk)), cb()) });
  return { io: { stdout: sink, stderr: sink, stdoutIsTTY: false, stderrIsTTY: false, env: process.env }, out: () => text };
}

test('doctor --json reports this Node, the backends, every database driver and the ICMP sysctls the kernel has', async () => {
  const { io, out } = capture();
  assert.equal(await runDoctor(['--json'], io), 0);
  const r = JSON.parse(out());
  assert.equal(r.node, process.versions.node);
  assert.equal(r.platform, process.platform);
  assert.ok(['native', 'node'].includes(r.backend.connect));
  assert.ok(['native', 'dgram'].includes(r.backend.udp));
  assert.ok(['prebuilt', 'compiled', 'none'].includes(r.backend.source));
  assert.equal(r.backend.connect === 'native', r.backend.source !== 'none');
  assert.ok(r.backend.reason.length > 0);
  assert.deepEqual(
    r.databases.map((d: { name: string }) => d.name),
    ['better-sqlite3', 'node:sqlite', 'pg'],
  );
  const nodeSqlite = r.databases.find((d: { name: string }) => d.name === 'node:sqlite');
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  assert.equal(nodeSqlite.available, major > 22 || (major === 22 && minor >= 13));
  // The values are the kernel's own: compare with /proc directly.
  const kernelRate = readFileSync('/proc/sys/net/ipv4/icmp_ratelimit', 'utf8').trim();
  assert.equal(r.linux.icmpRateLimits['net.ipv4.icmp_ratelimit'], kernelRate);
  const capEff = /^CapEff:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1];
  assert.equal(r.linux.capabilities.effective, capEff);
  assert.ok(r.linux.pingSockets.gids.includes(process.getgid!()));
  // listening's reader: sock_diag exactly when the addon (with its sock_diag half) loaded here.
  assert.equal(r.linux.listeningSource.source, r.backend.source === 'none' ? 'proc' : 'sock_diag');
  assert.match(r.linux.listeningSource.detail, r.backend.source === 'none' ? /^\/proc\/net \(/ : /^sock_diag netlink \(\d+ /);
  // -PE's choice follows the facts above: a ping socket when the range allows, else raw with CAP_NET_RAW.
  const echo = r.linux.pingSockets.allowed ? 'dgram' : r.linux.capabilities.netRaw ? 'raw' : undefined;
  if (echo && r.backend.source !== 'none') assert.equal(r.linux.icmpEcho.v4, echo);
  else assert.match(r.linux.icmpEcho.v4, /ICMP|addon/);
});

test('doctor text names Node, the backend, each capability and each database driver on its own line', async () => {
  const { io, out } = capture();
  assert.equal(await runDoctor([], io), 0);
  const text = out();
  assert.match(text, new RegExp(`^  node +v${process.versions.node.replace(/\./g, '\\.')} `, 'm'));
  for (const label of ['tcp connect', 'udp', 'native addon', 'ping sockets', 'CAP_NET_RAW', 'netns', 'net.ipv4.icmp_msgs_per_sec', 'better-sqlite3', 'node:sqlite', 'pg']) {
    assert.match(text, new RegExp(`^  ${label} +\\S`, 'm'), label);
  }
});

test('doctor rejects an unknown option with an OptionError', async () => {
  await assert.rejects(runDoctor(['--bogus'], capture().io), (e: unknown) => e instanceof OptionError && /unknown option "--bogus"/.test(e.message));
});
