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
  const stop = startIdleCollector({ intervalMs: 50, collect: () => collections++ });
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
