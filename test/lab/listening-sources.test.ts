import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';

// Which reader `listening` uses and what only sock_diag can see: in a namespace of our own, node listeners
// on `::` with IPV6_V6ONLY set and cleared (TCP and UDP, no 0.0.0.0 twins), read by `portscope listening`
// over sock_diag (default), forced to /proc (PORTSCOPE_LISTENING_SOURCE=proc), and by `ss`.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/lab → repository root
const BIN = join(ROOT, 'bin', 'portscope');
const CHILD = fileURLToPath(new URL('./support/v6only-child.js', import.meta.url));
const NS = `ps-${process.pid}-v6only`;
const opts = labTestOptions();

interface Ports {
  tcpV6only: number;
  tcpDual: number;
  udpV6only: number;
  udpDual: number;
}
interface JsonSocket {
  protocol: string;
  family: number;
  address: string;
  port: number;
  dualStack?: boolean;
  inode: number;
  socketUid?: number;
  processes: { pid: number }[];
}
interface Doc {
  source?: string;
  netns?: string;
  sockets: JsonSocket[];
}

let child: ChildProcess | undefined;
let ports: Ports;

before(async () => {
  if (opts.skip) return;
  assertLabAvailable();
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  child = spawn('ip', ['netns', 'exec', NS, process.execPath, CHILD], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  ports = await new Promise<Ports>((resolve, reject) => {
    let buf = '';
    child!.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]!) as Ports);
    });
    child!.once('exit', (code) => reject(new Error(`v6only-child exited with ${code}`)));
  });
});

after(async () => {
  try {
    if (child?.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 200));
  try {
    execFileSync('ip', ['netns', 'del', NS]);
  } catch {
    // never created (skipped)
  }
});

function portscope(args: string[], env: NodeJS.ProcessEnv = {}, inside = true): Doc {
  const argv = [...(inside ? ['netns', 'exec', NS] : []), process.execPath, BIN, 'listening', '--json', ...args];
  return JSON.parse(execFileSync(inside ? 'ip' : argv[0]!, inside ? argv : argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } })) as Doc;
}

/** port → dualStack of the `::` sockets, e.g. {"tcp 4711": false}. */
function dualByPort(doc: Doc): Record<string, boolean | undefined> {
  const out: Record<string, boolean | undefined> = {};
  for (const s of doc.sockets) if (s.address === '::') out[`${s.protocol} ${s.port}`] = s.dualStack;
  return out;
}

const truth = (): Record<string, boolean> => ({
  [`tcp ${ports.tcpV6only}`]: false,
  [`tcp ${ports.tcpDual}`]: true,
  [`udp ${ports.udpV6only}`]: false,
  [`udp ${ports.udpDual}`]: true,
});

test('sock_diag (the default) reports an IPV6_V6ONLY :: listener as IPv6-only and a dual-stack one as dual-stack', opts, () => {
  const doc = portscope([]);
  assert.equal(doc.source, 'sock_diag');
  assert.equal(doc.sockets.length, 4);
  assert.deepEqual(dualByPort(doc), truth());
  for (const s of doc.sockets) assert.equal(s.processes.length, 1, `${s.protocol} ${s.port}`);
});

test('ss agrees: [::]:PORT for the v6-only sockets, *:PORT for the dual-stack ones', opts, () => {
  const ss = execFileSync('ip', ['netns', 'exec', NS, 'ss', '-ltunH'], { encoding: 'utf8' });
  const fromSs: Record<string, boolean> = {};
  for (const line of ss.trim().split('\n')) {
    const f = line.trim().split(/\s+/);
    const m = /^(\[::\]|\*):(\d+)$/.exec(f[4]!);
    assert.ok(m, line);
    fromSs[`${f[0]} ${m[2]}`] = m[1] === '*';
  }
  assert.deepEqual(fromSs, truth());
});

test('--netns NS reads the namespace over sock_diag from inside it (the reader child), with the same answer', opts, () => {
  const doc = portscope(['--netns', NS], {}, false);
  assert.equal(doc.source, 'sock_diag');
  assert.equal(doc.netns, NS);
  assert.deepEqual(dualByPort(doc), truth());
});

test('PORTSCOPE_LISTENING_SOURCE=proc reads /proc/net: the same sockets and holders, v6-only inferred (not seen)', opts, () => {
  const diag = portscope([]);
  for (const args of [[], ['--netns', NS]]) {
    const proc = portscope(args, { PORTSCOPE_LISTENING_SOURCE: 'proc' }, args.length === 0);
    assert.equal(proc.source, 'proc');
    const key = (s: JsonSocket): string => `${s.protocol} ${s.family} [${s.address}]:${s.port} inode ${s.inode} uid ${s.socketUid} pids ${s.processes.map((p) => p.pid).join(',')}`;
    assert.deepEqual(proc.sockets.map(key).sort(), diag.sockets.map(key).sort());
    // /proc/net/tcp6 has no IPV6_V6ONLY column and no 0.0.0.0 twin exists here: every `::` socket is taken
    // as dual-stack (docs/listening.md, "Dual-stack").
    assert.deepEqual(Object.values(dualByPort(proc)), [true, true, true, true]);
  }
});

test('PORTSCOPE_LISTENING_SOURCE=sock_diag insists on netlink; an unknown value is one line and exit 2', opts, () => {
  assert.equal(portscope([], { PORTSCOPE_LISTENING_SOURCE: 'sock_diag' }).source, 'sock_diag');
  const r = spawnSync(process.execPath, [BIN, 'listening'], { encoding: 'utf8', env: { ...process.env, PORTSCOPE_LISTENING_SOURCE: 'netstat' } });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^portscope: .*PORTSCOPE_LISTENING_SOURCE.*"netstat" is not one of auto, sock_diag, proc\n$/);
});
