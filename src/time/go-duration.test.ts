// Unit tests of Go's duration text: parsing as time.ParseDuration does, printing as String() does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration, parseGoDurationMs, tryParseGoDuration } from './go-duration.js';

test('parses Go durations into milliseconds', () => {
  assert.equal(parseGoDurationMs('1s'), 1000);
  assert.equal(parseGoDurationMs('2m'), 120_000);
  assert.equal(parseGoDurationMs('1h2m3.5s'), 3_723_500);
  assert.equal(parseGoDurationMs('300ms'), 300);
  assert.equal(parseGoDurationMs('1.5h'), 5_400_000);
  assert.equal(parseGoDurationMs('-1.5h'), -5_400_000);
  assert.equal(parseGoDurationMs('2h45m'), 9_900_000);
  assert.equal(parseGoDurationMs('0'), 0);
  assert.equal(parseGoDurationMs('+.5s'), 500);
  assert.equal(parseGoDurationMs('-1s'), -1000);
  assert.equal(parseGoDurationMs('1500us'), 1.5);
  assert.equal(parseGoDuration('1µs'), 1000n);
  assert.equal(parseGoDuration('1μs'), 1000n);
  assert.equal(parseGoDuration('1us'), 1000n);
  assert.equal(parseGoDuration('1.000000001s'), 1_000_000_001n);
});

test('refuses what Go refuses, with its messages', () => {
  assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
  assert.throws(() => parseGoDuration('-'), { message: 'time: invalid duration "-"' });
  assert.throws(() => parseGoDuration('10'), { message: 'time: missing unit in duration "10"' });
  assert.throws(() => parseGoDuration('3d'), { message: 'time: unknown unit "d" in duration "3d"' });
  assert.throws(() => parseGoDuration('s'), { message: 'time: invalid duration "s"' });
  assert.throws(() => parseGoDuration('.s'), { message: 'time: invalid duration ".s"' });
  assert.throws(() => parseGoDuration('x'), { message: 'time: invalid duration "x"' });
  // Go reads a unit up to the next number, so a trailing space belongs to the unit.
  assert.throws(() => parseGoDuration('1s '), { message: 'time: unknown unit "s " in duration "1s "' });
  assert.equal(tryParseGoDuration('10'), undefined);
  assert.equal(tryParseGoDuration(''), undefined);
});

test('durations print as Go prints them', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [100_000_000n, '100ms'],
    [1_500_000_000n, '1.5s'],
    [60_000_000_000n, '1m0s'],
    [3_723_000_000_000n, '1h2m3s'],
    [-90_000_000_000n, '-1m30s'],
  ];
  for (const [nanos, text] of cases) {
    assert.equal(formatGoDuration(nanos), text);
    assert.equal(parseGoDuration(text), nanos);
  }
  assert.equal(parseGoDuration('1h30m'), 5_400_000_000_000n);
});

test('durations beyond an int64 of nanoseconds are refused, as Go refuses them', () => {
  assert.equal(parseGoDuration('2562047h47m16.854775807s'), 2n ** 63n - 1n);
  assert.equal(parseGoDuration('-2562047h47m16.854775808s'), -(2n ** 63n));
  assert.equal(tryParseGoDuration('2562048h'), undefined);
  assert.equal(tryParseGoDuration('-2562048h'), undefined);
});
