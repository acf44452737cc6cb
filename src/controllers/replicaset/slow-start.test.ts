import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slowStartBatch } from './slow-start.js';

test('calls double per batch up to the count', async () => {
  let inFlight = 0;
  const peaks: number[] = [];
  const result = await slowStartBatch(20, 1, async () => {
    inFlight++;
    peaks.push(inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
  });
  assert.deepEqual(result, { successes: 20 });
  // Batches of 1, 2, 4, 8 and the last 5: the peak in each is its size.
  assert.equal(Math.max(...peaks), 8);
  assert.equal(peaks.length, 20);
});

test('stops after the first batch with a failure', async () => {
  let calls = 0;
  const result = await slowStartBatch(500, 1, async () => {
    calls++;
    if (calls >= 3) throw new Error('quota exceeded');
  });
  // 1 then 2 (the second of which fails): 3 calls, 2 successes, never the other 497.
  assert.equal(calls, 3);
  assert.equal(result.successes, 2);
  assert.equal(result.error?.message, 'quota exceeded');
});
