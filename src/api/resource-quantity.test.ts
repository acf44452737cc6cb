import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addQuantity, canonicalQuantity, compareQuantity, formatResourceList, milliValue, parseQuantity, quantityOf } from './resource-quantity.js';

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
});
