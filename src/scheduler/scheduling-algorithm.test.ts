import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FilterPlugin } from './framework.js';
import { newPodInfo } from './pod-info.js';
import { SchedulingAlgorithm, numFeasibleNodesToFind } from './scheduling-algorithm.js';
import { cacheOf, makeNode, makePod } from './test-objects.test-support.js';

describe('numFeasibleNodesToFind', () => {
  it('looks at every node below 100 and at an adaptive share above, never fewer than 100', () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(150), 100); // 48% of 150 = 72
    assert.equal(numFeasibleNodesToFind(1_000), 420); // 42%
    assert.equal(numFeasibleNodesToFind(5_000), 500); // 10%
    assert.equal(numFeasibleNodesToFind(10_000), 500); // 5% floor
  });
});

describe('SchedulingAlgorithm', () => {
  it('places a pod on the only feasible node and reports why the others failed', () => {
    const cache = cacheOf([
      makeNode('tainted', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      makeNode('small', { cpu: '1' }),
      makeNode('fits', { cpu: '8' }),
    ]);
    const algorithm = new SchedulingAlgorithm();
    const fits = algorithm.schedule(newPodInfo(makePod('p', { cpu: '2' })), cache);
    assert.equal(fits.kind, 'scheduled');
    assert.equal(fits.kind === 'scheduled' && fits.node, 'fits');
    const tooBig = algorithm.schedule(newPodInfo(makePod('q', { cpu: '16' })), cache);
    assert.equal(tooBig.kind, 'unschedulable');
    if (tooBig.kind !== 'unschedulable') return;
    assert.deepEqual([...tooBig.statuses].map(([node, s]) => [node, s.plugin, s.reasons.join()]).sort(), [
      ['fits', 'NodeResourcesFit', 'Insufficient cpu'],
      ['small', 'NodeResourcesFit', 'Insufficient cpu'],
      ['tainted', 'TaintToleration', 'node(s) had untolerated taint(s)'],
    ]);
  });

  it('spreads request-less pods by LeastAllocated as they are assumed', () => {
    const cache = cacheOf([makeNode('a'), makeNode('b')]);
    const algorithm = new SchedulingAlgorithm(undefined, undefined, () => 0.5);
    const placed = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const pod = newPodInfo(makePod(`p${i}`));
      const result = algorithm.schedule(pod, cache);
      assert.equal(result.kind, 'scheduled');
      if (result.kind !== 'scheduled') return;
      cache.assumePod(pod, result.node);
      placed.set(result.node, (placed.get(result.node) ?? 0) + 1);
    }
    assert.deepEqual(
      placed,
      new Map([
        ['a', 5],
        ['b', 5],
      ]),
    );
  });

  it('evaluates only a share of a large cluster, continuing round-robin on the next pod', () => {
    const cache = cacheOf(Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`)));
    const algorithm = new SchedulingAlgorithm();
    const first = algorithm.schedule(newPodInfo(makePod('p')), cache);
    assert.equal(first.kind === 'scheduled' && first.evaluatedNodes, 420);
    const second = algorithm.schedule(newPodInfo(makePod('q')), cache);
    assert.equal(second.kind === 'scheduled' && Number(second.node.slice(1)) >= 420 && Number(second.node.slice(1)) < 840, true);
  });

  it('says so when there are no nodes', () => {
    const result = new SchedulingAlgorithm().schedule(newPodInfo(makePod('p')), cacheOf([]));
    assert.equal(result.kind === 'unschedulable' && result.numAllNodes, 0);
  });

  it('does not call a filter on any node when the plugin says after PreFilter that it has nothing to check', () => {
    const cache = cacheOf([makeNode('a'), makeNode('b')]);
    const calls: string[] = [];
    const counting = (name: string, needed: boolean): FilterPlugin => ({
      name,
      events: [],
      filterNeeded: () => needed,
      filter: (_state, _pod, node) => {
        calls.push(`${name}@${node.name}`);
        return undefined;
      },
    });
    const algorithm = new SchedulingAlgorithm([counting('Skipped', false), counting('Needed', true)], []);
    assert.equal(algorithm.schedule(newPodInfo(makePod('p')), cache).kind, 'scheduled');
    assert.deepEqual(calls.sort(), ['Needed@a', 'Needed@b']);
  });
});
