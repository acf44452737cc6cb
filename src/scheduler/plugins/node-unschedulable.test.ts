import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter } from '../test-objects.test-support.js';
import { nodeUnschedulablePlugin } from './node-unschedulable.js';

describe('NodeUnschedulable', () => {
  const cache = cacheOf([makeNode('open'), makeNode('cordoned', { unschedulable: true })]);
  it('rejects cordoned nodes', () => {
    assert.equal(runFilter(nodeUnschedulablePlugin, makePod('p'), cache, 'open'), undefined);
    assert.deepEqual(runFilter(nodeUnschedulablePlugin, makePod('p'), cache, 'cordoned')?.reasons, ['node(s) were unschedulable']);
  });
  it('admits pods tolerating node.kubernetes.io/unschedulable', () => {
    const pod = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.equal(runFilter(nodeUnschedulablePlugin, pod, cache, 'cordoned'), undefined);
  });
});
