import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { parsePolicy } from '../../../src/index.js';

test('a loaded policy carries the SHA-256 of exactly the text that was parsed (what audit --save records)', () => {
  const text = 'version: 1\nports:\n  - port: 22\n';
  assert.equal(parsePolicy(text, 'p.yaml').sha256, createHash('sha256').update(text).digest('hex'));
  assert.notEqual(parsePolicy(`${text}# edited\n`, 'p.yaml').sha256, parsePolicy(text, 'p.yaml').sha256);
});
