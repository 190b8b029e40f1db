import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab, RunOptions, RunResult } from '../../helpers/netlab/index.js';

/** The real CLI, as a user runs it (compiled: dist/test/lab/support → repo root). */
export const PORTSCOPE = fileURLToPath(new URL('../../../../bin/portscope', import.meta.url));

/** `node bin/portscope scan ARGS` inside the lab's scanner namespace. */
export function scanCli(lab: Lab, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return lab.runInScanner(process.execPath, [PORTSCOPE, 'scan', ...args], { timeoutMs: 120_000, ...opts });
}

/** A temp directory removed by the returned function. */
export function tempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-lab-'));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A one-paragraph description of a run for assertion messages. */
export function describeRun(r: RunResult): string {
  return `exit ${r.code ?? r.signal} after ${Math.round(r.ms)} ms\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}
