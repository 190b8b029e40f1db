import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossUpperBound, MIN_ATTEMPTS, requiredAttempts } from '../../../src/engine/retry-policy.js';

test('a loss-free network still gets one retry before a port is called filtered', () => {
  assert.equal(requiredAttempts(0, 3000, 11), MIN_ATTEMPTS);
  assert.equal(MIN_ATTEMPTS, 2);
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
  for (const [lost, answered] of [[0, 10], [10, 100], [333, 3000], [5, 5]] as const) {
    assert.ok(lossUpperBound(lost, answered) > lost / (lost + answered));
  }
});
