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
