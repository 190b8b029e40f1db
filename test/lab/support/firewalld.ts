import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, RunResult } from '../../helpers/netlab/index.js';
import { describeRun, tempDir } from './cli.js';

/**
 * The real firewalld (Debian's package, nftables backend, its default configuration) run inside a lab
 * target: it writes its default zone's ruleset into that network namespace only (netlink is per
 * namespace). It needs the system D-Bus, so a private dbus-daemon serves it on a socket in a temp dir,
 * and firewalld runs in the private mount namespace `ip netns exec` gives it (mounts there are slaves of
 * the host's: nothing propagates back) with tmpfs over /run (its temp files, /run/xtables.lock) and
 * /var/log, and a copy of /etc/firewalld bind-mounted over the host's (also given as --system-config).
 * --nopid: no /var/run/firewalld.pid; --nofork: the lab owns the process and kills it on close, and
 * deleting the namespace kills whatever is left. Global things it could touch: kernel modules (helpers
 * only; no zone of the default configuration uses one, and this machine has no modprobe) and
 * /proc/sys/net/*, which is per network namespace.
 */
export interface Firewalld {
  /** DBUS_SYSTEM_BUS_ADDRESS for firewall-cmd and for portscope's firewall-cmd queries. */
  env: NodeJS.ProcessEnv;
  cmd(args: string[]): Promise<RunResult>;
  /** firewalld's console log so far (for assertion messages). */
  log(): string;
  remove(): void;
}

export function firewalldInstalled(): boolean {
  try {
    execFileSync('firewalld', ['--help'], { stdio: 'ignore' });
    execFileSync('dbus-daemon', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BUS_CONF = (socket: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <!-- Only root processes of this test reach the socket (its directory is 0700): allow everything, no
       service activation (no polkit: firewalld then authorises by uid 0). -->
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
`;

function firstLine(child: ChildProcess, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no output in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${err}`));
    });
  });
}

/** Starts dbus-daemon and firewalld in target 0 and waits until `firewall-cmd --state` says running. */
export async function startFirewalld(lab: Lab): Promise<Firewalld> {
  const tmp = tempDir();
  try {
    const etc = tmp.file('etc-firewalld');
    cpSync('/etc/firewalld', etc, { recursive: true });
    const socket = tmp.file('system_bus_socket');
    writeFileSync(tmp.file('bus.conf'), BUS_CONF(socket));
    const dbus = lab.spawnInTarget(0, 'dbus-daemon', [`--config-file=${tmp.file('bus.conf')}`, '--nofork', '--print-address']);
    const address = (await firstLine(dbus, 'dbus-daemon', 10_000)).trim();
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address };
    let log = '';
    const script = 'set -e; mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /var/log; mount --bind "$1" /etc/firewalld; exec firewalld --nofork --nopid --log-target console --system-config "$1"';
    const fw = lab.spawnInTarget(0, 'sh', ['-c', script, 'sh', etc], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    fw.stdout?.on('data', (d: Buffer) => void (log += d.toString()));
    fw.stderr?.on('data', (d: Buffer) => void (log += d.toString()));
    const cmd = (args: string[]): Promise<RunResult> => lab.runInTarget(0, 'firewall-cmd', args, { env, timeoutMs: 30_000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (fw.exitCode !== null || fw.signalCode !== null) throw new Error(`firewalld exited (${fw.exitCode ?? fw.signalCode}):\n${log}`);
      const st = await cmd(['--state']);
      if (st.code === 0 && st.stdout.trim() === 'running') break;
      if (Date.now() > deadline) throw new Error(`firewalld not running after 30 s: ${describeRun(st)}\n${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { env, cmd, log: () => log, remove: tmp.remove };
  } catch (err) {
    tmp.remove();
    throw err;
  }
}

/** Every file of /etc/firewalld with its content: the host's copy must stay as it was. */
export function snapshotEtcFirewalld(dir = '/etc/firewalld'): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** firewalld processes whose network namespace is this process's (the machine's own, for the test). */
export function firewalldInThisNamespace(): number[] {
  const mine = readlinkSync('/proc/self/ns/net');
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!/(^|\/)firewalld\0/.test(cmdline) && !/\/firewalld(\0|$)/.test(cmdline)) continue;
      if (readlinkSync(`/proc/${name}/ns/net`) === mine) pids.push(Number(name));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}
