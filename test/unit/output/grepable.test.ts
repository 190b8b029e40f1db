import { test } from 'node:test';
import assert from 'node:assert/strict';
import { host, mixedHost, ports, render, OPTS, start } from './fixtures.js';
import { grepableFormat } from '../../../src/output/grepable.js';

test('an -oG file matches nmap 7.93 line for line (nmap -> portscope)', () => {
  const h = host({ ports: [...ports(1, 30, 'closed', 'conn-refused'), ...ports(8765, 8765, 'open', 'syn-ack', 'ultraseek-http')] });
  assert.equal(
    render(grepableFormat, [h]),
    [
      '# portscope 0.1.0 scan initiated Wed Nov 25 16:57:32 2026 as: portscope scan -p 1-1000 localhost',
      'Host: 127.0.0.1 (localhost)\tStatus: Up',
      'Host: 127.0.0.1 (localhost)\tPorts: 8765/open/tcp//ultraseek-http///\tIgnored State: closed (30)',
      '# portscope done at Wed Nov 25 16:57:33 2026 -- 1 IP address (1 host up) scanned in 1.23 seconds',
      '',
    ].join('\n'),
  );
});

test('with two folded states no Ignored State field is written, as nmap does', () => {
  const out = grepableFormat(OPTS).host(mixedHost({ hostnames: [] }));
  assert.equal(out, 'Host: 127.0.0.1 ()\tStatus: Up\nHost: 127.0.0.1 ()\tPorts: 22/open/tcp//ssh///\n');
});

test('listed ports are comma-separated; all-folded hosts have an empty Ports field', () => {
  const few = grepableFormat(OPTS).host(host({ ports: [...ports(4, 4, 'closed', 'conn-refused'), ...ports(22, 22, 'open', 'syn-ack', 'ssh')] }));
  assert.equal(few.split('\n')[1], 'Host: 127.0.0.1 (localhost)\tPorts: 4/closed/tcp//unknown///, 22/open/tcp//ssh///');
  const none = grepableFormat(OPTS).host(host({ ports: ports(1, 100, 'closed', 'conn-refused') }));
  assert.equal(none.split('\n')[1], 'Host: 127.0.0.1 (localhost)\tPorts: \tIgnored State: closed (100)');
});

test('down hosts appear only with -v; --open drops hosts without open ports', () => {
  const down = host({ status: 'down', statusReason: 'no-response', address: '192.0.2.7', hostnames: [] });
  assert.equal(grepableFormat(OPTS).host(down), '');
  assert.equal(grepableFormat({ ...OPTS, verbose: 1 }).host(down), 'Host: 192.0.2.7 ()\tStatus: Down\n');
  assert.equal(grepableFormat({ ...OPTS, openOnly: true }).host(host({ ports: ports(1, 3, 'closed', 'conn-refused') })), '');
});

test("a timed-out host gets nmap's Status: Timeout line and a comment on what is missing", () => {
  const w = grepableFormat(OPTS);
  w.start(start());
  const out = w.host(host({ address: '2001:db8::1', family: 6, hostnames: [], ports: ports(1, 2, 'open', 'syn-ack'), complete: false, timedOut: true }));
  assert.deepEqual(out.split('\n'), [
    'Host: 2001:db8::1 ()\tStatus: Up',
    'Host: 2001:db8::1 ()\tPorts: 1/open/tcp//unknown///, 2/open/tcp//unknown///',
    'Host: 2001:db8::1 ()\tStatus: Timeout',
    '# 2001:db8::1: host timed out, 998 of 1000 ports not scanned',
    '',
  ]);
});

test('a wildcard host is flagged in a comment and its open ports folded', () => {
  const h = host({ ports: ports(1, 100, 'open', 'syn-ack'), wildcard: { openRatio: 1, probed: 100 } });
  assert.deepEqual(grepableFormat(OPTS).host(h).split('\n'), [
    'Host: 127.0.0.1 (localhost)\tStatus: Up',
    '# 127.0.0.1: wildcard host: 100 of 100 probed ports answered open (SYN proxy, CDN or tarpit?)',
    'Host: 127.0.0.1 (localhost)\tPorts: \tIgnored State: open (100)',
    '',
  ]);
});

test('field separators inside names are replaced', () => {
  const h = host({ hostnames: [{ name: 'a/b,c\td', type: 'PTR' }], ports: ports(1, 1, 'open', 'syn-ack') });
  assert.equal(grepableFormat(OPTS).host(h).split('\n')[0], 'Host: 127.0.0.1 (a|b c\\x09d)\tStatus: Up');
});

test('target problems and interruptions are comments', () => {
  const w = grepableFormat(OPTS);
  assert.equal(w.targetProblem({ spec: 'x.invalid', message: 'Failed to resolve "x.invalid".' }), '# Failed to resolve "x.invalid".\n');
  const out = render(grepableFormat, [], {}, { interrupted: true, exitMessage: 'Interrupted by SIGTERM', hostsTotal: 0, hostsUp: 0 });
  assert.ok(out.endsWith('# Scan stopped early (Interrupted by SIGTERM); results are partial\n# portscope done at Wed Nov 25 16:57:33 2026 -- 0 IP addresses (0 hosts up) scanned in 1.23 seconds\n'), out);
});
