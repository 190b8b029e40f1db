import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formats } from '../../../src/output/index.js';
import { SCAN_FORMATS } from '../../../src/output/registry.js';

// `formats` (the library's) and SCAN_FORMATS (the CLI's -oN/-oX/-oG/-oJ) were two lists of the same formats;
// now `formats` is made from the table, so a format added there is reachable from both.
test('formats holds exactly the scan formats of SCAN_FORMATS, with the same renderers', () => {
  assert.deepEqual(Object.keys(formats).sort(), SCAN_FORMATS.map((f) => f.name).sort());
  for (const f of SCAN_FORMATS) assert.equal(formats[f.name as keyof typeof formats], f.render, f.name);
  assert.deepEqual(Object.keys(formats).sort(), ['grepable', 'json', 'normal', 'xml']);
});
