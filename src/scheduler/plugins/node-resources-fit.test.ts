import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.test-support.js';
import { nodeResourcesFitPlugin } from './node-resources-fit.js';

describe('NodeResourcesFit', () => {
  const cache = cacheOf(
    [makeNode('small', { cpu: '1', memory: '1Gi', pods: '2' }), makeNode('big', { cpu: '8', memory: '16Gi', extra: { 'example.com/gpu': '1' } })],
    [makePod('running', { nodeName: 'small', cpu: '600m', memory: '512Mi' })],
  );

  it('fits requests against allocatable minus what is already requested', () => {
    assert.equal(runFilter(nodeResourcesFitPlugin, makePod('p', { cpu: '400m' }), cache, 'small'), undefined);
    const status = runFilter(nodeResourcesFitPlugin, makePod('p', { cpu: '500m', memory: '768Mi' }), cache, 'small');
    assert.equal(status?.code, 'Unschedulable');
    assert.deepEqual(status?.reasons, ['Insufficient cpu', 'Insufficient memory']);
  });

  it('counts pods against the pods allocatable', () => {
    const full = cacheOf([makeNode('n', { pods: '1' })], [makePod('a', { nodeName: 'n' })]);
    assert.deepEqual(runFilter(nodeResourcesFitPlugin, makePod('p'), full, 'n')?.reasons, ['Too many pods']);
  });

  it('checks extended resources', () => {
    const gpu = makePod('p');
    gpu.spec!.containers[0]!.resources = { requests: { 'example.com/gpu': '1' } };
    assert.equal(runFilter(nodeResourcesFitPlugin, gpu, cache, 'big'), undefined);
    assert.deepEqual(runFilter(nodeResourcesFitPlugin, gpu, cache, 'small')?.reasons, ['Insufficient example.com/gpu']);
  });

  it('scores the least allocated node highest (LeastAllocated over cpu and memory)', () => {
    const scores = runScore(nodeResourcesFitPlugin, makePod('p', { cpu: '100m', memory: '128Mi' }), cache);
    // big: cpu (8000-100)/8000 → 98, memory (16Gi-128Mi)/16Gi → 99; average 98
    assert.equal(scores.get('big'), 98);
    // small: cpu (1000-700)/1000 → 30, memory (1024-640)/1024 → 37; average 33
    assert.equal(scores.get('small'), 33);
  });
});
