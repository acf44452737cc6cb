import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newPodInfo } from './pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import { makeNode, makePod } from './test-objects.test-support.js';

describe('SchedulerCache', () => {
  it('counts an assumed pod at once and keeps it when the bound pod arrives', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n'));
    const pod = makePod('p', { cpu: '1' });
    cache.assumePod(newPodInfo(pod), 'n');
    assert.equal(cache.node('n')?.requested.milliCPU, 1000);
    assert.ok(cache.isAssumed('default/p'));
    // A stale update without nodeName must not undo the assumption.
    cache.addOrUpdatePod(pod);
    assert.equal(cache.node('n')?.requested.milliCPU, 1000);
    cache.addOrUpdatePod(makePod('p', { cpu: '1', nodeName: 'n' }));
    assert.ok(!cache.isAssumed('default/p'));
    assert.equal(cache.node('n')?.pods.size, 1);
  });

  it('forgets an assumption whose binding failed', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n'));
    cache.assumePod(newPodInfo(makePod('p', { cpu: '1' })), 'n');
    cache.forgetPod('default/p');
    assert.equal(cache.node('n')?.requested.milliCPU, 0);
  });

  it('drops finished pods and keeps pods of a node seen before the node', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdatePod(makePod('early', { cpu: '1', nodeName: 'late-node' }));
    assert.equal(cache.nodes.length, 0);
    cache.addOrUpdateNode(makeNode('late-node'));
    assert.equal(cache.node('late-node')?.requested.milliCPU, 1000);
    const done = makePod('early', { cpu: '1', nodeName: 'late-node' });
    cache.addOrUpdatePod({ ...done, status: { phase: 'Succeeded' } });
    assert.equal(cache.node('late-node')?.pods.size, 0);
  });

  it('counts nodes per image for ImageLocality', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('a', { images: [{ names: ['nginx:1.27'], sizeBytes: 1 }] }));
    cache.addOrUpdateNode(makeNode('b', { images: [{ names: ['nginx:1.27'], sizeBytes: 1 }] }));
    assert.equal(cache.imageNodeCount('nginx:1.27'), 2);
    cache.removeNode('a');
    assert.equal(cache.imageNodeCount('nginx:1.27'), 1);
    assert.deepEqual(
      cache.nodes.map((n) => n.name),
      ['b'],
    );
  });
});
