import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './go-duration.js';

test('parses Go durations into milliseconds', () => {
  assert.equal(parseGoDuration('1s'), 1000);
  assert.equal(parseGoDuration('2m'), 120_000);
  assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500);
  assert.equal(parseGoDuration('300ms'), 300);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('+.5s'), 500);
  assert.equal(parseGoDuration('-1s'), -1000);
  assert.equal(parseGoDuration('1500us'), 1.5);
});

test('refuses what Go refuses, with its messages', () => {
  assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
  assert.throws(() => parseGoDuration('10'), { message: 'time: missing unit in duration "10"' });
  assert.throws(() => parseGoDuration('3d'), { message: 'time: unknown unit "d" in duration "3d"' });
  assert.throws(() => parseGoDuration('s'), { message: 'time: invalid duration "s"' });
  assert.throws(() => parseGoDuration('1s '), { message: 'time: invalid duration "1s "' });
});
