// Unit tests of JSON value narrowing and structural equality.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRecord, jsonEqual } from './json-value.js';

test('a record is a non-null, non-array object', () => {
  assert.ok(isRecord({}));
  assert.ok(!isRecord([]));
  assert.ok(!isRecord(null));
  assert.ok(!isRecord('x'));
});

test('equality ignores key order and undefined-valued keys, not array order', () => {
  assert.ok(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }));
  assert.ok(jsonEqual({ a: 1, b: undefined }, { a: 1 }));
  assert.ok(!jsonEqual([1, 2], [2, 1]));
  assert.ok(!jsonEqual({ a: 1 }, { a: '1' }));
  assert.ok(!jsonEqual({ a: {} }, { a: [] }));
  assert.ok(!jsonEqual(null, {}));
});

test('only own keys count, so __proto__ is an ordinary key', () => {
  const withProto = JSON.parse('{"__proto__": {}, "x": 1}') as unknown;
  assert.ok(!jsonEqual(withProto, { y: {}, x: 1 }));
  assert.ok(jsonEqual(withProto, JSON.parse('{"x": 1, "__proto__": {}}')));
});
