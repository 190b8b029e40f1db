import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useColor } from '../../../src/cli/color.js';
import { fitWidth, ProgressLine } from '../../../src/cli/progress.js';

// no-color.org: NO_COLOR "present and not an empty string" disables colour; force-color.org: FORCE_COLOR
// "present and not an empty string" forces it; the command line wins over both.
const COLOR: [string, Parameters<typeof useColor>, boolean][] = [
  ['a terminal, nothing set', ['auto', true, {}], true],
  ['not a terminal', ['auto', false, {}], false],
  ['NO_COLOR=1 on a terminal', ['auto', true, { NO_COLOR: '1' }], false],
  ['NO_COLOR=0 (any value counts)', ['auto', true, { NO_COLOR: '0' }], false],
  ['NO_COLOR empty does not count', ['auto', true, { NO_COLOR: '' }], true],
  ['FORCE_COLOR=1 when not a terminal', ['auto', false, { FORCE_COLOR: '1' }], true],
  ['FORCE_COLOR empty does not count', ['auto', false, { FORCE_COLOR: '' }], false],
  ['FORCE_COLOR over NO_COLOR', ['auto', false, { FORCE_COLOR: '1', NO_COLOR: '1' }], true],
  ['--color always over NO_COLOR, not a terminal', ['always', false, { NO_COLOR: '1' }], true],
  ['--color never over FORCE_COLOR on a terminal', ['never', true, { FORCE_COLOR: '1' }], false],
];
for (const [name, args, expected] of COLOR) test(`colour: ${name} → ${expected}`, () => assert.equal(useColor(...args), expected));

function capture(): { stream: NodeJS.WritableStream; writes: string[] } {
  const writes: string[] = [];
  const write = (s: string): boolean => {
    writes.push(String(s));
    return true;
  };
  return { stream: { write } as unknown as NodeJS.WritableStream, writes };
}
const PROGRESS = { portsDone: 123456, portsKnown: 6553500, hostsDone: 12, hostsActive: 88, elapsedMs: 98765 };

test('the progress line is cut to the terminal width less one column, read at each update', () => {
  let columns = 40;
  const { stream, writes } = capture();
  const line = new ProgressLine(stream, () => columns);
  line.update(PROGRESS as never);
  columns = 25;
  line.update(PROGRESS as never);
  assert.equal(writes.length, 2);
  const shown = writes.map((w) => [...w.replace('\r\x1b[2K', '')].length);
  assert.deepEqual(shown, [39, 24]);
  assert.ok(writes.every((w) => w.startsWith('\r\x1b[2Kscanning: 123456/6553500')));
});

test('without a known width the line fits 80 columns; a short line is not padded', () => {
  const long = 'x'.repeat(200);
  assert.equal(fitWidth(long, undefined).length, 79);
  assert.equal(fitWidth(long, 0).length, 79);
  assert.equal(fitWidth('short', 10), 'short');
  assert.equal(fitWidth('a·b·c·d', 4), 'a·b');
});
