import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitFromCgroup } from '../../../src/local/index.js';
import { firewallHints, rebindHint } from '../../../src/audit/remediation.js';

const proc = (name: string, command: string) => ({ pid: 1, name, command, user: 'root' });

test('the systemd unit comes from the cgroup v2 line; user units are marked; scopes are not units to disable', () => {
  assert.deepEqual(unitFromCgroup('0::/system.slice/redis-server.service\n'), { unit: 'redis-server.service', user: false });
  assert.deepEqual(unitFromCgroup('0::/user.slice/user-1000.slice/user@1000.service/app.slice/dev-server.service\n'), { unit: 'dev-server.service', user: true });
  assert.equal(unitFromCgroup('0::/user.slice/user-1000.slice/session-3.scope\n'), null);
  assert.equal(unitFromCgroup('0::/system.slice/docker-0123abcd.scope\n'), null);
  assert.deepEqual(unitFromCgroup('12:pids:/system.slice/nginx.service\n1:name=systemd:/system.slice/nginx.service\n'), { unit: 'nginx.service', user: false });
  assert.equal(unitFromCgroup(''), null);
});

test('rebind hints name the daemon config and directive, from the command line when it names a file', () => {
  assert.deepEqual(rebindHint(proc('redis-server', '/usr/bin/redis-server 0.0.0.0:6379'), 6379), { file: '/etc/redis/redis.conf', directive: 'bind 127.0.0.1 -::1' });
  assert.deepEqual(rebindHint(proc('redis-server', '/usr/bin/redis-server /srv/redis/custom.conf'), 6379)?.file, '/srv/redis/custom.conf');
  assert.deepEqual(rebindHint(proc('postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main'), 5432), { file: '/var/lib/postgresql/15/main/postgresql.conf', directive: "listen_addresses = 'localhost'" });
  assert.equal(rebindHint(proc('mariadbd', '/usr/sbin/mariadbd'), 3306)?.directive, '[mysqld] bind-address = 127.0.0.1');
  assert.deepEqual(rebindHint(proc('sshd', 'sshd: /usr/sbin/sshd -D -f /etc/ssh/alt_config [listener]'), 22), { file: '/etc/ssh/alt_config', directive: 'ListenAddress 127.0.0.1' });
  assert.deepEqual(rebindHint(proc('nginx', 'nginx: master process /usr/sbin/nginx -c /tmp/n.conf'), 8080), { file: '/tmp/n.conf', directive: 'listen 127.0.0.1:8080;' });
  assert.equal(rebindHint(proc('node', 'node server.js'), 3000), undefined);
});

test('firewall hints for all four firewalls, closing to all but loopback or but the allowed CIDRs', () => {
  assert.deepEqual(firewallHints('tcp', 6379), {
    nftables: 'nft add rule inet filter input iifname != "lo" tcp dport 6379 drop',
    iptables: 'iptables -A INPUT ! -i lo -p tcp --dport 6379 -j DROP; ip6tables -A INPUT ! -i lo -p tcp --dport 6379 -j DROP',
    ufw: 'ufw deny 6379/tcp',
    firewalld: 'firewall-cmd --permanent --remove-port=6379/tcp && firewall-cmd --reload',
  });
  const cidr = firewallHints('udp', 53, ['192.0.2.0/24', '2001:db8::/32']);
  assert.equal(cidr.nftables, 'nft add rule inet filter input iifname != "lo" ip saddr != { 192.0.2.0/24 } ip6 saddr != { 2001:db8::/32 } udp dport 53 drop');
  assert.match(cidr.ufw, /^ufw allow from 192\.0\.2\.0\/24 to any port 53 proto udp && ufw allow from 2001:db8::\/32 .* && ufw deny 53\/udp$/);
  assert.match(cidr.firewalld, /family="ipv6" source address="2001:db8::\/32"/);
});
