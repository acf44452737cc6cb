import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newPodInfo } from './pod-info.js';
import { SchedulingQueue } from './scheduling-queue.js';
import { makePod } from './test-objects.test-support.js';

function queueAt(clock: { now: number }): SchedulingQueue {
  return new SchedulingQueue({
    now: () => clock.now,
    pluginEvents: new Map([
      ['NodeResourcesFit', ['NodeAdd', 'AssignedPodDelete'] as const],
      ['NodeAffinity', ['NodeAdd', 'NodeUpdate'] as const],
    ]),
  });
}

const info = (name: string, priority = 0) => newPodInfo(makePod(name, { priority }));

describe('SchedulingQueue', () => {
  it('pops the highest priority first, then the oldest', async () => {
    const clock = { now: 1000 };
    const q = queueAt(clock);
    q.add(info('low-old', 0));
    clock.now++;
    q.add(info('high', 10));
    clock.now++;
    q.add(info('low-new', 0));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await q.pop())?.info.pod.metadata?.name);
    assert.deepEqual(order, ['high', 'low-old', 'low-new']);
  });

  it('keeps an unschedulable pod until an event its rejecting plugin cares about, then honours backoff', async () => {
    const clock = { now: 0 };
    const q = queueAt(clock);
    q.add(info('p'));
    const popped = await q.pop();
    assert.ok(popped);
    q.requeue(popped, new Set(['NodeResourcesFit']));
    assert.deepEqual(q.lengths, { active: 0, backoff: 0, unschedulable: 1 });
    q.onEvent('NodeUpdate'); // NodeResourcesFit does not care about label changes
    assert.equal(q.lengths.unschedulable, 1);
    q.onEvent('AssignedPodDelete');
    // Still within its 1 s backoff.
    assert.deepEqual(q.lengths, { active: 0, backoff: 1, unschedulable: 0 });
    clock.now += 1000;
    q.flush();
    assert.deepEqual(q.lengths, { active: 1, backoff: 0, unschedulable: 0 });
  });

  it('doubles the backoff from 1 s up to 10 s', () => {
    const q = queueAt({ now: 0 });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => q.backoffDurationMs(n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });

  it('sends a pod to backoff instead of waiting when an event arrived during its attempt', async () => {
    const q = queueAt({ now: 0 });
    q.add(info('p'));
    const popped = await q.pop();
    assert.ok(popped);
    q.onEvent('NodeAdd');
    q.requeue(popped, new Set(['NodeAffinity']));
    assert.deepEqual(q.lengths, { active: 0, backoff: 1, unschedulable: 0 });
  });

  it('flushes pods left unschedulable for 5 minutes', async () => {
    const clock = { now: 0 };
    const q = queueAt(clock);
    q.add(info('p'));
    const popped = await q.pop();
    assert.ok(popped);
    q.requeue(popped, new Set(['NodeAffinity']));
    clock.now += 299_000;
    q.flush();
    assert.equal(q.lengths.unschedulable, 1);
    clock.now += 1_000;
    q.flush();
    assert.deepEqual(q.lengths, { active: 1, backoff: 0, unschedulable: 0 });
  });

  it('forgets deleted pods, also while they are being scheduled', async () => {
    const q = queueAt({ now: 0 });
    q.add(info('p'));
    const popped = await q.pop();
    assert.ok(popped);
    q.delete(popped.info.key);
    q.requeue(popped, new Set(['NodeAffinity']));
    assert.deepEqual(q.lengths, { active: 0, backoff: 0, unschedulable: 0 });
  });

  it('wakes a waiting pop when a pod arrives and ends it on close', async () => {
    const q = queueAt({ now: 0 });
    const waiting = q.pop();
    q.add(info('late'));
    assert.equal((await waiting)?.info.pod.metadata?.name, 'late');
    const ended = q.pop();
    q.close();
    assert.equal(await ended, undefined);
  });
});
