import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseScanArgs, type ScanCliOptions } from '../../../src/cli/scan-args.js';
import { SCAN_OPTIONS } from '../../../src/cli/scan-options.js';

// Every nmap-style spelling `portscope scan` accepts, from a table: argv → the part of the parsed options it
// sets. The last test checks that every option of the table (scan-options.ts) has a case here.
type Pick = (o: ScanCliOptions) => unknown;
const CASES: [string[], Pick, unknown][] = [
  [['-p22'], (o) => o.scan.ports, '22'],
  [['-p', '22'], (o) => o.scan.ports, '22'],
  [['-p-'], (o) => o.scan.ports, '-'],
  [['-p', '-100'], (o) => o.scan.ports, '-100'],
  [['-pT:22,U:53'], (o) => o.scan.ports, 'T:22,U:53'],
  [['-T4'], (o) => o.scan.template, 4],
  [['-T', '4'], (o) => o.scan.template, 4],
  [['-T', 'aggressive'], (o) => o.scan.template, 4],
  [['-Tinsane'], (o) => o.scan.template, 5],
  [['-T', 'Paranoid'], (o) => o.scan.template, 0],
  [['--min-rate=100'], (o) => o.scan.minRate, 100],
  [['--min-rate', '2.5'], (o) => o.scan.minRate, 2.5],
  [['-min-rate', '100'], (o) => o.scan.minRate, 100],
  [['--max-rate', '50'], (o) => o.scan.maxRate, 50],
  [['--max-retries', '0'], (o) => o.scan.maxRetries, 0],
  [['--min-parallelism', '10'], (o) => o.scan.minParallelism, 10],
  [['--max-parallelism=64'], (o) => o.scan.maxParallelism, 64],
  [['--max-hostgroup', '4'], (o) => o.scan.maxHostgroup, 4],
  [['--host-timeout', '30s'], (o) => o.scan.hostTimeoutMs, 30_000],
  [['--min-rtt-timeout', '100ms'], (o) => o.scan.minRttTimeoutMs, 100],
  [['--max-rtt-timeout', '2'], (o) => o.scan.maxRttTimeoutMs, 2000],
  [['--initial-rtt-timeout', '1m'], (o) => o.scan.initialRttTimeoutMs, 60_000],
  [['--scan-delay', '250ms'], (o) => o.scan.scanDelayMs, 250],
  [
    ['-oA', 'base'],
    (o) => o.outputs,
    [
      { kind: 'normal', path: 'base.nmap' },
      { kind: 'xml', path: 'base.xml' },
      { kind: 'grepable', path: 'base.gnmap' },
      { kind: 'json', path: 'base.json' },
    ],
  ],
  [['-oAlab/x'], (o) => o.outputs.map((x) => x.path), ['lab/x.nmap', 'lab/x.xml', 'lab/x.gnmap', 'lab/x.json']],
  [['-oN', 'a.txt'], (o) => o.outputs, [{ kind: 'normal', path: 'a.txt' }]],
  [['-oX', '-'], (o) => o.outputs, [{ kind: 'xml', path: '-' }]],
  [['-oXout.xml'], (o) => o.outputs, [{ kind: 'xml', path: 'out.xml' }]],
  [['-oG', 'g'], (o) => o.outputs, [{ kind: 'grepable', path: 'g' }]],
  [['-oJ', 'j'], (o) => o.outputs, [{ kind: 'json', path: 'j' }]],
  [['-iL', 'hosts.txt'], (o) => o.scan.targetFile, 'hosts.txt'],
  [['-iLhosts.txt'], (o) => o.scan.targetFile, 'hosts.txt'],
  [['--exclude', '192.0.2.1,192.0.2.2', '--exclude=192.0.2.3'], (o) => o.scan.exclude, ['192.0.2.1', '192.0.2.2', '192.0.2.3']],
  [['--excludefile', 'x'], (o) => o.scan.excludeFile, 'x'],
  [['-n'], (o) => o.scan.noReverseDns, true],
  [['-n', '-R'], (o) => o.scan.noReverseDns, false],
  [['--resolve-all'], (o) => o.scan.resolveAll, true],
  [['-6', '2001:db8::1'], (o) => o.scan.targets, ['2001:db8::1']],
  [['-Pn'], (o) => o.scan.skipDiscovery, true],
  [['--skip-host-discovery'], (o) => o.scan.skipDiscovery, true],
  [['--top-ports', '10'], (o) => o.scan.topPorts, 10],
  [['-F'], (o) => o.scan.topPorts, 100],
  [['--exclude-ports', '22'], (o) => o.scan.excludePorts, '22'],
  [['-r'], (o) => o.scan.sequentialPorts, true],
  [['-sT'], (o) => [o.scan.tcp, o.scan.udp], [true, undefined]],
  [['-sU'], (o) => [o.scan.tcp, o.scan.udp], [undefined, true]],
  [['-sTU'], (o) => [o.scan.tcp, o.scan.udp], [true, true]],
  [['-sUT'], (o) => [o.scan.tcp, o.scan.udp], [true, true]],
  [['-sUV'], (o) => [o.scan.udp, o.scan.serviceDetection], [true, {}]],
  [['-sS'], (o) => o.warnings.length, 1],
  [['-sV'], (o) => o.scan.serviceDetection, {}],
  [['--version-intensity', '3'], (o) => o.scan.serviceDetection, { intensity: 3 }],
  [['--version-light'], (o) => o.scan.serviceDetection, { intensity: 2 }],
  [['--version-all'], (o) => o.scan.serviceDetection, { intensity: 9 }],
  // network scale (docs/scale.md)
  [['-sn'], (o) => o.scan.pingOnly, true],
  [['-PS'], (o) => o.scan.pingPorts, '80'],
  [['-PS22,443'], (o) => o.scan.pingPorts, '22,443'],
  [['-PU'], (o) => o.scan.pingUdpPorts, '40125'],
  [['-PU53'], (o) => o.scan.pingUdpPorts, '53'],
  [['-PE'], (o) => o.scan.pingEcho, true],
  [['--no-arp-ping'], (o) => o.scan.neighbourDiscovery, false],
  [['--disable-arp-ping'], (o) => o.scan.neighbourDiscovery, false],
  [['--max-rate-per-host', '20'], (o) => o.scan.maxRatePerHost, 20],
  [['--seed', 'lab'], (o) => o.scan.seed, 'lab'],
  [['--shards', '4', '--shard', '2'], (o) => o.scan.shard, { index: 2, count: 4 }],
  [['--shards=3', '--shard=0'], (o) => [o.shards, o.shardIndex], [3, 0]],
  [['--randomize-hosts'], (o) => o.scan.randomizeHosts, true],
  [['--blocklist', 'b.txt'], (o) => o.scan.blocklist, 'b.txt'],
  [['--no-blocklist'], (o) => o.scan.blocklist, false],
  [['--resume', 'r.state'], (o) => o.resumeFrom, 'r.state'],
  [['--resume-file', 'r.state'], (o) => o.resumeFile, 'r.state'],
  [['--list-pairs'], (o) => o.listPairs, true],
  // distributed scans (docs/fleet.md)
  [['--distribute', '--shards', '8'], (o) => o.distribute, { mode: 'distribute', shards: 8 }],
  [['--distribute', '--detach'], (o) => o.distribute?.detach, true],
  [['--attach', '12'], (o) => o.distribute, { mode: 'attach', id: 12 }],
  [['--cancel', '12'], (o) => o.distribute, { mode: 'cancel', id: 12 }],
  [['--distribute', '--from-workers', 'inside,outside'], (o) => o.distribute?.fromWorkers, ['inside', 'outside']],
  [['--distribute', '--max-rate-per-worker', '500'], (o) => o.distribute?.maxRatePerWorker, 500],
  [['--distribute', '--lease', '60'], (o) => o.distribute?.leaseSeconds, 60],
  [['--proxy', 'socks5://127.0.0.1:1080'], (o) => o.scan.proxy, 'socks5://127.0.0.1:1080'],
  [['--proxies', 'socks5://127.0.0.1:1080'], (o) => o.scan.proxy, 'socks5://127.0.0.1:1080'],
  [['--backend', 'node'], (o) => o.scan.backend, 'node'],
  [['--dry-run'], (o) => o.scan.dryRun, true],
  [['-S', '192.0.2.1,192.0.2.2', '-S', '192.0.2.3'], (o) => o.scan.sourceAddresses, ['192.0.2.1', '192.0.2.2', '192.0.2.3']],
  [['--open'], (o) => o.openOnly, true],
  [['--reason'], (o) => o.reason, true],
  [['-v'], (o) => [o.verbose, o.scan.verbose], [1, 1]],
  [['-vv'], (o) => o.verbose, 2],
  [['-v', '-vv'], (o) => o.verbose, 3],
  [['-v4'], (o) => o.verbose, 4],
  [['-q'], (o) => o.quiet, true],
  [['--quiet'], (o) => o.quiet, true],
  [['--color', 'always'], (o) => o.color, 'always'],
  [['--color=never'], (o) => o.color, 'never'],
  [['--no-color'], (o) => o.color, 'never'],
  [[], (o) => o.color, 'auto'],
  [['-d'], (o) => o.debug, true],
  [['--save'], (o) => o.save, true],
  [['--db', 'h.db'], (o) => o.db, 'h.db'],
  [['-h'], (o) => o.help, true],
  [['--help'], (o) => o.help, true],
  [['-nr'], (o) => [o.scan.noReverseDns, o.scan.sequentialPorts], [true, true]],
  [['-nT4'], (o) => [o.scan.noReverseDns, o.scan.template], [true, 4]],
  [['-nFp', '80'], (o) => [o.scan.topPorts, o.scan.ports], [100, '80']],
  [['192.0.2.1', '-', '--', '-x'], (o) => o.scan.targets, ['192.0.2.1', '-', '-x']],
];

for (const [argv, pick, expected] of CASES) {
  test(`scan ${argv.join(' ') || '(no options)'} parses`, () => {
    assert.deepEqual(pick(parseScanArgs(argv)), expected);
  });
}

const ERRORS: [string[], RegExp][] = [
  [['--no-such-option'], /^unknown option "--no-such-option" \(see portscope scan --help\)$/],
  [['-x'], /^unknown option "-x"/],
  [['-sZ'], /^unknown option "-sZ"/],
  [['-p'], /^option -p needs a value$/],
  [['--min-rate'], /^option --min-rate needs a value$/],
  [['--open=yes'], /^option --open takes no value$/],
  [['-T6'], /^invalid timing template "-T6"/],
  [['-T', 'fast'], /^invalid timing template "-Tfast"/],
  [['--min-rate', '0'], /^invalid rate "0" for --min-rate/],
  [['--max-retries', '51'], /^--max-retries 51 is out of range \(0-50\)$/],
  [['--top-ports', 'x'], /^invalid number "x" for --top-ports$/],
  [['--host-timeout', '5y'], /^invalid time "5y" for --host-timeout/],
  [['-oA', '-'], /^-oA needs a file name base, not "-"$/],
  [['--backend', 'fast'], /^invalid --backend "fast"/],
  [['--color', 'sometimes'], /^invalid --color "sometimes": use auto, always or never$/],
  [['--version-intensity', '10'], /out of range \(0-9\)/],
  [['-O'], /^OS detection \(-O\) is not supported$/],
  [['-PP'], /^-PP is not available: host discovery uses/],
  [['-PE1'], /^-PE1: -PE takes no argument$/],
  [['--detach'], /need --distribute$/],
  [['--distribute', '--shards', '2', '--shard', '1'], /^--shard I is for a local slice/],
  [['--attach', '1', '--cancel', '2'], /^--attach and --cancel cannot be combined$/],
  [['--shard', '1'], /^--shard needs --shards N/],
  [['--shards', '2', '--shard', '2'], /^--shard 2 is outside 0\.\.1 for --shards 2$/],
  [['-A'], /not supported/],
  [['-sC'], /not supported/],
];

for (const [argv, message] of ERRORS) {
  test(`scan ${argv.join(' ')} is a usage error (E_OPTION, one line)`, () => {
    assert.throws(
      () => parseScanArgs(argv),
      (err: Error & { code?: string }) => err.code === 'E_OPTION' && message.test(err.message) && !err.message.includes('\n'),
    );
  });
}

test('every option of the scan table has a parse case above', () => {
  const tested = new Set(CASES.flatMap(([argv]) => argv));
  const spelled = (n: string): boolean => [...tested].some((a) => a === n || a.startsWith(`${n}=`) || (n.length === 2 && a.startsWith(n)) || (/^-[a-z][A-Z]$/.test(n) && a.startsWith(n)));
  const missing = SCAN_OPTIONS.flatMap((o) => o.names).filter((n) => !spelled(n));
  assert.deepEqual(missing, []);
});

const BIN = fileURLToPath(new URL('../../../../bin/portscope', import.meta.url));

test('the CLI turns every usage error into one stderr line and exit 2, with nothing on stdout', () => {
  for (const [argv] of ERRORS) {
    const r = spawnSync(process.execPath, [BIN, 'scan', ...argv, '127.0.0.1'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^portscope: [^\n]+\n$/, argv.join(' '));
  }
});
