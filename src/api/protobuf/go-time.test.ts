import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoTime, parseGoTime } from './go-time.js';

test('times print in RFC 3339 UTC, micro-times with six digits', () => {
  assert.equal(formatGoTime(1704164645n, 0, false), '2024-01-02T03:04:05Z');
  assert.equal(formatGoTime(1704164645n, 123456789, true), '2024-01-02T03:04:05.123456Z');
  assert.deepEqual(parseGoTime('2024-01-02T04:04:05.5+01:00'), { seconds: 1704164645n, nanos: 500000000 });
  assert.equal(parseGoTime('yesterday'), undefined);
});

test('times Go would refuse are refused, not carried over', () => {
  for (const text of [
    '2024-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '2024-01-01T00:00:60Z',
    '2024',
    'Mon, 01 Jan 2024 00:00:00 GMT',
  ])
    assert.equal(parseGoTime(text), undefined, text);
  assert.deepEqual(parseGoTime('2024-02-29T00:00:00Z'), { seconds: 1709164800n, nanos: 0 });
  assert.deepEqual(parseGoTime('0001-01-01T00:00:00Z'), { seconds: -62135596800n, nanos: 0 });
});
