import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostReport, PortResult } from '../../../../src/model/index.js';
import { formats } from '../../../../src/output/index.js';

// How -sV results appear in each format (docs/service-detection.md, "Output").
const https: PortResult = {
  protocol: 'tcp',
  port: 8443,
  state: 'open',
  reason: 'syn-ack',
  tries: 1,
  service: {
    name: 'http',
    method: 'probed',
    conf: 10,
    product: 'nginx',
    version: '1.22.1',
    tunnel: 'ssl',
    cpe: ['cpe:/a:f5:nginx:1.22.1'],
    http: { status: 200, title: 'Lab <page>' },
    tls: {
      protocol: 'TLSv1.3',
      alpn: 'http/1.1',
      certificate: { subject: 'CN=lab.test', issuer: 'CN=lab.test', san: ['DNS:lab.test'], notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-02-01T00:00:00.000Z', selfSigned: true, expired: true, sha256: 'AA:BB' },
    },
  },
};
const ssh: PortResult = { protocol: 'tcp', port: 22, state: 'open', reason: 'syn-ack', tries: 1, service: { name: 'ssh', method: 'probed', conf: 10, product: 'OpenSSH', version: '9.2p1 Debian 2', extrainfo: 'protocol 2.0' } };
const odd: PortResult = { protocol: 'tcp', port: 9999, state: 'open', reason: 'syn-ack', tries: 1, service: { name: 'abyss', method: 'table', conf: 3, banner: 'hello\\r\\n' } };

const host: HostReport = {
  address: '192.0.2.2',
  family: 4,
  hostnames: [],
  spec: '192.0.2.2',
  status: 'up',
  statusReason: 'user-set',
  startTime: 0,
  endTime: 1000,
  ports: [ssh, https, odd],
  complete: true,
  timedOut: false,
  stats: { probesSent: 3, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 1000 },
};
const opts = { openOnly: false, reason: false, verbose: 0, color: false };

test('normal output has a VERSION column, ssl/NAME and script-style details', () => {
  const text = formats.normal(opts).host(host);
  assert.match(text, /^PORT +STATE SERVICE +VERSION$/m);
  assert.match(text, /^22\/tcp +open +ssh +OpenSSH 9\.2p1 Debian 2 \(protocol 2\.0\)$/m);
  assert.match(text, /^8443\/tcp +open +ssl\/http +nginx 1\.22\.1$/m);
  assert.match(text, /^\| http-title: Lab <page>$/m);
  assert.match(text, /^\| {3}Not valid after: {2}2026-02-01T00:00:00\.000Z \(self-signed, EXPIRED\)$/m);
  assert.match(text, /^\|_banner: hello\\r\\n$/m);
});

test('XML carries nmap service attributes, CPE and script elements', () => {
  const xml = formats.xml(opts).host(host);
  assert.match(
    xml,
    /<service name="http" product="nginx" version="1\.22\.1" tunnel="ssl" method="probed" conf="10"><cpe>cpe:\/a:f5:nginx:1\.22\.1<\/cpe><\/service><script id="ssl-cert" output="Protocol: TLSv1\.3, ALPN: http\/1\.1&#10;Subject: CN=lab\.test/,
  );
  assert.match(xml, /<script id="http-title" output="Lab &lt;page&gt;"\/>/);
  assert.match(xml, /<service name="ssh" product="OpenSSH" version="9\.2p1 Debian 2" extrainfo="protocol 2\.0" method="probed" conf="10"\/>/);
  assert.match(xml, /<service name="abyss" method="table" conf="3"\/><script id="banner" output="hello\\r\\n"\/>/);
});

test('grepable output writes ssl|http and the version field', () => {
  const line = formats.grepable(opts).host(host);
  assert.match(line, /8443\/open\/tcp\/\/ssl\|http\/\/nginx 1\.22\.1\//);
  assert.match(line, /22\/open\/tcp\/\/ssh\/\/OpenSSH 9\.2p1 Debian 2 \(protocol 2\.0\)\//);
});
