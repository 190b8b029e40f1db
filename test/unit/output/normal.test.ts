import { test } from 'node:test';
import assert from 'node:assert/strict';
import { host, mixedHost, ports, render, start, summary, OPTS } from './fixtures.js';
import { normalFormat } from '../../../src/output/normal.js';

test('an -oN file matches nmap 7.93 line for line (nmap -> portscope)', () => {
  const out = render(normalFormat, [mixedHost({ hostnames: [], srttUs: 102 })], {}, { elapsedMs: 1230 });
  assert.equal(
    out,
    [
      '# portscope 0.1.0 scan initiated Wed Nov 25 16:57:32 2026 as: portscope scan -p 1-1000 localhost',
      'portscope scan report for 127.0.0.1',
      'Host is up (0.00010s latency).',
      'Not shown: 921 closed tcp ports (conn-refused), 41 filtered tcp ports (no-response), 37 filtered tcp ports (host-unreach)',
      'PORT   STATE SERVICE',
      '22/tcp open  ssh',
      '',
      '# portscope done at Wed Nov 25 16:57:33 2026 -- 1 IP address (1 host up) scanned in 1.23 seconds',
      '',
    ].join('\n'),
  );
});

test('the terminal view has the Starting and done lines nmap prints on screen', () => {
  const w = normalFormat({ ...OPTS, screen: true });
  assert.match(w.start(start()), /^Starting portscope 0\.1\.0 at 2026-11-25 16:57 UTC\n$/);
  assert.equal(w.end(summary()), 'portscope done: 1 IP address (1 host up) scanned in 1.23 seconds\n');
});

test('with nothing folded a blank line stands before the table, and columns pad to the widest cell', () => {
  const h = host({ ports: [...ports(22, 22, 'open', 'syn-ack', 'ssh'), ...ports(100, 101, 'filtered', 'no-response', 'newacct')] });
  const out = normalFormat(OPTS).host(h);
  assert.equal(out, ['portscope scan report for localhost (127.0.0.1)', 'Host is up (0.000096s latency).', '', 'PORT    STATE    SERVICE', '22/tcp  open     ssh', '100/tcp filtered newacct', '101/tcp filtered newacct', '', ''].join('\n'));
});

test('--reason adds "received" and a REASON column', () => {
  const h = host({ ports: [...ports(1, 29, 'closed', 'conn-refused'), ...ports(8765, 8765, 'open', 'syn-ack', 'ultraseek-http')], srttUs: 130 });
  const out = normalFormat({ ...OPTS, reason: true }).host(h);
  assert.deepEqual(out.split('\n'), [
    'portscope scan report for localhost (127.0.0.1)',
    'Host is up, received user-set (0.00013s latency).',
    'Not shown: 29 closed tcp ports (conn-refused)',
    'PORT     STATE SERVICE        REASON',
    '8765/tcp open  ultraseek-http syn-ack',
    '',
    '',
  ]);
});

test('ports without a known service show "unknown"', () => {
  const out = normalFormat(OPTS).host(host({ ports: ports(4, 4, 'closed', 'conn-refused') }));
  assert.ok(out.includes('\n4/tcp closed unknown\n'), out);
});

test('a host whose ports are all folded says so as nmap does', () => {
  const out = normalFormat(OPTS).host(host({ ports: ports(1, 1000, 'closed', 'conn-refused'), srttUs: 98 }));
  assert.deepEqual(out.split('\n'), [
    'portscope scan report for localhost (127.0.0.1)',
    'Host is up (0.000098s latency).',
    'All 1000 scanned ports on localhost (127.0.0.1) are in ignored states.',
    'Not shown: 1000 closed tcp ports (conn-refused)',
    '',
    '',
  ]);
});

test('-v lists up to 50 ports per state and shows down hosts', () => {
  const h = host({ ports: ports(1, 31, 'closed', 'conn-refused') });
  const lines = normalFormat({ ...OPTS, verbose: 1 })
    .host(h)
    .split('\n');
  assert.equal(lines.filter((l) => l.endsWith('/tcp closed unknown') || /^\d+\/tcp\s+closed/.test(l)).length, 31);
  const down = host({ status: 'down', statusReason: 'no-response', address: '192.0.2.7', hostnames: [] });
  assert.equal(normalFormat(OPTS).host(down), '');
  assert.equal(normalFormat({ ...OPTS, verbose: 1 }).host(down), 'portscope scan report for 192.0.2.7 [host down]\n');
  assert.equal(normalFormat({ ...OPTS, verbose: 1, reason: true }).host(down), 'portscope scan report for 192.0.2.7 [host down, received no-response]\n');
});

test('--open leaves out hosts without open ports and folds everything else', () => {
  assert.equal(normalFormat({ ...OPTS, openOnly: true }).host(host({ ports: ports(1, 5, 'closed', 'conn-refused') })), '');
  const out = normalFormat({ ...OPTS, openOnly: true }).host(host({ ports: [...ports(1, 5, 'closed', 'conn-refused'), ...ports(22, 22, 'open', 'syn-ack', 'ssh')] }));
  assert.ok(out.includes('\nNot shown: 5 closed tcp ports (conn-refused)\nPORT   STATE SERVICE\n22/tcp open  ssh\n'), out);
});

test('an IPv6 host without names is reported by address', () => {
  const h = host({ address: '2001:db8::5', family: 6, hostnames: [], srttUs: undefined, ports: ports(443, 443, 'open', 'syn-ack', 'https') });
  assert.deepEqual(normalFormat(OPTS).host(h).split('\n').slice(0, 3), ['portscope scan report for 2001:db8::5', 'Host is up.', '']);
});

test('a PTR name that differs from the user name gets an rDNS line', () => {
  const h = host({
    address: '192.0.2.10',
    hostnames: [
      { name: 'www.example', type: 'user' },
      { name: 'web1.example', type: 'PTR' },
    ],
    ports: ports(80, 80, 'open', 'syn-ack', 'http'),
  });
  assert.deepEqual(normalFormat(OPTS).host(h).split('\n').slice(0, 2), ['portscope scan report for www.example (192.0.2.10)', 'rDNS record for 192.0.2.10: web1.example']);
});

test('a wildcard host gets a warning line and its open ports folded', () => {
  const h = host({ ports: [...ports(1, 998, 'open', 'syn-ack'), ...ports(999, 1000, 'filtered', 'no-response')], wildcard: { openRatio: 0.998, probed: 1000 } });
  assert.deepEqual(normalFormat(OPTS).host(h).split('\n'), [
    'portscope scan report for localhost (127.0.0.1)',
    'Host is up (0.000096s latency).',
    'Wildcard host: 998 of 1000 probed ports answered open (SYN proxy, CDN or tarpit?); open ports are not listed individually (-v lists them)',
    'Not shown: 998 open tcp ports (syn-ack)',
    'PORT     STATE    SERVICE',
    '999/tcp  filtered unknown',
    '1000/tcp filtered unknown',
    '',
    '',
  ]);
  const verbose = normalFormat({ ...OPTS, verbose: 1 }).host(h);
  assert.ok(verbose.includes('(SYN proxy, CDN or tarpit?)\n'), verbose);
  assert.ok(verbose.includes('\n998/tcp  open     unknown\n'), verbose);
});

test('hosts cut short are marked partial, naming the cause', () => {
  const w = normalFormat(OPTS);
  w.start(start());
  const timedOut = w.host(host({ ports: ports(1, 400, 'closed', 'conn-refused'), complete: false, timedOut: true }));
  assert.ok(timedOut.includes('\nHost timed out (--host-timeout): 600 of 1000 ports not scanned; the results below are partial.\n'), timedOut);
  const cut = w.host(host({ ports: ports(1, 10, 'closed', 'conn-refused'), complete: false }));
  assert.ok(cut.includes('\nScan of this host was interrupted: 990 of 1000 ports not scanned; the results below are partial.\n'), cut);
});

test('target problems go into the file but not on screen (the CLI prints them to stderr)', () => {
  const problem = { spec: 'nonexistent.invalid', message: 'Failed to resolve "nonexistent.invalid".' };
  assert.equal(normalFormat(OPTS).targetProblem(problem), 'Failed to resolve "nonexistent.invalid".\n');
  assert.equal(normalFormat({ ...OPTS, screen: true }).targetProblem(problem), '');
});

test('an interrupted scan ends with a partial-results line before the done line', () => {
  const out = normalFormat(OPTS).end(summary({ interrupted: true, exitMessage: 'Interrupted by SIGINT' }));
  assert.deepEqual(out.split('\n'), ['Scan interrupted (Interrupted by SIGINT); results are partial.', '# portscope done at Wed Nov 25 16:57:33 2026 -- 1 IP address (1 host up) scanned in 1.23 seconds', '']);
});

test("a single down host gets nmap's -Pn hint", () => {
  const out = normalFormat({ ...OPTS, screen: true }).end(summary({ hostsUp: 0, hostsDown: 1 }));
  assert.equal(out, 'Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn\nportscope done: 1 IP address (0 hosts up) scanned in 1.23 seconds\n');
});

test('colour appears only when allowed and never shifts the columns', () => {
  const h = host({ ports: [...ports(22, 22, 'open', 'syn-ack', 'ssh'), ...ports(23, 23, 'closed', 'conn-refused', 'telnet')] });
  const plain = normalFormat(OPTS).host(h);
  assert.ok(!plain.includes('\x1b['));
  const colored = normalFormat({ ...OPTS, color: true }).host(h);
  assert.ok(colored.includes('\x1b[32mopen\x1b[0m'));
  // eslint-disable-next-line no-control-regex
  assert.equal(colored.replace(/\x1b\[\d+m/g, ''), plain);
});

test('hostile names cannot inject lines', () => {
  const h = host({ hostnames: [{ name: 'evil\nHost is up', type: 'PTR' }], ports: ports(22, 22, 'open', 'syn-ack', 'ssh') });
  assert.equal(normalFormat(OPTS).host(h).split('\n')[0], 'portscope scan report for evil\\x0aHost is up (127.0.0.1)');
});
