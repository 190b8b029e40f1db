import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossUpperBound, MIN_ATTEMPTS, NO_EVIDENCE_MAX_ATTEMPTS, requiredAttempts } from '../../../src/engine/retry-policy.js';

test('a loss-free network still gets one retry before a port is called filtered', () => {
  assert.equal(requiredAttempts(0, 3000, 11), MIN_ATTEMPTS);
  assert.equal(MIN_ATTEMPTS, 2);
});

test('a small loss-free sample does not rule out loss: more attempts, capped', () => {
  const k = requiredAttempts(0, 26, 11);
  assert.ok(k > MIN_ATTEMPTS && k <= NO_EVIDENCE_MAX_ATTEMPTS, `got ${k}`);
  assert.equal(requiredAttempts(0, 5, 11), NO_EVIDENCE_MAX_ATTEMPTS);
});

test('--max-retries 0 is honoured even without loss evidence', () => {
  assert.equal(requiredAttempts(0, 26, 1), 1);
});

test('a host where nothing answered gets the minimum attempts, not the cap', () => {
  assert.equal(requiredAttempts(0, 0, 11), 2);
});

test('10% loss over 3000 answering ports calls for five to seven attempts', () => {
  const k = requiredAttempts(333, 3000, 11);
  assert.ok(k >= 5 && k <= 7, `got ${k}`);
});

test('more loss calls for more attempts', () => {
  assert.ok(requiredAttempts(1500, 3000, 20) > requiredAttempts(300, 3000, 20));
});

test('the cap bounds the attempts', () => {
  assert.equal(requiredAttempts(3000, 3000, 3), 3);
});

test('the loss upper bound lies above the point estimate', () => {
  for (const [lost, answered] of [
    [0, 10],
    [10, 100],
    [333, 3000],
    [5, 5],
  ] as const) {
    assert.ok(lossUpperBound(lost, answered) > lost / (lost + answered));
  }
});
