import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiResponseError } from './api-client.js';
import { WorkQueue } from './work-queue.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  test('a key added many times before processing is processed once', async () => {
    const q = new WorkQueue<string>({ name: 't' });
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    const seen: string[] = [];
    const stop = new AbortController();
    const run = q.run(2, async (k) => void seen.push(k), stop.signal);
    await tick(10);
    stop.abort();
    await run;
    assert.deepEqual(seen.sort(), ['a', 'b']);
  });

  test('a key is never processed by two workers at once; an add in flight runs it again after', async () => {
    const q = new WorkQueue<string>({ name: 't' });
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    const stop = new AbortController();
    const run = q.run(
      4,
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        runs++;
        if (runs === 1) {
          q.add('k');
          q.add('k');
        }
        await tick(5);
        inFlight--;
      },
      stop.signal,
    );
    q.add('k');
    await tick(40);
    stop.abort();
    await run;
    assert.equal(maxInFlight, 1);
    assert.equal(runs, 2);
  });

  test('failures retry with doubling backoff and forget() on success resets it', async () => {
    const q = new WorkQueue<string>({ name: 't', baseDelayMs: 10, maxDelayMs: 1000 });
    const times: number[] = [];
    const stop = new AbortController();
    const run = q.run(
      1,
      async () => {
        times.push(Date.now());
        if (times.length < 3) throw new Error('not yet');
      },
      stop.signal,
    );
    q.add('k');
    const deadline = Date.now() + 2000;
    while (times.length < 3 && Date.now() < deadline) await tick(5);
    stop.abort();
    await run;
    assert.equal(times.length, 3);
    assert.ok(times[1]! - times[0]! >= 9, `first retry after ${times[1]! - times[0]!} ms`);
    assert.ok(times[2]! - times[1]! >= 19, `second retry after ${times[2]! - times[1]!} ms`);
    assert.equal(q.numRequeues('k'), 0);
  });

  test('addAfter keeps the earliest of several delays', async () => {
    const q = new WorkQueue<string>({ name: 't' });
    const seen: string[] = [];
    const stop = new AbortController();
    const run = q.run(1, async (k) => void seen.push(k), stop.signal);
    q.addAfter('k', 500);
    q.addAfter('k', 10);
    q.addAfter('k', 300);
    await tick(60);
    assert.deepEqual(seen, ['k']);
    stop.abort();
    await run;
  });

  test('a delay beyond what a Node timer holds waits, rather than firing at once', async () => {
    const q = new WorkQueue<string>({ name: 't' });
    const seen: string[] = [];
    const stop = new AbortController();
    const run = q.run(1, async (k) => void seen.push(k), stop.signal);
    q.addAfter('far', 2 ** 31 * 1000);
    await tick(30);
    assert.deepEqual(seen, []);
    stop.abort();
    await run;
  });

  test('a 409 Conflict is retried shortly without growing the backoff', async () => {
    const q = new WorkQueue<string>({ name: 't', baseDelayMs: 60_000 });
    const attempts: number[] = [];
    const stop = new AbortController();
    const run = q.run(
      1,
      async (k) => {
        attempts.push(q.numRequeues(k));
        if (attempts.length < 3) throw new ApiResponseError(409, 'Conflict', 'PUT /x: 409 the object has been modified');
      },
      stop.signal,
    );
    q.add('k');
    await tick(400);
    stop.abort();
    await run;
    // A real failure here would wait the minute of baseDelayMs; conflicts come back at once, unpenalised.
    assert.deepEqual(attempts, [0, 0, 0]);
  });

  test('shutdown ends the workers and drops delayed keys', async () => {
    const q = new WorkQueue<string>({ name: 't' });
    const stop = new AbortController();
    const run = q.run(3, async () => undefined, stop.signal);
    q.addAfter('later', 10_000);
    stop.abort();
    await run;
    q.add('x');
    assert.equal(q.length, 0);
  });
});
