import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killChildren, register, teardownSync, type Owned } from './cleanup.js';
import { collect, type RunOptions, type RunResult } from './exec.js';
import { renderRuleset, type FirewallPlan } from './firewall.js';
import { createNamespace, nextLabId, nsRun, sweepStaleNamespaces } from './namespaces.js';
import { compactPorts, expandPorts, type PortList } from './ports.js';
import { truthFor, type Truth } from './truth.js';
import { assertLabTools } from './preflight.js';

export interface LabOptions {
  /** Number of target hosts (default 1). 0: only the scanner namespace, with nothing but lo. */
  targets?: number;
  /** ICMP rate limit in the targets. 'off' makes every ICMP reject arrive (exact reasons). Default kernel. */
  icmpRateLimit?: 'kernel-default' | 'off';
  /** Firewall plan applied to every target at creation (change per target with setFirewall). */
  firewall?: FirewallPlan;
  /** Extra scanner addresses on the bridge besides 192.0.2.1 / 2001:db8::1 (e.g. -S source pools). */
  scannerAddresses?: string[];
}

export interface LabTarget {
  index: number;
  ns: string;
  v4: string;
  v6: string;
}

export interface ListenOptions {
  family?: 4 | 6 | 'both';
  /** close: accept and close at once (default); hold: keep connections open. */
  mode?: 'close' | 'hold';
  /** Target index (default 0), or 'scanner' for a listener in the scanner namespace (loopback tests). */
  target?: number | 'scanner';
}

export interface Listener {
  ports: number[];
  family: 4 | 6 | 'both';
  target: number | 'scanner';
  stop(): Promise<void>;
}

interface TargetState extends LabTarget {
  plan: FirewallPlan;
  redirectAllTo?: number;
  listeners: Set<Listener>;
}

const LISTENER_JS = fileURLToPath(new URL('./listener.js', import.meta.url));

/**
 * A scanner namespace and target namespaces on one bridge (192.0.2.0/24, 2001:db8::/64, no default route):
 * scanner 192.0.2.1 / 2001:db8::1, target i at 192.0.2.(2+i) / 2001:db8::(2+i). Nothing can leave the
 * machine: the scanner's only links are lo and the bridge to the targets.
 */
export class Lab {
  readonly id: string;
  readonly scannerNs: string;
  readonly targets: readonly LabTarget[];
  readonly icmpRateLimit: 'kernel-default' | 'off';
  readonly #state: TargetState[];
  readonly #owned: Owned;
  readonly #extra: readonly string[];
  #closed = false;

  private constructor(id: string, icmp: 'kernel-default' | 'off', states: TargetState[], owned: Owned, extra: readonly string[]) {
    this.id = id;
    this.#extra = extra;
    this.scannerNs = `${id}-scan`;
    this.icmpRateLimit = icmp;
    this.#state = states;
    this.targets = states.map(({ index, ns, v4, v6 }) => ({ index, ns, v4, v6 }));
    this.#owned = owned;
  }

  /** The first target. */
  get target(): LabTarget {
    const t = this.targets[0];
    if (!t) throw new Error('netlab: this lab has no targets');
    return t;
  }

  static async create(opts: LabOptions = {}): Promise<Lab> {
    assertLabTools();
    sweepStaleNamespaces();
    const id = nextLabId();
    const count = opts.targets ?? 1;
    if (!Number.isInteger(count) || count < 0 || count > 200) throw new Error(`netlab: bad target count ${count}`);
    const icmp = opts.icmpRateLimit ?? 'kernel-default';
    const states: TargetState[] = [];
    for (let i = 0; i < count; i++) {
      states.push({ index: i, ns: `${id}-tgt${i === 0 ? '' : i + 1}`, v4: `192.0.2.${2 + i}`, v6: `2001:db8::${(2 + i).toString(16)}`, plan: opts.firewall ?? {}, listeners: new Set() });
    }
    const owned: Owned = { namespaces: [], children: new Set() };
    register(owned);
    for (const a of opts.scannerAddresses ?? []) {
      if (!/^(192\.0\.2\.\d{1,3}|2001:db8:[0-9a-f:]*)$/i.test(a)) throw new Error(`netlab: scanner address ${a} is outside 192.0.2.0/24 and 2001:db8::/64`);
    }
    const lab = new Lab(id, icmp, states, owned, opts.scannerAddresses ?? []);
    try {
      await lab.#build();
    } catch (err) {
      teardownSync(owned);
      throw err;
    }
    return lab;
  }

  async #build(): Promise<void> {
    const scan = this.scannerNs;
    this.#owned.namespaces.push(scan);
    await createNamespace(scan);
    if (this.#state.length === 0) return;
    const ip = (ns: string, ...args: string[]): Promise<string> => nsRun(ns, 'ip', args);
    // A bridge rather than one veth per target: one subnet, one interface, any number of targets.
    // Multicast snooping off so that neighbour solicitations are flooded without an MLD querier.
    await ip(scan, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    await ip(scan, 'addr', 'add', '192.0.2.1/24', 'dev', 'br0');
    await ip(scan, 'addr', 'add', '2001:db8::1/64', 'dev', 'br0', 'nodad');
    for (const a of this.#extra) await ip(scan, 'addr', 'add', a.includes(':') ? `${a}/64` : `${a}/24`, 'dev', 'br0', ...(a.includes(':') ? ['nodad'] : []));
    await ip(scan, 'link', 'set', 'br0', 'up');
    for (const t of this.#state) {
      this.#owned.namespaces.push(t.ns);
      await createNamespace(t.ns);
      const port = `vt${t.index}`;
      await ip(scan, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', t.ns);
      await ip(scan, 'link', 'set', port, 'master', 'br0', 'up');
      await ip(t.ns, 'addr', 'add', `${t.v4}/24`, 'dev', 'eth0');
      await ip(t.ns, 'addr', 'add', `${t.v6}/64`, 'dev', 'eth0', 'nodad');
      await ip(t.ns, 'link', 'set', 'eth0', 'up');
      if (this.icmpRateLimit === 'off') {
        // Per-peer limits (icmp_ratelimit, ipv6 icmp.ratelimit) and, via the ratemasks, the global
        // icmp_msgs_per_sec bucket (net/ipv4/icmp.c icmpv4_mask_allow, net/ipv6/icmp.c icmpv6_mask_allow).
        await nsRun(t.ns, 'sysctl', ['-q', '-w', 'net.ipv4.icmp_ratelimit=0', 'net.ipv6.icmp.ratelimit=0', 'net.ipv4.icmp_ratemask=0', 'net.ipv6.icmp.ratemask=']);
      }
      await this.#applyFirewall(t);
    }
  }

  async #applyFirewall(t: TargetState): Promise<void> {
    await nsRun(t.ns, 'nft', ['-f', '-'], renderRuleset(t.plan, t.redirectAllTo));
  }

  #targetState(index = 0): TargetState {
    const t = this.#state[index];
    if (!t) throw new Error(`netlab: no target ${index} (lab has ${this.#state.length})`);
    return t;
  }

  /** Replace a target's firewall plan. */
  async setFirewall(plan: FirewallPlan, target = 0): Promise<void> {
    const t = this.#targetState(target);
    t.plan = plan;
    await this.#applyFirewall(t);
  }

  /** Make every TCP port of a target answer like `toPort` (nat redirect): a wildcard host. */
  async redirectAllPorts(toPort: number, target = 0): Promise<void> {
    const t = this.#targetState(target);
    t.redirectAllTo = toPort;
    await this.#applyFirewall(t);
  }

  /** Start one listener process in a target namespace; resolves once every port listens. */
  async listen(ports: PortList, opts: ListenOptions = {}): Promise<Listener> {
    const t = opts.target === 'scanner' ? undefined : this.#targetState(opts.target ?? 0);
    const list = expandPorts(ports);
    const family = opts.family ?? 'both';
    const child = this.#spawn(t?.ns ?? this.scannerNs, process.execPath, [LISTENER_JS, '--ports', compactPorts(list), '--family', String(family), '--mode', opts.mode ?? 'close']);
    await waitReady(child);
    const listener: Listener = {
      ports: list,
      family,
      target: t?.index ?? 'scanner',
      stop: async () => {
        t?.listeners.delete(listener);
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await gone;
        }
      },
    };
    t?.listeners.add(listener);
    return listener;
  }

  // ---- fleet (issue 14): more scanner namespaces on the same bridge (workers with their own source address) ----
  #extraScanners = 0;

  /** A further scanner namespace with its own address on the bridge (192.0.2.x/24); returns its name. */
  async addScanner(v4: string): Promise<string> {
    if (!/^192\.0\.2\.\d{1,3}$/.test(v4)) throw new Error(`netlab: scanner address ${v4} is outside 192.0.2.0/24`);
    if (this.#state.length === 0) throw new Error('netlab: addScanner needs a lab with targets (the bridge)');
    const n = ++this.#extraScanners;
    const ns = `${this.id}-vs${n}`;
    this.#owned.namespaces.push(ns);
    await createNamespace(ns);
    const ip = (where: string, ...args: string[]): Promise<string> => nsRun(where, 'ip', args);
    await ip(this.scannerNs, 'link', 'add', `vs${n}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    await ip(this.scannerNs, 'link', 'set', `vs${n}`, 'master', 'br0', 'up');
    await ip(ns, 'addr', 'add', `${v4}/24`, 'dev', 'eth0');
    await ip(ns, 'link', 'set', 'eth0', 'up');
    return ns;
  }

  spawnIn(ns: string, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    return this.#spawn(ns, cmd, args, opts);
  }
  // ---- end fleet ----

  /** Ground truth of a TCP connect scan from the scanner to these ports of a target (truth.ts). */
  truth(ports: PortList, opts: { family?: 4 | 6; target?: number } = {}): Map<number, Truth> {
    const t = this.#targetState(opts.target ?? 0);
    const family = opts.family ?? 4;
    const listening = new Set<number>();
    for (const l of t.listeners) if (l.family === 'both' || l.family === family) for (const p of l.ports) listening.add(p);
    const input = { plan: t.plan, listening, family, icmpRateLimited: this.icmpRateLimit !== 'off', ...(t.redirectAllTo === undefined ? {} : { redirectAllTo: t.redirectAllTo }) };
    return new Map(expandPorts(ports).map((p) => [p, truthFor(p, input)]));
  }

  runInScanner(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.runIn(this.scannerNs, cmd, args, opts);
  }

  spawnInScanner(cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    return this.#spawn(this.scannerNs, cmd, args, opts);
  }

  runInTarget(target: number, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return this.runIn(this.#targetState(target).ns, cmd, args, opts);
  }

  spawnInTarget(target: number, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    return this.#spawn(this.#targetState(target).ns, cmd, args, opts);
  }

  /** Run to completion in a namespace of this lab (`ip netns exec` execs the command: signals reach it). */
  runIn(ns: string, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const t0 = performance.now();
    const child = this.#spawn(ns, cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    return collect(child, t0, opts);
  }

  #spawn(ns: string, cmd: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
    if (this.#closed) throw new Error('netlab: lab is closed');
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    this.#owned.children.add(child);
    child.once('exit', () => this.#owned.children.delete(child));
    return child;
  }

  /** Kill every process the lab started and delete its namespaces. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    killChildren(this.#owned);
    teardownSync(this.#owned);
  }
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error('netlab: listener not READY within 30 s')), 30_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('READY\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => fail(new Error(`netlab: listener exited (${code}) before READY: ${err.trim()}`)));
  });
}

/** Create a lab (see Lab). Throws a clear error when not root or ip/nft are missing. */
export function createLab(opts: LabOptions = {}): Promise<Lab> {
  return Lab.create(opts);
}
