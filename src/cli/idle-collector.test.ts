import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startIdleCollector } from './idle-collector.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Keep the event loop busy.
  }
}

test('collects once when the loop goes quiet after a busy spell, and not while it stays quiet', async () => {
  let collections = 0;
  const nativeHeap = { freeBytes: () => 0, trim: () => undefined };
  const stop = startIdleCollector({ intervalMs: 50, collect: () => collections++, nativeHeap });
  try {
    await sleep(200);
    assert.equal(collections, 0, 'no busy spell yet');
    // Busy through a whole interval: the timer fires late, after the loop was occupied.
    busyFor(120);
    await sleep(300);
    assert.equal(collections, 1);
    await sleep(300);
    assert.equal(collections, 1, 'one collection per busy spell');
  } finally {
    stop();
  }
});

test('trims the C heap in a quiet interval when it holds much free, and not again until that changes', async () => {
  let free = 0;
  let trims = 0;
  const nativeHeap = { freeBytes: () => free, trim: () => trims++ };
  const stop = startIdleCollector({ intervalMs: 50, collect: () => undefined, trimAboveBytes: 1000, nativeHeap });
  try {
    await sleep(200);
    assert.equal(trims, 0, 'little free: nothing to give back');
    free = 5000;
    await sleep(200);
    assert.equal(trims, 1);
    await sleep(200);
    assert.equal(trims, 1, 'the same free bytes were trimmed already');
    free = 9000;
    await sleep(200);
    assert.equal(trims, 2, 'more was freed since');
    busyFor(120);
    free = 20000;
    await sleep(40);
    assert.equal(trims, 2, 'not in a busy interval');
  } finally {
    stop();
  }
});
