// The fast unknown-first order against the insertion sort it stands for, on random lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../api/seeded-random.test-support.js';
import { orderWithUnknownsFirst, type Positioned } from './unknown-first-order.js';

/** The insertion sort with upstream's comparison, as strategic merge patch used to run it. */
function insertionSort<T>(input: readonly Positioned<T>[]): T[] {
  const keyed = [...input];
  for (let n = 1; n < keyed.length; n++) {
    for (let m = n; m > 0; m--) {
      const a = keyed[m]!;
      const b = keyed[m - 1]!;
      const less = a.at >= 0 && b.at >= 0 ? a.at < b.at : true;
      if (!less) break;
      keyed[m] = b;
      keyed[m - 1] = a;
    }
  }
  return keyed.map((k) => k.item);
}

test('small cases', () => {
  assert.deepEqual(orderWithUnknownsFirst([]), []);
  const list = (...ats: number[]) => ats.map((at, i) => ({ item: `${i}@${at}`, at }));
  for (const ats of [[-1], [0], [2, 1, 0], [-1, -1, -1], [0, -1, 1], [1, -1, 0], [-1, 0, -1, 0, -1], [3, -1, 1, -1, 2, 0, -1, 1]]) {
    assert.deepEqual(orderWithUnknownsFirst(list(...ats)), insertionSort(list(...ats)), ats.join(','));
  }
});

test('random lists give what the insertion sort gives', () => {
  const next = seededRandom(2024);
  for (let round = 0; round < 3000; round++) {
    const length = Math.floor(next() * 40);
    const spread = 1 + Math.floor(next() * 20);
    const unknownShare = next();
    const keyed = Array.from({ length }, (_, i) => ({ item: i, at: next() < unknownShare ? -1 : Math.floor(next() * spread) }));
    assert.deepEqual(orderWithUnknownsFirst(keyed), insertionSort(keyed), JSON.stringify(keyed.map((k) => k.at)));
  }
});

test('a hundred thousand items with unknown positions take milliseconds', () => {
  const keyed = Array.from({ length: 100_000 }, (_, i) => ({ item: i, at: i % 3 === 0 ? -1 : i % 1000 }));
  const started = performance.now();
  assert.equal(orderWithUnknownsFirst(keyed).length, 100_000);
  assert.ok(performance.now() - started < 1000);
});
