import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runScore } from '../test-objects.test-support.js';
import { balancedAllocationPlugin } from './balanced-allocation.js';

describe('NodeResourcesBalancedAllocation', () => {
  it('prefers the node where cpu and memory end up equally used', () => {
    const cache = cacheOf([makeNode('even', { cpu: '4', memory: '4Gi' }), makeNode('skewed', { cpu: '4', memory: '16Gi' })]);
    const scores = runScore(balancedAllocationPlugin, makePod('p', { cpu: '2', memory: '2Gi' }), cache);
    assert.equal(scores.get('even'), 100);
    // cpu 0.5, memory 0.125: 1 - |0.5-0.125|/2 = 0.8125
    assert.equal(scores.get('skewed'), 81);
  });

  it('skips best-effort pods', () => {
    assert.equal(runScore(balancedAllocationPlugin, makePod('p'), cacheOf([makeNode('n')])).size, 0);
  });
});
