/**
 * -sV side by side (issue 4, "Performance"): portscope -sV and nmap -sV on the lab host running real daemons
 * from Debian packages (test/lab/support/service-daemons.ts). A port counts as identified when the tool's
 * XML names the service and reports the version the installed package gives for itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../../test/helpers/netlab/index.js';
import * as d from '../../test/lab/support/service-daemons.js';
import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import type { RunOutcome } from '../lib/proc.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import type { StateMap } from '../lib/states.js';

const PORTS = { ssh: 2222, http: 8081, https: 8444, redis: 6390, memcached: 11311, dns: 5354, pg: 5440, maria: 3310, ftp: 2121, mqtt: 1884, smtp: 2525, smtpVersion: 2526 };

/** port → "name version-first-token" from an nmap-format XML document (ours or nmap's). */
function servicesFromXml(xml: string, ports: readonly number[]): StateMap {
  const out: StateMap = new Map(ports.map((p) => [p, 'missing']));
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d+)">(.*?)<\/port>/gs)) {
    const svc = /<service ([^>]*?)\/?>/.exec(m[2]!)?.[1] ?? '';
    const attr = (k: string): string | undefined => new RegExp(`\\b${k}="([^"]*)"`).exec(svc)?.[1];
    const version = attr('version')?.split(' ')[0];
    out.set(Number(m[1]), `${attr('name') ?? 'none'} ${version ?? '-'}`);
  }
  return out;
}

export const serviceLab: Benchmark = {
  name: 'service-lab',
  description: `-sV on 192.0.2.2 with ${Object.keys(PORTS).length} daemons from Debian packages on non-default ports (sshd, nginx HTTP and HTTPS, redis, memcached, dnsmasq, PostgreSQL, MariaDB, vsftpd, mosquitto, Postfix with Debian's banner and with its version banner)`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const lab = await createLab();
    const dir = mkdtempSync(join(tmpdir(), 'portscope-bench-sv-'));
    try {
      const tls = d.makeCertificate(dir, 'lab.portscope.test', lab.target.v4);
      const daemons = [
        await d.startSshd(lab, dir, PORTS.ssh),
        ...(await d.startNginx(lab, dir, PORTS.http, PORTS.https, tls)),
        await d.startRedis(lab, dir, PORTS.redis),
        await d.startMemcached(lab, PORTS.memcached),
        await d.startDnsmasq(lab, dir, PORTS.dns),
        await d.startPostgres(lab, dir, PORTS.pg),
        await d.startMariadb(lab, dir, PORTS.maria),
        await d.startVsftpd(lab, dir, PORTS.ftp),
        await d.startMosquitto(lab, dir, PORTS.mqtt),
        ...(await d.startPostfix(lab, dir, PORTS.smtp, PORTS.smtpVersion)),
      ];
      const ports = daemons.map((x) => x.port);
      await d.waitListening(lab, ports);
      await d.waitPostgresAccepting(lab, PORTS.pg);
      await d.allowLabSubnetOnMariadb(lab, dir);
      // Debian's Postfix banner names no version: the right answer there is "smtp" without one.
      const expected = (x: d.Daemon): string => (x.port === PORTS.smtp ? '-' : (x.version?.split(' ')[0] ?? '?'));
      const truth: StateMap = new Map(daemons.map((x) => [x.port, `${x.name === 'https' ? 'http' : x.name} ${expected(x)}`]));
      const spec = ports.join(',');
      const parse = (o: RunOutcome): StateMap => servicesFromXml(o.stdout, ports);
      const ps = portscopeCmd(ctx, ['-sV', '-p', spec, '-n', '-Pn', '-oX', '-', lab.target.v4]);
      const contenders: Contender[] = [
        { label: 'portscope -sV', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: lab.scannerNs, measureRss: true }, parse },
        { label: 'nmap -sV', tool: 'nmap', cmd: 'nmap', args: ['-sV', '-sT', '-p', spec, '-n', '-Pn', '-oX', '-', lab.target.v4], opts: { netns: lab.scannerNs, measureRss: true }, parse },
      ];
      const sbs = await sideBySide(contenders, ctx.n, truth, ports, ctx.log);
      const ratio = sbs.ratios[0]?.ratio ?? Infinity;
      const [mine, theirs] = sbs.contenders;
      return {
        name: 'service-lab',
        description: this.description,
        ports: ports.length,
        ...sbs,
        checks: [
          { what: `portscope identifies every daemon with its package version in every run (worst run: ${mine?.misclassifiedMax ?? 'n/a'} missed)`, pass: mine?.misclassifiedMax === 0 },
          { what: `portscope misses no more than nmap (nmap worst run: ${theirs?.misclassifiedMax ?? 'n/a'} missed)`, pass: (mine?.misclassifiedMax ?? Infinity) <= (theirs?.misclassifiedMax ?? Infinity) },
          { what: `portscope median wall time < nmap's (ratio ${ratio?.toFixed(3)})`, pass: ratio !== null && ratio < 1 },
        ],
        notes: [
          `"misclassified" = ports where the XML does not give "name version" equal to the package's own report (${[...truth.entries()].map(([p, v]) => `${p}=${v}`).join(', ')})`,
          'PostgreSQL reveals its version only because the lab trusts the scanner subnet (docs/service-detection.md)',
          `Postfix: ${PORTS.smtp} greets with Debian's banner (no version, so "smtp -" is right), ${PORTS.smtpVersion} with main.cf.proto's "$mail_name ($mail_version)" banner`,
        ],
      };
    } finally {
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
