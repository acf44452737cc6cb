// The order strategic merge patch gives a list whose items are not all in the order list: the
// result of an insertion sort with upstream's comparison, in which an item of unknown position
// is "less" than anything. Sorting that way by insertion takes quadratic time, which a patch of
// a hundred thousand list items turns into hours; this builds the same order in O(n log n).

export interface Positioned<T> {
  readonly item: T;
  /** The item's index in the order list, or -1 when it is not there. */
  readonly at: number;
}

/**
 * What the insertion sort does, element by element: an item of unknown position moves to the
 * front; a known one moves left past unknown items and known items further on in the order,
 * coming to rest right after the last known item at or before its own position (or at the
 * front). So known items end up stably sorted, and the unknown items that followed an item
 * follow the item inserted right after it. Each run of unknown items is kept as it forms at the
 * front, newest first, and handed from item to item.
 */
export function orderWithUnknownsFirst<T>(keyed: readonly Positioned<T>[]): T[] {
  const size = keyed.reduce((max, k) => Math.max(max, k.at + 1), 0);
  // Fenwick tree over positions: how many distinct positions have a known item so far.
  const tree = new Int32Array(size + 1);
  // For each position, the index (in `keyed`) of the latest known item inserted there.
  const latest = new Int32Array(size).fill(-1);
  // Unknown items following each known item (by index in `keyed`), newest first.
  const runs = new Map<number, T[]>();
  let front: T[] = [];
  const add = (position: number): void => {
    for (let i = position + 1; i <= size; i += i & -i) tree[i]!++;
  };
  const countUpTo = (position: number): number => {
    let sum = 0;
    for (let i = position + 1; i > 0; i -= i & -i) sum += tree[i]!;
    return sum;
  };
  /** The position of the k-th (1-based) present position. */
  const kth = (k: number): number => {
    let at = 0;
    for (let step = 1 << Math.floor(Math.log2(size || 1)); step > 0; step >>= 1) {
      if (at + step <= size && tree[at + step]! < k) {
        at += step;
        k -= tree[at]!;
      }
    }
    return at; // tree index at+1 is position `at`
  };
  for (const [index, { item, at }] of keyed.entries()) {
    if (at < 0) {
      front.push(item);
      continue;
    }
    const before = countUpTo(at);
    if (before === 0) {
      runs.set(index, front);
      front = [];
    } else {
      const holder = latest[kth(before)]!;
      runs.set(index, runs.get(holder) ?? []);
      runs.set(holder, []);
    }
    if (latest[at] === -1) add(at);
    latest[at] = index;
  }
  const known = [...keyed.entries()].filter(([, k]) => k.at >= 0).sort(([, a], [, b]) => a.at - b.at);
  const out: T[] = [...front].reverse();
  for (const [index, { item }] of known) {
    out.push(item);
    const run = runs.get(index);
    if (run) for (let i = run.length - 1; i >= 0; i--) out.push(run[i]!);
  }
  return out;
}
