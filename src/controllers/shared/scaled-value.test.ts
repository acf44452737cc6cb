// Unit tests of int-or-percent scaling, rounded up or down as each controller asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledValue } from './scaled-value.js';

test('percentages round up or down, ints stay as they are', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(4, 10, true), 4);
  assert.equal(scaledValue('0%', 10, true), 0);
  assert.equal(scaledValue('100%', 7, false), 7);
});

test('strings other than a percentage are refused with kube error', () => {
  assert.throws(() => scaledValue('3', 10, true), { message: 'invalid value for IntOrString: invalid type: string is not a percentage' });
  assert.throws(() => scaledValue('x%', 10, true), /invalid value "x%": strconv.Atoi: parsing "x": invalid syntax/);
});
