/**
 * Real daemons from Debian packages for the -sV lab tests, started in a lab target namespace on non-default
 * ports with throwaway config and data in a temp directory (LAB-NOTES.md). Each starter returns what the
 * installed package says about its own version, so tests compare -sV with the package, not with constants.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Lab } from '../../helpers/netlab/index.js';

export interface Daemon {
  name: string;
  port: number;
  /** What the package reports about itself (`nginx -v` …), parsed to the version -sV should find. */
  version?: string;
}

const PG_BIN = '/usr/lib/postgresql';

/** Version text of a local command (stdout + stderr), or '' when it is missing. */
function selfReport(cmd: string, args: string[]): string {
  try {
    return execFileSync('sh', ['-c', `"$0" "$@" 2>&1 0>&1`, cmd, ...args], { encoding: 'utf8', timeout: 10_000 });
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? '');
  }
}

export function pgBinDir(): string | null {
  if (!existsSync(PG_BIN)) return null;
  const majors = execFileSync('ls', [PG_BIN], { encoding: 'utf8' })
    .split('\n')
    .filter((v) => /^\d+$/.test(v));
  const top = majors.sort((a, b) => Number(b) - Number(a))[0];
  return top ? join(PG_BIN, top, 'bin') : null;
}

/** Poll `ss` in the target until every port listens (30 s at most). */
export async function waitListening(lab: Lab, ports: number[]): Promise<void> {
  const until = Date.now() + 30_000;
  let missing = ports;
  while (Date.now() < until) {
    const r = await lab.runInTarget(0, 'ss', ['-ltnH']);
    const open = new Set([...r.stdout.matchAll(/:(\d+)\s/g)].map((m) => Number(m[1])));
    missing = ports.filter((p) => !open.has(p));
    if (missing.length === 0) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`daemons not listening on ${missing.join(',')} within 30 s`);
}

function keep(lab: Lab, name: string, cmd: string, args: string[]): void {
  const child = lab.spawnInTarget(0, cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-2000)));
  child.once('exit', (code, signal) => {
    if (signal === null && code !== 0) process.stderr.write(`service lab: ${name} exited ${code}: ${err}\n`);
  });
}

export async function startSshd(lab: Lab, dir: string, port: number): Promise<Daemon> {
  const key = join(dir, 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  keep(lab, 'sshd', '/usr/sbin/sshd', ['-D', '-e', '-f', '/dev/null', '-h', key, '-p', String(port), '-o', 'PidFile=none']);
  // "OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL …" → "9.2p1 Debian 2+deb12u3" (the banner carries the same).
  const m = /OpenSSH_([\w.]+)(?: (\w+)-([^,\s]+))?/.exec(selfReport('ssh', ['-V']));
  return { name: 'ssh', port, version: m ? [m[1], m[2], m[3]].filter(Boolean).join(' ') : undefined };
}

export function makeCertificate(dir: string, cn: string, ip: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${cn}/O=Portscope Lab`, '-addext', `subjectAltName=DNS:${cn},IP:${ip}`], { stdio: 'ignore' });
  return { cert, key };
}

export async function startNginx(lab: Lab, dir: string, httpPort: number, httpsPort: number, tls: { cert: string; key: string }): Promise<Daemon[]> {
  const conf = join(dir, 'nginx.conf');
  const page = `<html><head><title>portscope lab</title></head><body>ok</body></html>`;
  writeFileSync(
    conf,
    `user root; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log; worker_processes 1;
events { worker_connections 64; }
http {
  access_log off; client_body_temp_path ${dir}/ngx-body; proxy_temp_path ${dir}/ngx-proxy; fastcgi_temp_path ${dir}/ngx-fcgi;
  uwsgi_temp_path ${dir}/ngx-uwsgi; scgi_temp_path ${dir}/ngx-scgi;
  server { listen ${httpPort}; location / { default_type text/html; return 200 '${page}'; } }
  server { listen ${httpsPort} ssl; ssl_certificate ${tls.cert}; ssl_certificate_key ${tls.key};
           location / { default_type text/html; return 200 '${page}'; } }
}
`,
  );
  keep(lab, 'nginx', '/usr/sbin/nginx', ['-c', conf, '-e', `${dir}/nginx-error.log`]);
  const version = /nginx\/([\d.]+)/.exec(selfReport('/usr/sbin/nginx', ['-v']))?.[1];
  return [
    { name: 'http', port: httpPort, version },
    { name: 'https', port: httpsPort, version },
  ];
}

export async function startRedis(lab: Lab, dir: string, port: number): Promise<Daemon> {
  keep(lab, 'redis', 'redis-server', ['--port', String(port), '--protected-mode', 'no', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no']);
  return { name: 'redis', port, version: /v=([\d.]+)/.exec(selfReport('redis-server', ['--version']))?.[1] };
}

export async function startMemcached(lab: Lab, port: number): Promise<Daemon> {
  keep(lab, 'memcached', 'memcached', ['-u', 'root', '-p', String(port), '-U', '0', '-m', '16']);
  return { name: 'memcached', port, version: /memcached ([\d.]+)/.exec(selfReport('memcached', ['-V']))?.[1] };
}

export async function startDnsmasq(lab: Lab, dir: string, port: number): Promise<Daemon> {
  keep(lab, 'dnsmasq', '/usr/sbin/dnsmasq', ['-k', '--conf-file=/dev/null', `--port=${port}`, '--no-resolv', '--no-hosts', '--user=root', `--pid-file=${dir}/dnsmasq.pid`]);
  return { name: 'domain', port, version: /Dnsmasq version ([\w.]+)/.exec(selfReport('/usr/sbin/dnsmasq', ['--version']))?.[1] };
}

/** initdb + postgres as the postgres user, trusting the lab subnet (so the server reveals server_version). */
export async function startPostgres(lab: Lab, dir: string, port: number): Promise<Daemon> {
  const bin = pgBinDir();
  if (!bin) throw new Error('postgresql is not installed');
  const data = join(dir, 'pg');
  chmodSync(dir, 0o755);
  mkdirSync(data, { mode: 0o700 });
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(data, uid, gid);
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
  writeFileSync(join(data, 'pg_hba.conf'), 'host all all 192.0.2.0/24 trust\n', { flag: 'a' });
  keep(lab, 'postgres', 'runuser', ['-u', 'postgres', '--', join(bin, 'postgres'), '-D', data, '-p', String(port), '-c', 'listen_addresses=*', '-c', `unix_socket_directories=${data}`]);
  return { name: 'postgresql', port, version: /\(PostgreSQL\) ([\d.]+)/.exec(selfReport(join(bin, 'postgres'), ['--version']))?.[1] };
}

/**
 * The postmaster listens before its startup process has finished, and answers "the database system is
 * starting up" (SQLSTATE 57P03) meanwhile, which names no version: wait until pg_isready says it accepts.
 */
export async function waitPostgresAccepting(lab: Lab, port: number): Promise<void> {
  const bin = pgBinDir();
  if (!bin) throw new Error('postgresql is not installed');
  const until = Date.now() + 30_000;
  let last = '';
  while (Date.now() < until) {
    const r = await lab.runInTarget(0, join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '5']);
    if (r.code === 0) return;
    last = `${r.stdout}${r.stderr}`.trim();
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`postgres on ${port} not accepting connections within 30 s: ${last}`);
}

export async function startMariadb(lab: Lab, dir: string, port: number): Promise<Daemon> {
  const data = join(dir, 'mysql');
  execFileSync('mariadb-install-db', ['--user=root', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
  keep(lab, 'mariadb', '/usr/sbin/mariadbd', ['--no-defaults', '--user=root', `--datadir=${data}`, `--port=${port}`, `--socket=${dir}/mysql.sock`, `--pid-file=${dir}/mysql.pid`, '--skip-name-resolve', '--skip-log-bin']);
  const m = /Ver ([\d.]+)-MariaDB/.exec(selfReport('/usr/sbin/mariadbd', ['--version']));
  return { name: 'mysql', port, version: m?.[1] };
}

/**
 * MariaDB refuses hosts no account names before its handshake ("Host … is not allowed to connect"), which
 * hides the version. A lab-subnet account makes the scanner a host the server greets, as a real client is.
 */
export async function allowLabSubnetOnMariadb(lab: Lab, dir: string): Promise<void> {
  const r = await lab.runInTarget(0, 'mariadb', [`--socket=${dir}/mysql.sock`, '-u', 'root', '-e', "CREATE USER 'lab'@'192.0.2.%' IDENTIFIED BY 'x'"]);
  if (r.code !== 0) throw new Error(`mariadb: ${r.stderr}`);
}

export async function startVsftpd(lab: Lab, dir: string, port: number): Promise<Daemon> {
  const conf = join(dir, 'vsftpd.conf');
  writeFileSync(conf, `listen=YES\nlisten_ipv6=NO\nlisten_port=${port}\nbackground=NO\nanonymous_enable=NO\nlocal_enable=YES\nsecure_chroot_dir=/var/run/vsftpd/empty\nseccomp_sandbox=NO\n`);
  keep(lab, 'vsftpd', '/usr/sbin/vsftpd', [conf]);
  return { name: 'ftp', port, version: /version ([\d.]+)/.exec(selfReport('/usr/sbin/vsftpd', ['-v']))?.[1] };
}

export async function startMosquitto(lab: Lab, dir: string, port: number): Promise<Daemon> {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port}\nallow_anonymous true\npersistence false\nuser root\nlog_dest stderr\n`);
  keep(lab, 'mosquitto', '/usr/sbin/mosquitto', ['-c', conf]);
  return { name: 'mqtt', port, version: /mosquitto version ([\d.]+)/.exec(selfReport('/usr/sbin/mosquitto', ['-h']))?.[1] };
}

export async function startNats(lab: Lab, port: number): Promise<Daemon> {
  keep(lab, 'nats-server', '/usr/sbin/nats-server', ['-p', String(port), '-a', '0.0.0.0']);
  return { name: 'nats', port, version: /v([\d.]+)/.exec(selfReport('/usr/sbin/nats-server', ['--version']))?.[1] };
}

/**
 * Postfix with a throwaway config_directory, queue and data directory (`postfix -c DIR start-fg`, master in
 * the foreground; Postfix ≥ 3.3). One master, two smtpd listeners: `plainPort` greets with Debian's banner
 * ("$mail_name (Debian/GNU)", no version, as most Postfix servers), `versionPort` with the
 * "$mail_name ($mail_version)" banner main.cf.proto offers. Only the services smtpd needs for a
 * conversation run, chroot off (a chroot would need copies of /etc files in the queue directory).
 */
export async function startPostfix(lab: Lab, dir: string, plainPort: number, versionPort: number): Promise<Daemon[]> {
  const etc = join(dir, 'postfix');
  const data = join(dir, 'postfix-data');
  chmodSync(dir, 0o755); // smtpd runs as the postfix user inside the queue directory below dir
  mkdirSync(etc);
  mkdirSync(join(dir, 'postfix-queue'));
  mkdirSync(data);
  const uid = Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' }).trim());
  chownSync(data, uid, 0); // postfix-script refuses a data_directory not owned by mail_owner
  writeFileSync(
    join(etc, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${dir}/postfix-queue`,
      `data_directory = ${data}`,
      // maillog_file must lie under maillog_file_prefixes (default /var, /dev/stdout), else postfix exits 1 silently.
      `maillog_file = ${dir}/postfix.log`,
      `maillog_file_prefixes = ${dir}`,
      'myhostname = mail.portscope.test',
      'mydestination =',
      'alias_maps =',
      'alias_database =',
      'inet_interfaces = all',
      'inet_protocols = ipv4',
      'smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)',
      // No PTR lookup of the scanner's address: the namespace has no resolver to ask.
      'smtpd_peername_lookup = no',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(etc, 'master.cf'),
    [
      `${plainPort} inet n - n - - smtpd`,
      `${versionPort} inet n - n - - smtpd -o { smtpd_banner = $myhostname ESMTP $mail_name ($mail_version) }`,
      'cleanup unix n - n - 0 cleanup',
      'rewrite unix - - n - - trivial-rewrite',
      'proxymap unix - - n - - proxymap',
      'anvil unix - - n - 1 anvil',
      'postlog unix-dgram n - n - 1 postlogd',
      '',
    ].join('\n'),
  );
  keep(lab, 'postfix', '/usr/sbin/postfix', ['-c', etc, 'start-fg']);
  const version = /mail_version = ([\w.-]+)/.exec(selfReport('/usr/sbin/postconf', ['-d', 'mail_version']))?.[1];
  return [
    { name: 'smtp', port: plainPort, version },
    { name: 'smtp', port: versionPort, version },
  ];
}
