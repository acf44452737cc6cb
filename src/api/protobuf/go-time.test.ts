import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, formatGoTime, parseGoDuration, parseGoTime } from './go-time.js';

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
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('times print in RFC 3339 UTC, micro-times with six digits', () => {
  assert.equal(formatGoTime(1704164645n, 0, false), '2024-01-02T03:04:05Z');
  assert.equal(formatGoTime(1704164645n, 123456789, true), '2024-01-02T03:04:05.123456Z');
  assert.deepEqual(parseGoTime('2024-01-02T04:04:05.5+01:00'), { seconds: 1704164645n, nanos: 500000000 });
  assert.equal(parseGoTime('yesterday'), undefined);
});

test('times and durations Go would refuse are refused, not carried over or wrapped', () => {
  for (const text of ['2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:60Z', '2024', 'Mon, 01 Jan 2024 00:00:00 GMT'])
    assert.equal(parseGoTime(text), undefined, text);
  assert.deepEqual(parseGoTime('2024-02-29T00:00:00Z'), { seconds: 1709164800n, nanos: 0 });
  assert.deepEqual(parseGoTime('0001-01-01T00:00:00Z'), { seconds: -62135596800n, nanos: 0 });
  assert.equal(parseGoDuration('2562047h47m16.854775807s'), 2n ** 63n - 1n);
  assert.equal(parseGoDuration('2562048h'), undefined);
  assert.equal(parseGoDuration('-2562048h'), undefined);
});
