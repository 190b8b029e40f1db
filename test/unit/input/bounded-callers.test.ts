import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExplain } from '../../../src/cli/explain.js';
import { FileError, readResumeFile } from '../../../src/entry/scan.js';

// explain --ruleset, explain --scan and scan --resume read through src/input/'s bounded reader
// (docs/input-limits.md): an oversized file is refused before it is parsed, a directory is one line.
// PORTSCOPE_MAX_INPUT_MB=1 keeps the oversized file small (2 MiB).

function withLimit<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.PORTSCOPE_MAX_INPUT_MB;
  process.env.PORTSCOPE_MAX_INPUT_MB = '1';
  return fn().finally(() => {
    if (before === undefined) delete process.env.PORTSCOPE_MAX_INPUT_MB;
    else process.env.PORTSCOPE_MAX_INPUT_MB = before;
  });
}

function capture(): { io: never; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) });
  const io = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdoutIsTTY: false, stderrIsTTY: false, env: {} } as never;
  return { io, out: () => out, err: () => err };
}

test('explain --ruleset and --scan: a file over the input limit or a directory is one line, exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-bounded-'));
  try {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"nftables": [${'0,'.repeat(1024 * 1024)}0]}`);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    await withLimit(async () => {
      for (const [args, want] of [
        [['--ruleset', big], /^portscope: .*big\.json: ruleset too large \(2(\.0)? MiB; the limit is 1(\.0)? MiB\)\n$/],
        [['--ruleset', sub], /^portscope: cannot read ruleset ".*sub": it is a directory\n$/],
      ] as const) {
        const c = capture();
        assert.equal(await runExplain([...args], c.io), 2, args.join(' '));
        assert.equal(c.out(), '');
        assert.match(c.err(), want);
      }
      const ruleset = join(dir, 'empty.json');
      writeFileSync(ruleset, '{"nftables": []}');
      for (const [file, want] of [
        [big, /^portscope: .*big\.json: scan file too large \(2(\.0)? MiB; the limit is 1(\.0)? MiB\)\n$/],
        [sub, /^portscope: cannot read scan file ".*sub": it is a directory\n$/],
      ] as const) {
        const c = capture();
        assert.equal(await runExplain(['--ruleset', ruleset, '-p', '22', '--scan', file], c.io), 2, file);
        assert.equal(c.out(), '');
        assert.match(c.err(), want);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scan --resume: a file over the input limit or a directory is one FileError line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-bounded-'));
  try {
    const big = join(dir, 'big.resume');
    writeFileSync(big, `{"format":"portscope-resume","version":1,"argv":[],"seed":1,"hosts":[${'0,'.repeat(1024 * 1024)}0]}`);
    await withLimit(async () => {
      assert.throws(
        () => readResumeFile(big),
        (e: unknown) => e instanceof FileError && /big\.resume: --resume file too large \(2(\.0)? MiB; the limit is 1(\.0)? MiB\)$/.test((e as Error).message),
      );
      assert.throws(
        () => readResumeFile(dir),
        (e: unknown) => e instanceof FileError && /^cannot read --resume file ".*": it is a directory$/.test((e as Error).message),
      );
    });
    const bad = join(dir, 'bad.resume');
    writeFileSync(bad, '{"format":');
    assert.throws(() => readResumeFile(bad), /--resume ".*bad\.resume": not a portscope resume file \(invalid JSON\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
