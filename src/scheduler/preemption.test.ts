import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, labelSelectorFromObject } from '../api/index.js';
import { newPodInfo } from './pod-info.js';
import { Preemptor, type DisruptionBudget } from './preemption.js';
import { SchedulingAlgorithm } from './scheduling-algorithm.js';
import { cacheOf, makeNode, makePod } from './test-objects.test-support.js';
import type { SchedulerCache } from './scheduler-cache.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

function attempt(cache: SchedulerCache, pod: Pod, budgets: DisruptionBudget[] = []) {
  const algorithm = new SchedulingAlgorithm();
  const info = newPodInfo(pod);
  const result = algorithm.schedule(info, cache);
  assert.equal(result.kind, 'unschedulable');
  if (result.kind !== 'unschedulable') throw new Error('unreachable');
  return new Preemptor(algorithm, () => budgets).preempt(info, cache, result.state, result.statuses);
}

describe('Preemptor', () => {
  it('evicts the fewest lowest-priority pods that make room', () => {
    const cache = cacheOf(
      [makeNode('n', { cpu: '4' })],
      [
        makePod('keep', { nodeName: 'n', cpu: '1', priority: 50 }),
        makePod('small', { nodeName: 'n', cpu: '1', priority: 10 }),
        makePod('big', { nodeName: 'n', cpu: '2', priority: 10 }),
      ],
    );
    const outcome = attempt(cache, makePod('vip', { cpu: '2', priority: 100 }));
    assert.equal(outcome.kind, 'preempt');
    if (outcome.kind !== 'preempt') return;
    assert.equal(outcome.node, 'n');
    assert.deepEqual(
      outcome.victims.map((v) => v.pod.metadata?.name),
      ['big'],
    );
  });

  it('never evicts pods of equal or higher priority, and says why in kube words', () => {
    const cache = cacheOf(
      [makeNode('n', { cpu: '2' }), makeNode('m', { cpu: '1', taints: [{ key: 'dedicated', effect: 'NoSchedule' }] })],
      [makePod('peer', { nodeName: 'n', cpu: '2', priority: 100 })],
    );
    const outcome = attempt(cache, makePod('vip', { cpu: '2', priority: 100 }));
    assert.deepEqual(outcome, {
      kind: 'none',
      message: '0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    });
  });

  it('does not preempt for pods with preemptionPolicy Never', () => {
    const cache = cacheOf([makeNode('n', { cpu: '1' })], [makePod('low', { nodeName: 'n', cpu: '1' })]);
    assert.deepEqual(attempt(cache, makePod('vip', { cpu: '1', priority: 100, preemptionPolicy: 'Never' })), {
      kind: 'none',
      message: 'not eligible due to preemptionPolicy=Never.',
    });
  });

  it('waits for the victims of an earlier preemption instead of preempting again', () => {
    const cache = cacheOf(
      [makeNode('n', { cpu: '1' })],
      [{ ...makePod('going', { nodeName: 'n', cpu: '1' }), metadata: { ...makePod('going').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }],
    );
    const algorithm = new SchedulingAlgorithm();
    const info = newPodInfo(makePod('vip', { cpu: '1', priority: 100 }));
    const result = algorithm.schedule(info, cache);
    assert.equal(result.kind, 'unschedulable');
    if (result.kind !== 'unschedulable') return;
    assert.deepEqual(new Preemptor(algorithm, () => []).preempt(info, cache, result.state, result.statuses, 'n'), {
      kind: 'none',
      message: 'not eligible due to a terminating pod on the nominated node.',
    });
  });

  it('prefers a node whose victims a PodDisruptionBudget does not protect', () => {
    const cache = cacheOf(
      [makeNode('guarded', { cpu: '1' }), makeNode('free', { cpu: '1' })],
      [makePod('db', { nodeName: 'guarded', cpu: '1', labels: { app: 'db' } }), makePod('batch', { nodeName: 'free', cpu: '1', labels: { app: 'batch' } })],
    );
    const budget: DisruptionBudget = {
      namespace: 'default',
      selector: labelSelectorFromObject({ matchLabels: { app: 'db' } }, FieldPath.root('selector')).selector,
      disruptionsAllowed: 0,
      disruptedPods: new Set(),
    };
    const outcome = attempt(cache, makePod('vip', { cpu: '1', priority: 100 }), [budget]);
    assert.equal(outcome.kind === 'preempt' && outcome.node, 'free');
  });
});
