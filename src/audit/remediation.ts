import type { ProcessFacts, Remediation } from './evidence-schema.js';

/** What a check's remediate() is told about one finding. */
export interface RemediationContext {
  type: string;
  protocol: 'tcp' | 'udp';
  port: number;
  processes: ProcessFacts[];
  /** Allowed exposure from the policy rule (empty: no rule). */
  allowed: string[];
  /** Firewalls detected on the machine (firewall-detect.ts), for listening-but-filtered. */
  firewalls: string[];
  local: boolean;
}

/**
 * Firewall rules that close a port to everything but loopback (or but the allowed CIDRs). The nftables
 * line assumes the common `inet filter` table with an `input` chain (nft(8), Debian's /etc/nftables.conf).
 */
export function firewallHints(protocol: 'tcp' | 'udp', port: number, cidrs: string[] = []): NonNullable<Remediation['firewall']> {
  const p = `${port}/${protocol}`;
  if (cidrs.length === 0) {
    return {
      nftables: `nft add rule inet filter input iifname != "lo" ${protocol} dport ${port} drop`,
      iptables: `iptables -A INPUT ! -i lo -p ${protocol} --dport ${port} -j DROP; ip6tables -A INPUT ! -i lo -p ${protocol} --dport ${port} -j DROP`,
      ufw: `ufw deny ${p}`,
      firewalld: `firewall-cmd --permanent --remove-port=${p} && firewall-cmd --reload`,
    };
  }
  const v4 = cidrs.filter((c) => !c.includes(':'));
  const v6 = cidrs.filter((c) => c.includes(':'));
  const nftSet = (fam: 'ip' | 'ip6', list: string[]): string => (list.length ? `${fam} saddr != { ${list.join(', ')} } ` : '');
  return {
    nftables: `nft add rule inet filter input iifname != "lo" ${nftSet('ip', v4)}${nftSet('ip6', v6)}${protocol} dport ${port} drop`,
    iptables: cidrs.map((c) => `${c.includes(':') ? 'ip6tables' : 'iptables'} -A INPUT -s ${c} -p ${protocol} --dport ${port} -j ACCEPT`).join('; ') + `; iptables -A INPUT ! -i lo -p ${protocol} --dport ${port} -j DROP`,
    ufw: `${cidrs.map((c) => `ufw allow from ${c} to any port ${port} proto ${protocol}`).join(' && ')} && ufw deny ${p}`,
    firewalld: `${cidrs.map((c) => `firewall-cmd --permanent --add-rich-rule='rule family="${c.includes(':') ? 'ipv6' : 'ipv4'}" source address="${c}" port port="${port}" protocol="${protocol}" accept'`).join(' && ')} && firewall-cmd --permanent --remove-port=${p} && firewall-cmd --reload`,
  };
}

/** A configuration file named on the command line (`-c FILE`, `--config=FILE`, a bare `*.conf` argument). */
function configFromCommand(command: string, flags: string[]): string | undefined {
  const args = command.split(' ');
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const f of flags) {
      if (a === f && args[i + 1]) return args[i + 1];
      if (a.startsWith(`${f}=`)) return a.slice(f.length + 1);
    }
  }
  return args.slice(1).find((a) => /\.(conf|cnf|ya?ml)$/.test(a) && a.startsWith('/'));
}

/**
 * Where common daemons take their listen address, and the line that binds them to loopback. Config paths
 * are Debian's defaults (redis-server, postgresql-common, mariadb-server, openssh-server, nginx, apache2,
 * memcached, dnsmasq packages) unless the command line names another file.
 */
export function rebindHint(proc: ProcessFacts, port: number): { file: string; directive: string } | undefined {
  const name = proc.name.replace(/:.*$/, '');
  const cmd = proc.command;
  switch (name) {
    case 'redis-server':
      return { file: configFromCommand(cmd, []) ?? '/etc/redis/redis.conf', directive: 'bind 127.0.0.1 -::1' };
    case 'postgres': {
      const dataDir = configFromCommand(cmd, ['-D']);
      const file = configFromCommand(cmd, ['config_file']) ?? (dataDir ? `${dataDir}/postgresql.conf` : '/etc/postgresql/*/main/postgresql.conf');
      return { file, directive: "listen_addresses = 'localhost'" };
    }
    case 'mysqld':
    case 'mariadbd':
      return { file: configFromCommand(cmd, ['--defaults-file']) ?? '/etc/mysql/mariadb.conf.d/50-server.cnf (MySQL: /etc/mysql/mysql.conf.d/mysqld.cnf)', directive: '[mysqld] bind-address = 127.0.0.1' };
    case 'sshd':
      return { file: configFromCommand(cmd, ['-f']) ?? '/etc/ssh/sshd_config', directive: 'ListenAddress 127.0.0.1' };
    case 'nginx':
      return { file: configFromCommand(cmd, ['-c']) ?? '/etc/nginx/sites-enabled/* (or /etc/nginx/nginx.conf)', directive: `listen 127.0.0.1:${port};` };
    case 'apache2':
    case 'httpd':
      return { file: '/etc/apache2/ports.conf', directive: `Listen 127.0.0.1:${port}` };
    case 'memcached':
      return { file: '/etc/memcached.conf', directive: '-l 127.0.0.1' };
    case 'dnsmasq':
      return { file: configFromCommand(cmd, ['-C', '--conf-file']) ?? '/etc/dnsmasq.conf', directive: 'listen-address=127.0.0.1 and bind-interfaces' };
    case 'mongod':
      return { file: configFromCommand(cmd, ['--config', '-f']) ?? '/etc/mongod.conf', directive: 'net.bindIp: 127.0.0.1' };
    default:
      return undefined;
  }
}

function unitOf(processes: ProcessFacts[]): { unit: string; ctl: string } | undefined {
  const p = processes.find((q) => q.unit);
  if (!p?.unit) return undefined;
  return { unit: p.unit, ctl: p.userUnit ? `systemctl --user` : 'systemctl' };
}

/** The processes as a person names them in a sentence. */
export function who(processes: ProcessFacts[]): string {
  if (processes.length === 0) return 'the owning process (run as root to see it)';
  return processes.map((p) => `${p.name}[${p.pid}]`).join(', ');
}

/** What every check's remediation draws on: the owning unit first, then the daemon's config, then a firewall rule. */
export interface RemediationKit {
  unit: { unit: string; ctl: string } | undefined;
  rebind: { file: string; directive: string } | undefined;
  fw: NonNullable<Remediation['firewall']>;
  /** How to stop the owner: its unit, else its pids. */
  stop: string | undefined;
  /** Steps collected so far; `out` returns them. */
  steps: string[];
  out(summary: string, extra?: Partial<Remediation>): Remediation;
}

export function remediationKit(ctx: RemediationContext): RemediationKit {
  const { protocol, port, processes } = ctx;
  const unit = unitOf(processes);
  const rebind = processes.map((p) => rebindHint(p, port)).find((h) => h !== undefined);
  const fw = firewallHints(
    protocol,
    port,
    ctx.allowed.filter((a) => a.includes('/')),
  );
  const steps: string[] = [];
  const stop = unit ? `${unit.ctl} disable --now ${unit.unit}` : processes.length > 0 ? `kill ${processes.map((p) => p.pid).join(' ')}  (then remove whatever starts it)` : undefined;
  return {
    unit,
    rebind,
    fw,
    stop,
    steps,
    out: (summary, extra = {}) => ({ summary, steps, ...(unit ? { unit: unit.unit } : {}), ...extra }),
  };
}
