import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serviceName } from '../../src/ports/index.js';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';

// Real listeners in a namespace of our own (documentation addresses, no route out), read three ways:
// `portscope listening --netns NS`, `portscope listening` run inside the namespace, and `ss -ltnupH` there.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/lab → repository root
const BIN = join(ROOT, 'bin', 'portscope');
const SCRIPT = join(ROOT, 'test', 'fixtures', 'local', 'listeners.py');
const PYTHON = '/usr/bin/python3';
const NS = `psls${process.pid}`;
const opts = labTestOptions();

interface Expect {
  spec: string;
  exposure: 'loopback' | 'all-interfaces' | 'interface';
  dualStack?: boolean;
  iface?: string;
}
interface Group {
  args: string[];
  nobody?: boolean;
  expects: Expect[];
  /** Filled when started: the pids holding each socket of the group (one socket per process for reuseport groups). */
  pids: number[];
}

const e = (spec: string, exposure: Expect['exposure'], extra: Partial<Expect> = {}): Expect => ({ spec, exposure, ...extra });
const groups: Group[] = [
  {
    args: [],
    pids: [],
    expects: [
      e('tcp/4/127.0.0.1/7001', 'loopback'),
      e('tcp/6/::1/7002', 'loopback'),
      e('tcp/4/0.0.0.0/7003', 'all-interfaces'),
      e('tcp/6/::/7004/dual', 'all-interfaces', { dualStack: true }),
      e('tcp/6/::/7005/v6only', 'all-interfaces', { dualStack: false }),
      e('tcp/4/0.0.0.0/7005', 'all-interfaces'),
      e('tcp/4/192.0.2.10/7006', 'interface', { iface: 'lab0' }),
      e('tcp/6/2001:db8::10/7007', 'interface', { iface: 'lab0' }),
      e('tcp/4/0.0.0.0/22', 'all-interfaces'),
      e('udp/4/127.0.0.1/7101', 'loopback'),
      e('udp/4/0.0.0.0/7102', 'all-interfaces'),
      e('udp/6/::/7103/dual', 'all-interfaces', { dualStack: true }),
      e('udp/4/192.0.2.10/7104', 'interface', { iface: 'lab0' }),
      e('udp/6/::1/7105', 'loopback'),
      e('udp/6/2001:db8::10/53', 'interface', { iface: 'lab0' }),
    ],
  },
  // A forked server: one socket, three processes.
  { args: ['--fork', '2'], pids: [], expects: [e('tcp/4/0.0.0.0/7201', 'all-interfaces')] },
  // SO_REUSEPORT: two processes, two sockets on one port.
  { args: [], pids: [], expects: [e('tcp/4/0.0.0.0/7301/reuseport', 'all-interfaces')] },
  { args: [], pids: [], expects: [e('tcp/4/0.0.0.0/7301/reuseport', 'all-interfaces')] },
  // Another user.
  { args: [], nobody: true, pids: [], expects: [e('tcp/4/0.0.0.0/7401', 'all-interfaces'), e('udp/6/::1/7402', 'loopback')] },
];

const children: ChildProcess[] = [];
const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

async function startGroup(g: Group): Promise<void> {
  const priv = g.nobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
  const args = ['netns', 'exec', NS, ...priv, PYTHON, SCRIPT, ...g.args, ...g.expects.map((x) => x.spec)];
  const child = spawn('ip', args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`listeners.py ${g.expects.map((x) => x.spec).join(' ')} exited with ${code}`)));
  });
  const [word, ...pids] = line.trim().split(/\s+/);
  assert.equal(word, 'ready');
  g.pids = pids.map(Number).sort((a, b) => a - b);
}

before(async () => {
  if (opts.skip) return;
  assertLabAvailable();
  ip('netns', 'add', NS);
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  // No dummy driver in this kernel: a veth pair with both ends inside the namespace (no link out).
  ip('-n', NS, 'link', 'add', 'lab0', 'type', 'veth', 'peer', 'name', 'lab1');
  ip('-n', NS, 'link', 'set', 'lab1', 'up');
  ip('-n', NS, 'addr', 'add', '192.0.2.10/24', 'dev', 'lab0');
  ip('-n', NS, 'addr', 'add', '2001:db8::10/64', 'dev', 'lab0', 'nodad');
  ip('-n', NS, 'link', 'set', 'lab0', 'up');
  for (const g of groups) await startGroup(g);
});

after(() => {
  for (const c of children) {
    try {
      if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    ip('netns', 'del', NS);
  } catch {
    // never created (skipped)
  }
});

interface JsonSocket {
  protocol: string;
  family: number;
  address: string;
  port: number;
  state: string;
  exposure: string;
  dualStack?: boolean;
  interface?: string;
  service?: string;
  owner: string;
  ownerKnown: boolean;
  inode: number;
  socketUid?: number;
  netns?: string;
  processes: { pid: number; name: string; command: string; user: string; uid: number }[];
}

function portscopeJson(args: string[], prefix: string[] = [], env: NodeJS.ProcessEnv = {}): { netns?: string; source?: string; sockets: JsonSocket[] } {
  const argv = [...prefix, process.execPath, BIN, 'listening', '--json', ...args];
  return JSON.parse(execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } }));
}

function parseSpec(spec: string): { protocol: string; family: number; address: string; port: number } {
  const [protocol, family, address, port] = spec.split('/');
  return { protocol: protocol!, family: Number(family), address: address!, port: Number(port) };
}

/** Every expected socket, with every field, exactly once; and nothing else. */
function assertAllFields(sockets: JsonSocket[], netns: string | undefined, canSee: (g: Group) => boolean): void {
  const remaining = [...sockets];
  for (const g of groups) {
    const user = g.nobody ? 'nobody' : 'root';
    const uid = g.nobody ? 65534 : 0;
    for (const x of g.expects) {
      const want = parseSpec(x.spec);
      const where = `${x.spec} (group pids ${g.pids.join(',')})`;
      const i = remaining.findIndex((s) => s.protocol === want.protocol && s.family === want.family && s.address === want.address && s.port === want.port && (!canSee(g) || s.processes.some((p) => p.pid === g.pids[0])));
      assert.ok(i >= 0, `missing ${where}`);
      const s = remaining.splice(i, 1)[0]!;
      assert.equal(s.state, want.protocol === 'tcp' ? 'LISTEN' : 'UNCONN', where);
      assert.equal(s.exposure, x.exposure, where);
      assert.equal(s.dualStack, x.dualStack, where);
      assert.equal(s.interface, x.iface, where);
      assert.equal(s.service, serviceName(want.port, want.protocol as 'tcp' | 'udp'), where);
      assert.equal(s.netns, netns, where);
      assert.ok(Number.isInteger(s.inode) && s.inode > 0, where);
      assert.equal(s.socketUid, uid, where);
      if (canSee(g)) {
        assert.equal(s.owner, user, where);
        assert.equal(s.ownerKnown, true, where);
        assert.deepEqual(
          s.processes.map((p) => p.pid),
          g.pids,
          where,
        );
        for (const p of s.processes) {
          assert.equal(p.name, 'python3', where);
          assert.equal(p.user, user, where);
          assert.equal(p.uid, uid, where);
          assert.ok(p.command.startsWith(`${PYTHON} ${SCRIPT}`), `${where}: ${p.command}`);
        }
      } else {
        assert.equal(s.owner, 'unknown (needs root)', where);
        assert.equal(s.ownerKnown, false, where);
        assert.deepEqual(s.processes, [], where);
      }
    }
  }
  assert.deepEqual(remaining, [], 'sockets nobody started');
}

test('--netns NS reads the namespace from outside: every socket with every field', opts, () => {
  const doc = portscopeJson(['--netns', NS]);
  assert.equal(doc.netns, NS);
  assert.equal(doc.source, 'sock_diag');
  assertAllFields(doc.sockets, NS, () => true);
});

test('run inside the namespace (ip netns exec), the same sockets and fields', opts, () => {
  const doc = portscopeJson([], ['ip', 'netns', 'exec', NS]);
  assert.equal(doc.source, 'sock_diag');
  assertAllFields(doc.sockets, undefined, () => true);
});

test('the /proc fallback (PORTSCOPE_LISTENING_SOURCE=proc), inside and with --netns: the same sockets and fields', opts, () => {
  const inside = portscopeJson([], ['ip', 'netns', 'exec', NS], { PORTSCOPE_LISTENING_SOURCE: 'proc' });
  assert.equal(inside.source, 'proc');
  assertAllFields(inside.sockets, undefined, () => true);
  const outside = portscopeJson(['--netns', NS], [], { PORTSCOPE_LISTENING_SOURCE: 'proc' });
  assert.equal(outside.source, 'proc');
  assertAllFields(outside.sockets, NS, () => true);
});

test('as nobody, root-owned sockets are listed with owner "unknown (needs root)"', opts, () => {
  const doc = portscopeJson([], ['ip', 'netns', 'exec', NS, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups']);
  assertAllFields(doc.sockets, undefined, (g) => g.nobody === true);
});

test('the same sockets, pids and socket users as ss -ltnupeH in the namespace, and ss agrees on dual-stack', opts, () => {
  const ss = execFileSync('ip', ['netns', 'exec', NS, 'ss', '-ltnupeH'], { encoding: 'utf8' });
  const fromSs: string[] = [];
  for (const line of ss.trim().split('\n')) {
    const f = line.trim().split(/\s+/);
    // netid state recv-q send-q local peer users:((…))
    const m = /^(?:\[([^\]]+)\]|(.+)):(\d+)$/.exec(f[4]!);
    assert.ok(m, line);
    const star = m[2] === '*'; // ss prints a dual-stack `::` socket as *:PORT and a v6-only one as [::]:PORT
    const address = star ? '::' : (m[1] ?? m[2])!;
    const pids = [
      ...f
        .slice(6)
        .join(' ')
        .matchAll(/pid=(\d+)/g),
    ]
      .map((x) => Number(x[1]))
      .sort((a, b) => a - b);
    // -e: `uid:N` (the socket's uid; ss omits it for 0) and `ino:N`.
    const rest = f.slice(6).join(' ');
    const uid = Number(/\buid:(\d+)/.exec(rest)?.[1] ?? 0);
    const ino = /\bino:(\d+)/.exec(rest)?.[1];
    fromSs.push(`${f[0]} ${address} ${m[3]} dual=${address === '::' ? star : '-'} pids=${pids.join(',')} uid=${uid} ino=${ino}`);
  }
  const ours = portscopeJson(['--netns', NS]).sockets.map((s) => `${s.protocol} ${s.address} ${s.port} dual=${s.address === '::' ? s.dualStack : '-'} pids=${s.processes.map((p) => p.pid).join(',')} uid=${s.socketUid} ino=${s.inode}`);
  assert.deepEqual(ours.sort(), fromSs.sort());
  assert.equal(
    ours.length,
    groups.reduce((n, g) => n + g.expects.length, 0),
  );
});

test('filters: --udp --public --user nobody --port keeps exactly what matches', opts, () => {
  const doc = portscopeJson(['--netns', NS, '--udp', '--public']);
  assert.deepEqual(doc.sockets.map((s) => `${s.address}/${s.port}`).sort(), ['0.0.0.0/7102', '192.0.2.10/7104', '2001:db8::10/53', '::/7103']);
  const nobody = portscopeJson(['--netns', NS, '--user', 'nobody']);
  assert.deepEqual(nobody.sockets.map((s) => s.port).sort(), [7401, 7402]);
  const port = portscopeJson(['--netns', NS, '--port', '7201,7301', '--tcp']);
  assert.deepEqual(
    port.sockets.map((s) => s.processes.length),
    [3, 1, 1],
  );
});
