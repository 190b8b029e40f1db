#!/usr/bin/env node
// Runs the compiled test suite with node's own test runner and ends with one plain summary line
// ("N passed, N failed"). Usage: node scripts/run-tests.mjs [unit|lab ...]  (default: all)
// Unit tests run in parallel; lab tests (network namespaces, timing-sensitive) and the install test
// (test/install: npm pack + install, run by .ci/run on Node 22) run one file at a time.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const testRoot = join(root, 'dist', 'test');
const groups = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'lab'];

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (e.endsWith('.test.js')) out.push(p);
  }
  return out;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (const group of groups) {
  const files = find(join(testRoot, group));
  if (files.length === 0) {
    console.error(`no test files under dist/test/${group}`);
    exitCode = 1;
    continue;
  }
  const concurrency = group === 'unit' ? '2' : '1';
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, '--import', join(testRoot, 'helpers', 'fail-on-warning.js'), ...files];
  console.log(`\n# ${group}: ${files.length} files`);
  const code = await new Promise((res) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      for (const line of chunk.toString().split('\n')) {
        const m = /^ℹ (pass|fail|skipped) (\d+)/.exec(line.trim());
        if (m && m[1] === 'pass') passed += Number(m[2]);
        if (m && m[1] === 'fail') failed += Number(m[2]);
        if (m && m[1] === 'skipped') skipped += Number(m[2]);
      }
    });
    child.on('close', (c) => res(c ?? 1));
  });
  if (code !== 0) exitCode = code;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : exitCode);
