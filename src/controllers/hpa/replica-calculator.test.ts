import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultBehavior, normalizeReplicas, resourceReplicas, type NormalizeInput, type PodSample } from './replica-calculator.js';

const pod = (name: string, usage: number | undefined, request: number | undefined = 100, ready = true): PodSample => ({ name, usage, request, ready });

describe('replica calculator', () => {
  test('scales by the usage ratio, rounding up, and holds within the 10% tolerance', () => {
    // 3 pods at 90% of request against a 50% target: ceil(1.8 × 3) = 6.
    assert.deepEqual(resourceReplicas(3, [pod('a', 90), pod('b', 90), pod('c', 90)], { utilization: 50 }, 'cpu'), {
      replicas: 6,
      utilization: 90,
      averageValue: 90,
    });
    assert.equal(resourceReplicas(3, [pod('a', 54), pod('b', 54), pod('c', 54)], { utilization: 50 }, 'cpu').replicas, 3);
    assert.equal(resourceReplicas(4, [pod('a', 10), pod('b', 10), pod('c', 10), pod('d', 10)], { utilization: 50 }, 'cpu').replicas, 1);
    assert.equal(resourceReplicas(2, [pod('a', 300, 1000), pod('b', 500, 1000)], { averageValue: 200 }, 'cpu').replicas, 4);
  });

  test('missing and unready pods damp the change', () => {
    // Scaling up: the pod without metrics counts as using nothing: (200+200+0)/300 = 133% of a 100% target → 4.
    assert.equal(resourceReplicas(3, [pod('a', 200), pod('b', 200), pod('c', undefined)], { utilization: 100 }, 'cpu').replicas, 4);
    // Scaling down: the missing pod counts as at its request, so the ratio moves back inside tolerance.
    assert.equal(resourceReplicas(3, [pod('a', 90), pod('b', 90), pod('c', undefined)], { utilization: 100 }, 'cpu').replicas, 3);
    // An unready pod is left out of a scale up's average.
    assert.equal(resourceReplicas(2, [pod('a', 300), pod('b', 300, 100, false)], { utilization: 100 }, 'cpu').replicas, 3);
    assert.throws(
      () => resourceReplicas(1, [{ name: 'a', usage: 10, request: undefined, ready: true }], { utilization: 50 }, 'cpu'),
      /missing request for cpu in pod a/,
    );
  });

  test('behaviour: scale down waits for the stabilization window, scale up is rate limited, min and max bound', () => {
    const base: NormalizeInput = {
      now: 1_000_000,
      currentReplicas: 4,
      recommended: 2,
      minReplicas: 1,
      maxReplicas: 10,
      behavior: defaultBehavior,
      history: [],
      scaleEvents: [],
    };
    assert.deepEqual(normalizeReplicas({ ...base, history: [{ at: 1_000_000 - 60_000, replicas: 4 }] }), {
      replicas: 4,
      stabilized: 'ScaleDownStabilized',
      limited: { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    });
    assert.equal(normalizeReplicas({ ...base, history: [{ at: 1_000_000 - 400_000, replicas: 4 }] }).replicas, 2);
    const fast = normalizeReplicas({ ...base, currentReplicas: 2, recommended: 9 });
    assert.equal(fast.replicas, 6);
    assert.equal(fast.limited.reason, 'ScaleUpLimit');
    const capped = normalizeReplicas({ ...base, currentReplicas: 8, recommended: 30 });
    assert.deepEqual([capped.replicas, capped.limited.reason], [10, 'TooManyReplicas']);
    const floor = normalizeReplicas({ ...base, recommended: 0, minReplicas: 2 });
    assert.deepEqual([floor.replicas, floor.limited.reason], [2, 'TooFewReplicas']);
  });
});
