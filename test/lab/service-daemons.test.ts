import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, run } from '../helpers/netlab/index.js';
import type { ServiceInfo } from '../../src/model/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import * as d from './support/service-daemons.js';

// -sV against real daemons from Debian packages, each on a non-default port in a lab namespace: the name,
// product and version -sV reports must equal what the installed package says about itself.
const PORTS = { ssh: 2222, http: 8081, https: 8444, redis: 6390, memcached: 11311, dns: 5354, pg: 5440, maria: 3310, ftp: 2121, mqtt: 1884, nats: 4223, smtp: 2525, smtpVersion: 2526 };

interface JsonPort {
  port: number;
  state: string;
  service?: ServiceInfo;
}

test('-sV names every lab daemon with the product and version its package reports', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab();
  const tmp = tempDir();
  try {
    const tls = d.makeCertificate(tmp.dir, 'lab.portscope.test', lab.target.v4);
    const daemons = [
      await d.startSshd(lab, tmp.dir, PORTS.ssh),
      ...(await d.startNginx(lab, tmp.dir, PORTS.http, PORTS.https, tls)),
      await d.startRedis(lab, tmp.dir, PORTS.redis),
      await d.startMemcached(lab, PORTS.memcached),
      await d.startDnsmasq(lab, tmp.dir, PORTS.dns),
      await d.startPostgres(lab, tmp.dir, PORTS.pg),
      await d.startMariadb(lab, tmp.dir, PORTS.maria),
      await d.startVsftpd(lab, tmp.dir, PORTS.ftp),
      await d.startMosquitto(lab, tmp.dir, PORTS.mqtt),
      await d.startNats(lab, PORTS.nats),
      ...(await d.startPostfix(lab, tmp.dir, PORTS.smtp, PORTS.smtpVersion)),
    ];
    await d.waitListening(
      lab,
      daemons.map((x) => x.port),
    );
    await d.waitPostgresAccepting(lab, PORTS.pg);
    await d.allowLabSubnetOnMariadb(lab, tmp.dir);
    const ports = daemons.map((x) => x.port).join(',');
    const r = await scanCli(lab, ['-Pn', '-n', '-sV', '-p', ports, '-oX', tmp.file('s.xml'), '-oJ', tmp.file('s.json'), '-oN', tmp.file('s.nmap'), lab.target.v4]);
    assert.equal(r.code, 0, describeRun(r));
    const doc = JSON.parse(readFileSync(tmp.file('s.json'), 'utf8')) as { hosts: { ports: JsonPort[] }[] };
    const byPort = new Map(doc.hosts[0]!.ports.map((p) => [p.port, p]));
    const svc = (port: number): ServiceInfo => {
      const p = byPort.get(port);
      assert.equal(p?.state, 'open', `port ${port} open`);
      assert.ok(p.service, `port ${port} has a service`);
      return p.service;
    };
    const expect = (port: number, name: string, product: string, version: string | undefined): void => {
      const s = svc(port);
      assert.equal(s.method, 'probed', `${port}: ${JSON.stringify(s)}`);
      assert.equal(s.conf, 10);
      assert.equal(s.name, name, `${port}: ${JSON.stringify(s)}`);
      assert.equal(s.product, product, `${port}: ${JSON.stringify(s)}`);
      assert.ok(version, `the package reported a version for port ${port}`);
      assert.equal(s.version, version, `${port}: ${JSON.stringify(s)}`);
    };
    const v = (port: number): string | undefined => daemons.find((x) => x.port === port)?.version;
    expect(PORTS.ssh, 'ssh', 'OpenSSH', v(PORTS.ssh));
    expect(PORTS.http, 'http', 'nginx', v(PORTS.http));
    expect(PORTS.https, 'http', 'nginx', v(PORTS.https));
    expect(PORTS.redis, 'redis', 'Redis key-value store', v(PORTS.redis));
    expect(PORTS.memcached, 'memcached', 'Memcached', v(PORTS.memcached));
    expect(PORTS.dns, 'domain', 'dnsmasq', v(PORTS.dns));
    expect(PORTS.pg, 'postgresql', 'PostgreSQL DB', v(PORTS.pg));
    expect(PORTS.maria, 'mysql', 'MariaDB', v(PORTS.maria));
    expect(PORTS.ftp, 'ftp', 'vsftpd', v(PORTS.ftp));
    expect(PORTS.mqtt, 'mqtt', 'Mosquitto', v(PORTS.mqtt));
    expect(PORTS.nats, 'nats', 'NATS Server', v(PORTS.nats));
    expect(PORTS.smtpVersion, 'smtp', 'Postfix smtpd', v(PORTS.smtpVersion));
    // Debian's own banner names no version: -sV must not invent one, and keeps the banner's comment.
    const postfix = svc(PORTS.smtp);
    assert.deepEqual(
      { name: postfix.name, product: postfix.product, version: postfix.version, extrainfo: postfix.extrainfo, method: postfix.method },
      { name: 'smtp', product: 'Postfix smtpd', version: undefined, extrainfo: 'Debian/GNU', method: 'probed' },
    );

    const plain = svc(PORTS.http);
    assert.equal(plain.tunnel, undefined);
    assert.equal(plain.http?.status, 200);
    assert.equal(plain.http?.title, 'portscope lab');
    const https = svc(PORTS.https);
    assert.equal(https.tunnel, 'ssl');
    const cert = https.tls?.certificate;
    assert.ok(cert, JSON.stringify(https));
    assert.match(cert.subject, /CN=lab\.portscope\.test/);
    assert.match(cert.subject, /O=Portscope Lab/);
    assert.deepEqual(cert.san, ['DNS:lab.portscope.test', `IP Address:${lab.target.v4}`]);
    assert.equal(cert.selfSigned, true);
    assert.equal(cert.expired, false);
    const days = (Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / 86_400_000;
    assert.equal(Math.round(days), 30);
    assert.match(https.tls!.protocol, /^TLSv1\.[23]$/);
    assert.equal(https.tls!.alpn, 'http/1.1', 'nginx without http2 picks http/1.1 from our ALPN offer');

    const xml = readFileSync(tmp.file('s.xml'), 'utf8');
    assert.match(xml, new RegExp(`portid="${PORTS.https}"><state[^>]*/><service name="http" product="nginx" version="${v(PORTS.http)}" tunnel="ssl" method="probed" conf="10">`));
    assert.match(xml, /<cpe>cpe:\/a:openbsd:openssh:[\w.]+<\/cpe>/);
    assert.ok(xml.includes(`<cpe>cpe:/a:postfix:postfix:${v(PORTS.smtpVersion)}</cpe>`), 'Postfix CPE carries the version');
    const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', tmp.file('s.xml')]);
    assert.equal(lint.code, 0, lint.stderr);
    const normal = readFileSync(tmp.file('s.nmap'), 'utf8');
    assert.match(normal, /PORT +STATE SERVICE +VERSION/);
    assert.match(normal, new RegExp(`${PORTS.https}/tcp +open +ssl/http +nginx ${v(PORTS.http)!.replace(/\./g, '\\.')}`));
  } finally {
    await lab.close();
    tmp.remove();
  }
});
