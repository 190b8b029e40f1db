import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProbeTable, matchAnswer } from '../../../../src/probes/service/registry.js';
import type { ServiceMatch } from '../../../../src/probes/service/types.js';

// Answers written from the protocol specifications cited in each service file, as bytes on the wire.
const table = buildProbeTable();
const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const t = (s: string): Buffer => Buffer.from(s, 'latin1');

function pgMsg(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length + 4);
  return Buffer.concat([t(type), len, body]);
}

function mysqlGreeting(version: string): Buffer {
  const body = Buffer.concat([Buffer.from([0x0a]), t(version), Buffer.from([0]), Buffer.alloc(20, 1)]);
  const head = Buffer.from([body.length & 0xff, body.length >> 8, 0, 0]);
  return Buffer.concat([head, body]);
}

function dnsVersionAnswer(txt: string): Buffer {
  const qname = Buffer.from([7, ...t('version'), 4, ...t('bind'), 0]);
  const header = hex('7073 8400 0001 0001 0000 0000');
  const question = Buffer.concat([qname, hex('0010 0003')]);
  const rdata = Buffer.concat([Buffer.from([txt.length]), t(txt)]);
  const rr = Buffer.concat([hex('c00c 0010 0003 00000000'), Buffer.from([0, rdata.length]), rdata]);
  const msg = Buffer.concat([header, question, rr]);
  return Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);
}

function amqpStart(props: [string, string][]): Buffer {
  const entries = props.map(([k, v]) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(Buffer.byteLength(v));
    return Buffer.concat([Buffer.from([k.length]), t(k), t('S'), len, t(v)]);
  });
  const table = Buffer.concat(entries);
  const tlen = Buffer.alloc(4);
  tlen.writeUInt32BE(table.length);
  const payload = Buffer.concat([hex('000a 000a 00 09'), tlen, table, hex('00000005'), t('PLAIN'), hex('00000005'), t('en_US')]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(payload.length);
  return Buffer.concat([hex('01 0000'), size, payload, hex('ce')]);
}

const cases: { what: string; probe: string; data: Buffer; expect: ServiceMatch | null }[] = [
  {
    what: 'OpenSSH with a Debian comment',
    probe: 'NULL',
    data: t('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'),
    expect: { name: 'ssh', product: 'OpenSSH', version: '9.2p1 Debian 2+deb12u3', extrainfo: 'protocol 2.0', cpe: ['cpe:/a:openbsd:openssh:9.2p1'] },
  },
  { what: 'Dropbear', probe: 'NULL', data: t('SSH-2.0-dropbear_2022.83\r\n'), expect: { name: 'ssh', product: 'Dropbear sshd', version: '2022.83', extrainfo: 'protocol 2.0', cpe: ['cpe:/a:matt_johnston:dropbear_ssh_server:2022.83'] } },
  { what: 'vsftpd greeting', probe: 'NULL', data: t('220 (vsFTPd 3.0.3)\r\n'), expect: { name: 'ftp', product: 'vsftpd', version: '3.0.3', cpe: ['cpe:/a:beasts:vsftpd:3.0.3'] } },
  { what: 'Postfix greeting', probe: 'NULL', data: t('220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n'), expect: { name: 'smtp', product: 'Postfix smtpd', extrainfo: 'Debian/GNU', cpe: ['cpe:/a:postfix:postfix'] } },
  { what: 'Postfix version banner', probe: 'NULL', data: t('220 mail.example.test ESMTP Postfix (3.7.11)\r\n'), expect: { name: 'smtp', product: 'Postfix smtpd', version: '3.7.11', cpe: ['cpe:/a:postfix:postfix:3.7.11'] } },
  { what: 'Exim greeting', probe: 'NULL', data: t('220 mx.example.test ESMTP Exim 4.96 Mon, 01 Jan 2026 00:00:00 +0000\r\n'), expect: { name: 'smtp', product: 'Exim smtpd', version: '4.96', cpe: ['cpe:/a:exim:exim:4.96'] } },
  { what: 'Dovecot POP3', probe: 'NULL', data: t('+OK Dovecot (Debian) ready.\r\n'), expect: { name: 'pop3', product: 'Dovecot pop3d', extrainfo: 'Debian', cpe: ['cpe:/a:dovecot:dovecot'] } },
  {
    what: 'IMAP capability greeting',
    probe: 'NULL',
    data: t('* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS] Dovecot (Debian) ready.\r\n'),
    expect: { name: 'imap', product: 'Dovecot imapd', extrainfo: 'Debian', cpe: ['cpe:/a:dovecot:dovecot'] },
  },
  { what: 'MariaDB handshake', probe: 'NULL', data: mysqlGreeting('10.11.6-MariaDB-0+deb12u1'), expect: { name: 'mysql', product: 'MariaDB', version: '10.11.6', extrainfo: '0+deb12u1', cpe: ['cpe:/a:mariadb:mariadb:10.11.6'] } },
  { what: 'MariaDB 11 with the 5.5.5- prefix', probe: 'NULL', data: mysqlGreeting('5.5.5-11.4.2-MariaDB'), expect: { name: 'mysql', product: 'MariaDB', version: '11.4.2', cpe: ['cpe:/a:mariadb:mariadb:11.4.2'] } },
  { what: 'MySQL handshake', probe: 'NULL', data: mysqlGreeting('8.0.36'), expect: { name: 'mysql', product: 'MySQL', version: '8.0.36', cpe: ['cpe:/a:oracle:mysql:8.0.36'] } },
  { what: 'VNC', probe: 'NULL', data: t('RFB 003.008\n'), expect: { name: 'vnc', product: 'VNC', extrainfo: 'protocol 3.8' } },
  { what: 'Telnet negotiation', probe: 'NULL', data: hex('fffd18 fffd20 fffd23'), expect: { name: 'telnet' } },
  {
    what: 'NATS INFO',
    probe: 'NULL',
    data: t('INFO {"server_id":"NABC","server_name":"n1","version":"2.9.20","go":"go1.19.8","host":"0.0.0.0","port":4222} \r\n'),
    expect: { name: 'nats', product: 'NATS Server', version: '2.9.20', extrainfo: 'go1.19.8', cpe: ['cpe:/a:linuxfoundation:nats-server:2.9.20'] },
  },
  {
    what: 'nginx with a title',
    probe: 'HTTPGet',
    data: t('HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n<html><head><title>Welcome to nginx!</title></head></html>'),
    expect: { name: 'http', product: 'nginx', version: '1.22.1', cpe: ['cpe:/a:f5:nginx:1.22.1'], http: { status: 200, title: 'Welcome to nginx!', server: 'nginx/1.22.1' } },
  },
  {
    what: 'Apache with its OS comment',
    probe: 'HTTPGet',
    data: t('HTTP/1.1 403 Forbidden\r\nServer: Apache/2.4.62 (Debian)\r\n\r\n'),
    expect: { name: 'http', product: 'Apache httpd', version: '2.4.62', extrainfo: 'Debian', cpe: ['cpe:/a:apache:http_server:2.4.62'], http: { status: 403, server: 'Apache/2.4.62 (Debian)' } },
  },
  {
    what: 'Elasticsearch banner document',
    probe: 'HTTPGet',
    data: t('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"name":"n1","cluster_name":"lab","version":{"number":"8.13.4","build_flavor":"default"},"tagline":"You Know, for Search"}'),
    expect: { name: 'http', product: 'Elasticsearch REST API', version: '8.13.4', extrainfo: 'cluster lab', cpe: ['cpe:/a:elastic:elasticsearch:8.13.4'], http: { status: 200 } },
  },
  {
    what: 'Docker Engine API',
    probe: 'HTTPGet',
    data: t('HTTP/1.1 404 Not Found\r\nApi-Version: 1.45\r\nServer: Docker/26.1.4 (linux)\r\n\r\n{"message":"page not found"}'),
    expect: { name: 'docker', product: 'Docker', version: '26.1.4', extrainfo: 'API 1.45', cpe: ['cpe:/a:docker:docker:26.1.4'], http: { status: 404, server: 'Docker/26.1.4 (linux)' } },
  },
  {
    what: 'Kubernetes API Status object',
    probe: 'HTTPGet',
    data: t('HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Forbidden","code":403}'),
    expect: { name: 'http', product: 'Kubernetes API server', extrainfo: 'Forbidden', http: { status: 403 } },
  },
  {
    what: 'Redis INFO server',
    probe: 'RedisInfo',
    data: t('$120\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\nos:Linux\r\n'),
    expect: { name: 'redis', product: 'Redis key-value store', version: '7.0.15', cpe: ['cpe:/a:redis:redis:7.0.15'] },
  },
  { what: 'Redis wanting a password', probe: 'RedisInfo', data: t('-NOAUTH Authentication required.\r\n'), expect: { name: 'redis', product: 'Redis key-value store', extrainfo: 'authentication required', cpe: ['cpe:/a:redis:redis'] } },
  { what: 'Memcached version', probe: 'MemcachedVersion', data: t('VERSION 1.6.18\r\n'), expect: { name: 'memcached', product: 'Memcached', version: '1.6.18', cpe: ['cpe:/a:memcached:memcached:1.6.18'] } },
  {
    what: 'PostgreSQL trusting the client',
    probe: 'PgStartup',
    data: Buffer.concat([pgMsg('R', hex('00000000')), pgMsg('S', t('server_version\x0015.8 (Debian 15.8-0+deb12u1)\x00')), pgMsg('Z', t('I'))]),
    expect: { name: 'postgresql', product: 'PostgreSQL DB', version: '15.8', extrainfo: 'Debian 15.8-0+deb12u1', cpe: ['cpe:/a:postgresql:postgresql:15.8'] },
  },
  {
    what: 'PostgreSQL asking for SCRAM',
    probe: 'PgStartup',
    data: pgMsg('R', Buffer.concat([hex('0000000a'), t('SCRAM-SHA-256\x00\x00')])),
    expect: { name: 'postgresql', product: 'PostgreSQL DB', extrainfo: 'SCRAM auth', cpe: ['cpe:/a:postgresql:postgresql'] },
  },
  {
    what: 'PostgreSQL refusing by pg_hba',
    probe: 'PgStartup',
    data: pgMsg('E', t('SFATAL\x00VFATAL\x00C28000\x00Mno pg_hba.conf entry for host\x00\x00')),
    expect: { name: 'postgresql', product: 'PostgreSQL DB', extrainfo: 'access denied by pg_hba.conf or role', cpe: ['cpe:/a:postgresql:postgresql'] },
  },
  { what: 'dnsmasq version.bind', probe: 'DNSVersionBindTCP', data: dnsVersionAnswer('dnsmasq-2.89'), expect: { name: 'domain', product: 'dnsmasq', version: '2.89', cpe: ['cpe:/a:thekelleys:dnsmasq:2.89'] } },
  {
    what: 'BIND version.bind',
    probe: 'DNSVersionBindTCP',
    data: dnsVersionAnswer('9.18.28-1~deb12u2-Debian'),
    expect: { name: 'domain', product: 'ISC BIND', version: '9.18.28', extrainfo: '1~deb12u2-Debian', cpe: ['cpe:/a:isc:bind:9.18.28'] },
  },
  {
    what: 'Mosquitto CONNACK, SUBACK and the retained version',
    probe: 'MQTTConnect',
    data: Buffer.concat([hex('20020000'), hex('9003000100'), hex('3125 0013'), t('$SYS/broker/version'), t('mosquitto version 2.0.11')]),
    expect: { name: 'mqtt', product: 'Mosquitto', version: '2.0.11', cpe: ['cpe:/a:eclipse:mosquitto:2.0.11'] },
  },
  { what: 'MQTT broker refusing anonymous clients', probe: 'MQTTConnect', data: hex('20020005'), expect: { name: 'mqtt', extrainfo: 'not authorized' } },
  {
    what: 'RabbitMQ Connection.Start',
    probe: 'AMQPHeader',
    data: amqpStart([
      ['product', 'RabbitMQ'],
      ['version', '3.10.8'],
      ['platform', 'Erlang/OTP 25'],
    ]),
    expect: { name: 'amqp', product: 'RabbitMQ', version: '3.10.8', extrainfo: 'AMQP 0-9', cpe: ['cpe:/a:vmware:rabbitmq:3.10.8'] },
  },
  { what: 'LDAP bind response', probe: 'LDAPBind', data: hex('300c 020101 6107 0a0100 0400 0400'), expect: { name: 'ldap' } },
  { what: 'RDP connection confirm with TLS', probe: 'RDPConnect', data: hex('03000013 0ed00000123400 02000800 01000000'), expect: { name: 'ms-wbt-server', extrainfo: 'security: TLS' } },
  { what: 'SMB2 negotiate response, dialect 3.0.2', probe: 'SMBNegotiate', data: Buffer.concat([hex('000000aa'), hex('fe534d42'), Buffer.alloc(60), hex('4100 0100 0203')]), expect: { name: 'microsoft-ds', extrainfo: 'SMB dialect 3.02' } },
  // Things that must not match.
  { what: 'an unsolicited HTTP answer is HTTP, not SSH', probe: 'NULL', data: t('HTTP/1.1 400 Bad Request\r\n\r\n'), expect: { name: 'http', http: { status: 400 } } },
  { what: 'a text line is not SSH', probe: 'NULL', data: t('hello SSH-2.0 world\r\n'), expect: null },
  { what: 'random bytes are not MySQL', probe: 'NULL', data: hex('ff00000a41414141'), expect: null },
  { what: 'a short DNS answer with another id is not DNS', probe: 'DNSVersionBindTCP', data: hex('000c 1234 8180 0000 0000 0000 0000'), expect: null },
  { what: 'an empty answer matches nothing', probe: 'HTTPGet', data: Buffer.alloc(0), expect: null },
];

for (const c of cases) {
  test(`${c.what}: ${c.expect ? `${c.expect.name} ${c.expect.product ?? ''}` : 'no match'}`, () => {
    assert.deepEqual(matchAnswer(table, c.probe, c.data), c.expect);
  });
}

test('every matcher survives hostile input without throwing out of matchAnswer', () => {
  const naughty = [Buffer.alloc(0), Buffer.alloc(5000, 0xff), hex('00'), hex('0000000000'), hex('ffffffffffffffff'), t('SSH-'), t('HTTP/1.1 200 OK\r\n\r\n{'), hex('0100000000ffffffff')];
  for (const probe of ['NULL', 'HTTPGet', 'RedisInfo', 'PgStartup', 'DNSVersionBindTCP', 'MQTTConnect', 'MongoBuildInfo', 'AMQPHeader', 'LDAPBind', 'RDPConnect', 'SMBNegotiate']) {
    for (const d of naughty) assert.doesNotThrow(() => matchAnswer(table, probe, d), `${probe} on ${d.toString('hex').slice(0, 20)}`);
  }
});
