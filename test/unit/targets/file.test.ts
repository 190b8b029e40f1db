import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError } from '../../../src/model/index.js';
import { readTargetFile } from '../../../src/targets/index.js';

async function read(content: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-il-'));
  try {
    const path = join(dir, 'targets.txt');
    writeFileSync(path, content);
    const out: string[] = [];
    for await (const spec of readTargetFile(path)) out.push(spec);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('-iL splits on spaces, tabs and newlines (LF and CRLF)', async () => {
  assert.deepEqual(await read('192.0.2.1 192.0.2.2\t192.0.2.3\n192.0.2.4\r\n\n  192.0.2.5  '), ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5']);
});

test('-iL treats # to end of line as a comment, also right after a spec', async () => {
  assert.deepEqual(await read('# header\n192.0.2.1 # lab host\n192.0.2.2#inline\n#192.0.2.3\n192.0.2.4'), ['192.0.2.1', '192.0.2.2', '192.0.2.4']);
});

test('-iL of an empty or comment-only file yields nothing', async () => {
  assert.deepEqual(await read(''), []);
  assert.deepEqual(await read('# nothing\n   \n'), []);
});

test('-iL keeps tokens that span stream chunks whole', async () => {
  const specs = Array.from({ length: 20000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`);
  const got = await read(specs.join('\n'));
  assert.equal(got.length, specs.length);
  assert.deepEqual(got, specs);
});

test('-iL cuts a huge token instead of buffering it whole', async () => {
  const got = await read('a'.repeat(1_000_000) + ' 192.0.2.1');
  assert.equal(got.length, 2);
  assert.ok(got[0]!.length <= 5000);
  assert.equal(got[1], '192.0.2.1');
});

test('a missing -iL file is a FileError naming the file', async () => {
  await assert.rejects(
    async () => {
      for await (const _ of readTargetFile('/nonexistent/portscope-targets.txt')) void _;
    },
    (err: unknown) => err instanceof FileError && /portscope-targets\.txt.*no such file/.test((err as Error).message),
  );
});
