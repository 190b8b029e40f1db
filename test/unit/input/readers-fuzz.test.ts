import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePolicy } from '../../../src/audit/policy-load.js';
import { parseScanDocument } from '../../../src/history/readers/index.js';
import { parseProcNet, type ProcNetKind } from '../../../src/local/linux/proc-net.js';
import { PortscopeError } from '../../../src/model/index.js';
import { prng as rng } from '../../helpers/prng.js';

// Seeded fuzzing of every reader (issue 10): random and mutated policy YAML, nmap XML, portscope JSON and
// /proc/net tables. Each case must give a result or a PortscopeError (one clear line), never another
// exception. Counts: 4 readers × CASES mutated inputs + 4 × RANDOM random inputs; then a CLI sample of
// CLI_CASES runs through bin/portscope import/diff/audit, asserting exit 0/1/2 (never 70) and one stderr line.
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CASES = 600;
const RANDOM = 100;
const CLI_CASES = 24;

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/', import.meta.url));
const PORTSCOPE = fileURLToPath(new URL('../../../../bin/portscope', import.meta.url));
const fixture = (p: string): string => readFileSync(join(FIXTURES, p), 'utf8');

/** Tokens that reach the interesting paths of each reader. */
const HOSTILE = [
  '<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY % p "x">',
  '&x;',
  '&#0;',
  '&#x1b;',
  '&#99999999;',
  '<a>'.repeat(50),
  ']]>',
  '<![CDATA[',
  '*a',
  '&a',
  '&a [1,2]',
  '!!binary',
  '!!js/function',
  '? ',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '\\',
  '\n',
  '\t',
  '\r',
  '\x00',
  '\x1b[2J',
  '\u009b',
  '\u202e',
  '\ud800',
  '99999999',
  '-1',
  '1e309',
  'null',
  'true',
  '""',
  '[]',
  '{}',
  '65536',
  '0x10',
  'NaN',
  '"hosts":[null]',
  '"port":99999999',
  '"scanner":"portscope"',
  'portid="99999999"',
  'protocol="sctp"',
];

function mutate(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (s.length + 1));
    const len = Math.floor(r() * 40);
    switch (Math.floor(r() * 7)) {
      case 0:
        s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + s.slice(at + 1);
        break; // replace a character
      case 1:
        s = s.slice(0, at) + s.slice(at + len);
        break; // delete
      case 2:
        s = s.slice(0, at) + s.slice(at, at + len).repeat(2 + Math.floor(r() * 3)) + s.slice(at + len);
        break; // duplicate
      case 3:
        s = s.slice(0, at);
        break; // truncate
      case 4:
        s = s.slice(0, at) + HOSTILE[Math.floor(r() * HOSTILE.length)] + s.slice(at);
        break; // insert a hostile token
      case 5: {
        const b = Math.floor(r() * s.length);
        s = s.slice(0, at) + s.slice(b, b + len) + s.slice(at);
        break;
      } // splice
      default:
        s = s.replace(/\d+/, () => String(Math.floor(r() * 1e9) - 1000)); // change a number
    }
  }
  return s;
}

function randomText(r: () => number): string {
  const len = Math.floor(r() * 400);
  let s = '';
  for (let i = 0; i < len; i++) s += r() < 0.3 ? HOSTILE[Math.floor(r() * HOSTILE.length)] : String.fromCharCode(Math.floor(r() * (r() < 0.9 ? 128 : 0x3000)));
  return s;
}

/** A portscope JSON scan that is valid against docs/schema/scan.schema.json. */
function jsonSeed(): string {
  const t = '2026-01-01T00:00:00.000Z';
  return JSON.stringify(
    {
      scanner: 'portscope',
      formatVersion: 1,
      version: '0.1.0',
      args: 'portscope scan -p 20-22 192.0.2.5',
      start: t,
      verbose: 0,
      scaninfo: [{ type: 'connect', protocol: 'tcp', numServices: 3, services: '20-22' }],
      hosts: [
        {
          address: '192.0.2.5',
          family: 4,
          hostnames: [{ name: 'web.example', type: 'user' }],
          status: 'up',
          reason: 'user-set',
          start: t,
          end: t,
          complete: true,
          timedOut: false,
          ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack', tries: 1, service: { name: 'ssh', method: 'probed', conf: 10, product: 'OpenSSH', version: '9.2p1' } }],
          extraports: [{ state: 'closed', protocol: 'tcp', reason: 'conn-refused', count: 2, ports: '20-21' }],
          stats: { probesSent: 3, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 1000 },
        },
      ],
      targetProblems: [],
      summary: { start: t, end: t, elapsedSeconds: 1, hostsTotal: 1, hostsUp: 1, hostsDown: 0, probesSent: 3, exit: 'success', interrupted: false },
    },
    null,
    1,
  );
}

/** Runs `read` on every input; anything thrown must be a PortscopeError with a one-line message. */
function fuzz(name: string, seeds: string[], read: (text: string) => void, seedOffset: number): void {
  const r = rng(SEED + seedOffset);
  let results = 0;
  let errors = 0;
  const inputs = [...seeds];
  for (let i = 0; i < CASES; i++) inputs.push(mutate(seeds[i % seeds.length]!, r));
  for (let i = 0; i < RANDOM; i++) inputs.push(randomText(r));
  for (const text of inputs) {
    try {
      read(text);
      results++;
    } catch (err) {
      if (!(err instanceof PortscopeError)) assert.fail(`${name}: ${String((err as Error)?.stack ?? err)}\ninput (seed ${SEED}): ${JSON.stringify(text.slice(0, 600))}`);
      assert.ok(!err.message.includes('\n'), `${name}: a message of several lines: ${JSON.stringify(err.message)}`);
      errors++;
    }
  }
  // Both outcomes must occur, or the mutations are not reaching the reader.
  assert.ok(results > 0 && errors > 0, `${name}: ${results} results, ${errors} errors`);
}

test('policy YAML reader: mutated and random input gives a policy or a PolicyError', () => {
  fuzz('policy', [fixture('input/policy.yaml')], (t) => void parsePolicy(t, 'p.yaml'), 1);
});

test('nmap XML reader: mutated and random input gives a scan or a ParseError', () => {
  fuzz(
    'xml',
    [fixture('history/a-versions.xml'), fixture('history/b-versions.xml'), fixture('history/truncated.xml')],
    (t) => {
      const rec = parseScanDocument(t.startsWith('{') ? `<${t}` : t, 'x.xml');
      for (const h of rec.hosts) for (const p of h.ports) assert.ok(Number.isInteger(p.port) && p.port >= 0 && p.port <= 65535, `port ${p.port}`);
    },
    2,
  );
});

test('portscope JSON reader: mutated and random input gives a scan or a ParseError', () => {
  fuzz(
    'json',
    [jsonSeed()],
    (t) => {
      const rec = parseScanDocument(`{${t.replace(/^\s*\{?/, '')}`, 'x.json');
      for (const h of rec.hosts) for (const p of h.ports) assert.ok(Number.isInteger(p.port) && p.port >= 0 && p.port <= 65535, `port ${p.port}`);
    },
    3,
  );
});

test('/proc/net reader: mutated and random tables give sockets with valid ports, never an exception', () => {
  const kinds: ProcNetKind[] = ['tcp', 'tcp6', 'udp', 'udp6'];
  const r = rng(SEED + 4);
  let sockets = 0;
  for (const kind of kinds) {
    const seed = fixture(`local/linux/${kind}`);
    const inputs = [seed, ...Array.from({ length: CASES / 4 }, () => mutate(seed, r)), ...Array.from({ length: RANDOM / 4 }, () => randomText(r))];
    for (const text of inputs) {
      for (const s of parseProcNet(text, kind)) {
        sockets++;
        assert.ok(Number.isInteger(s.port) && s.port >= 0 && s.port <= 65535, `${kind}: port ${s.port} from ${JSON.stringify(text.slice(0, 300))}`);
      }
    }
  }
  assert.ok(sockets > 0);
});

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PORTSCOPE, ...args], { encoding: 'utf8', timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr });
    });
  });
}

test('CLI sample: import, diff and audit --policy of hostile files exit 0, 1 or 2 with at most one stderr line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-fuzz-'));
  const r = rng(SEED + 5);
  try {
    const seeds: [string, string][] = [
      ['x.xml', fixture('history/a-versions.xml')],
      ['x.json', jsonSeed()],
      ['p.yaml', fixture('input/policy.yaml')],
    ];
    for (let i = 0; i < CLI_CASES; i++) {
      const [name, seed] = seeds[i % seeds.length]!;
      const file = join(dir, `${i}-${name}`);
      writeFileSync(file, mutate(seed, r));
      const args = name === 'p.yaml' ? ['audit', '--local', '--no-scan', '--policy', file] : i % 2 ? ['diff', file, file] : ['import', '--db', join(dir, 'h.db'), file];
      const out = await run(args);
      assert.ok(out.code === 0 || out.code === 1 || out.code === 2, `${args.join(' ')}: exit ${out.code}\n${out.stderr}\ninput: ${JSON.stringify(readFileSync(file, 'utf8').slice(0, 600))}`);
      const lines = out.stderr.split('\n').filter(Boolean);
      assert.ok(out.code !== 2 || lines.length === 1, `${args.join(' ')}: ${JSON.stringify(out.stderr)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
