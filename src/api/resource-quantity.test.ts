import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addQuantity, canonicalQuantity, compareQuantity, formatResourceList, milliValue, parseQuantity, quantityOf, quantityParseError,
  QUANTITY_FORMAT_WRONG, QUANTITY_NUMERIC_WRONG, QUANTITY_SUFFIX_WRONG,
} from './resource-quantity.js';

describe('resource quantities', () => {
  test('print in the canonical form kube-apiserver uses', () => {
    const cases: Array<[unknown, string]> = [
      ['1000m', '1'],
      ['1500m', '1500m'],
      ['0.5', '500m'],
      ['2000', '2k'],
      ['1500', '1500'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['512', '512'],
      ['1Gi', '1Gi'],
      ['1G', '1G'],
      ['1e3', '1e3'],
      [2, '2'],
      ['0', '0'],
      ['100n', '100n'],
      ['0.1m', '100u'],
    ];
    for (const [raw, want] of cases) assert.equal(canonicalQuantity(raw), want, String(raw));
  });

  test('sums stay exact and keep the first non-zero operand format', () => {
    const sum = addQuantity(addQuantity(quantityOf('0'), quantityOf('100Mi')), quantityOf('156Mi'));
    assert.equal(canonicalQuantity(sum.nanos === 0n ? '0' : `${Number(sum.nanos / 1_000_000_000n)}`), '268435456');
    assert.equal(formatResourceList(new Map([['requests.memory', sum]])), 'requests.memory=256Mi');
    const cpu = addQuantity(quantityOf('100m'), quantityOf('0.2'));
    assert.equal(
      formatResourceList(
        new Map([
          ['cpu', cpu],
          ['a', quantityOf('3')],
        ]),
      ),
      'a=3,cpu=300m',
    );
  });

  test('compare and milli values', () => {
    assert.equal(compareQuantity(quantityOf('1'), quantityOf('1000m')), 0);
    assert.equal(compareQuantity(quantityOf('1Ki'), quantityOf('1k')), 1);
    assert.equal(milliValue(quantityOf('1.5')), 1500);
    assert.equal(parseQuantity('abc'), undefined);
    assert.equal(parseQuantity('1.5.5'), undefined);
  });

  test('the grammar and errors are ParseQuantity\'s', () => {
    for (const ok of ['0', '1', '-1', '+1', '1.', '.5', '1.5Gi', '1E', '1e3', '1e-3', '1E+3', '100n']) assert.equal(quantityParseError(ok), undefined, ok);
    for (const bad of ['', 'not-a-quantity', '1Qi', '1 Gi', '1.5.5']) assert.equal(quantityParseError(bad), QUANTITY_FORMAT_WRONG, bad);
    for (const bad of ['1kk', '1e', '1Ki5', '1e99999999999']) assert.equal(quantityParseError(bad), QUANTITY_SUFFIX_WRONG, bad);
    assert.equal(quantityParseError('1e99999'), QUANTITY_NUMERIC_WRONG);
  });

  test('extremes stay cheap: tiny values round up to 1n, binary values cap at the largest int64', () => {
    assert.equal(parseQuantity('1e-2000000000')?.nanos, 1n);
    assert.equal(parseQuantity('-1e-2000000000')?.nanos, -1n);
    assert.equal(parseQuantity('0e2000000000')?.nanos, 0n);
    assert.equal(parseQuantity('99999999Ei')?.nanos, (2n ** 63n - 1n) * 1_000_000_000n);
    assert.equal(parseQuantity(`-${'9'.repeat(100_000)}Ki`)?.nanos, -(2n ** 63n - 1n) * 1_000_000_000n);
    assert.equal(quantityParseError('1e991'), undefined);
    assert.equal(quantityParseError('10e991'), QUANTITY_NUMERIC_WRONG);
    assert.equal(quantityParseError('1'.repeat(100_000)), QUANTITY_NUMERIC_WRONG);
    // A long fraction costs no more than a short one and still rounds up.
    const started = Date.now();
    assert.equal(parseQuantity(`0.${'1'.repeat(1_000_000)}`)?.nanos, 111_111_112n);
    assert.equal(parseQuantity(`1.${'0'.repeat(1_000_000)}1m`)?.nanos, 1_000_001n);
    assert.ok(Date.now() - started < 500);
  });
});
