import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerPacer } from '../../../src/engine/answer-pacer.js';

// Time is passed in (ms), so these are exact. Buckets are 250 ms.

/** `buckets` quarter-seconds, each with `closed` closed answers and `silent` unanswered probes, from t=0. */
function feed(p: AnswerPacer, buckets: number, closed: number, silent: number, from = 0): number {
  let t = from;
  for (let b = 0; b < buckets; b++, t += 250) {
    for (let i = 0; i < closed; i++) p.noteClosed(t + 1);
    for (let i = 0; i < silent; i++) p.noteSilent(t + 2);
  }
  return t;
}

test('a host answering 20 closed per quarter-second while most probes go silent and answer late is paced to 0.9 x 80/s', () => {
  const p = new AnswerPacer();
  const t = feed(p, 8, 20, 500);
  assert.equal(p.check(100, 160, t), true);
  assert.equal(p.measuredRate, 80);
  assert.equal(p.rate, 72);
  assert.equal(p.check(100, 160, t), false, 'pacing starts once');
});

test('random loss (few silent probes, 10% late answers) is not mistaken for a rate limit', () => {
  const p = new AnswerPacer();
  const t = feed(p, 8, 200, 25);
  assert.equal(p.check(30, 300, t), false);
  assert.equal(p.rate, 0);
  assert.equal(p.available(t), Infinity);
});

test('a filtered host (silence, but no port answers late) is not paced', () => {
  const p = new AnswerPacer();
  const t = feed(p, 8, 5, 500);
  assert.equal(p.check(0, 40, t), false);
});

test('open answers raise the pace: probes to open ports cost the host no RST', () => {
  const p = new AnswerPacer();
  for (let i = 0; i < 160; i++) p.noteOpen();
  const t = feed(p, 8, 20, 500);
  assert.equal(p.check(100, 320, t), true);
  // closed share 160 / 320 = 0.5
  assert.equal(p.rate, 144);
});

test('a paced host gets probes at its rate and a wait until the next one', () => {
  const p = new AnswerPacer();
  const t = feed(p, 8, 20, 500);
  p.check(100, 160, t);
  assert.equal(p.available(t), 1);
  p.spend(1);
  assert.equal(p.available(t), 0);
  assert.ok(Math.abs(p.msUntilToken() - 1000 / 72) < 1e-9);
  assert.equal(p.available(t + 1000 / 72 + 0.01), 1);
});

test('quiet buckets let the pace climb; a bucket with clear silence steps it back and caps the climb', () => {
  const p = new AnswerPacer();
  let t = feed(p, 8, 20, 500);
  p.check(100, 160, t);
  const start = p.rate;
  // The bucket pacing started in and the next are skipped (flood tail); a bucket is judged when the next one
  // begins, so six quiet buckets make three climbs.
  t = feed(p, 6, 20, 0, t);
  assert.ok(Math.abs(p.rate - start * 1.15 ** 3) < 1e-9, `rate ${p.rate}`);
  // The last quiet bucket climbs once more; then a bucket a third silent steps back from that peak.
  const peak = start * 1.15 ** 4;
  t = feed(p, 3, 20, 10, t);
  assert.ok(p.rate < peak, `rate ${p.rate}, peak ${peak}`);
  t = feed(p, 10, 20, 0, t);
  assert.ok(p.rate <= peak * 0.9 + 1e-9, 'the climb stays below the pace that proved too fast');
  assert.ok(p.rate >= start, 'never below the measured floor');
});
