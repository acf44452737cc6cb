import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter } from '../test-objects.test-support.js';
import { nodeNamePlugin } from './node-name.js';

describe('NodeName', () => {
  const cache = cacheOf([makeNode('a'), makeNode('b')]);
  it('lets a pod without spec.nodeName anywhere', () => {
    assert.equal(runFilter(nodeNamePlugin, makePod('p'), cache, 'a'), undefined);
  });
  it('keeps a pod naming a node off the others, unresolvably', () => {
    const pod = makePod('p', { nodeName: 'b' });
    assert.equal(runFilter(nodeNamePlugin, pod, cache, 'b'), undefined);
    const status = runFilter(nodeNamePlugin, pod, cache, 'a');
    assert.equal(status?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(status?.reasons, ["node(s) didn't match the requested node name"]);
  });
});
