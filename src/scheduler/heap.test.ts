import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Heap } from './heap.js';

describe('Heap', () => {
  const heap = () =>
    new Heap<{ key: string; n: number }>(
      (x) => x.key,
      (a, b) => a.n < b.n,
    );

  it('pops in order, whatever the insertion order', () => {
    const h = heap();
    for (const n of [5, 1, 9, 3, 7, 2, 8]) h.push({ key: `k${n}`, n });
    const out: number[] = [];
    for (let item = h.pop(); item; item = h.pop()) out.push(item.n);
    assert.deepEqual(out, [1, 2, 3, 5, 7, 8, 9]);
  });

  it('replaces an item pushed again under its key and re-sorts it', () => {
    const h = heap();
    h.push({ key: 'a', n: 1 });
    h.push({ key: 'b', n: 2 });
    h.push({ key: 'a', n: 3 });
    assert.equal(h.size, 2);
    assert.deepEqual(h.pop(), { key: 'b', n: 2 });
    assert.deepEqual(h.pop(), { key: 'a', n: 3 });
  });

  it('deletes by key from the middle and keeps the order', () => {
    const h = heap();
    for (let n = 0; n < 20; n++) h.push({ key: `k${n}`, n });
    for (const n of [0, 7, 13, 19]) assert.equal(h.delete(`k${n}`)?.n, n);
    assert.equal(h.delete('missing'), undefined);
    assert.ok(!h.has('k7'));
    const out: number[] = [];
    for (let item = h.pop(); item; item = h.pop()) out.push(item.n);
    assert.deepEqual(
      out,
      Array.from({ length: 20 }, (_, n) => n).filter((n) => ![0, 7, 13, 19].includes(n)),
    );
  });
});
