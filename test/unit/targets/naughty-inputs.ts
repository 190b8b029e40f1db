import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { PortscopeError } from '../../../src/model/index.js';

/** test/fixtures/naughty-inputs.txt, resolved from the compiled test in dist/test/unit/targets/. */
export const NAUGHTY_PATH = fileURLToPath(new URL('../../../../test/fixtures/naughty-inputs.txt', import.meta.url));

/** The cases: every line but `## ` comments, literally; `json:` lines decoded. */
export function naughtyInputs(): string[] {
  const lines = readFileSync(NAUGHTY_PATH, 'utf8').split('\n');
  lines.pop(); // the file's final newline ends the last case, it does not start an empty one
  return lines.filter((l) => !l.startsWith('## ')).map((l) => (l.startsWith('json:') ? (JSON.parse(l.slice(5)) as string) : l));
}

/** A short printable label for a case. */
export function label(input: string): string {
  const s = JSON.stringify(input);
  return s.length > 50 ? `${s.slice(0, 40)}…(${input.length} chars)` : s;
}

/** Run `fn`; it may return or throw a PortscopeError with a one-line message, nothing else. */
export async function parsesOrRefuses(fn: () => unknown): Promise<'ok' | 'refused'> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof PortscopeError, `threw ${String(err)} (not a PortscopeError)`);
    assert.ok(!err.message.includes('\n') && err.message.length < 400, `message not one short line: ${JSON.stringify(err.message)}`);
    return 'refused';
  }
}
