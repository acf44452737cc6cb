// Checks that prefix ranges include exactly the keys under the prefix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyAfter, prefixUpperBound } from './key-range.js';

void test('the upper bound sits just above every key under the prefix', () => {
  assert.equal(prefixUpperBound('/registry/pods/'), '/registry/pods0');
  assert.equal(prefixUpperBound('a\u{10FFFF}'), 'b');
  assert.equal(prefixUpperBound('a\uD7FF'), 'a\uE000');
  assert.equal(prefixUpperBound(''), '\u{10FFFF}');
  const upper = prefixUpperBound('/registry/pods/');
  for (const inside of ['/registry/pods/', '/registry/pods/default/a', '/registry/pods/~']) assert.ok(inside < upper);
  for (const outside of ['/registry/pods0', '/registry/podsx/a']) assert.ok(outside >= upper);
});

void test('keyAfter is above the key and below anything longer', () => {
  assert.ok(keyAfter('/a') > '/a');
  assert.ok(keyAfter('/a') < '/a/');
  assert.ok(keyAfter('/a') < '/a0');
});
