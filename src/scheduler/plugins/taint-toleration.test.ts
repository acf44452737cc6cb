import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.test-support.js';
import { taintTolerationPlugin } from './taint-toleration.js';

describe('TaintToleration', () => {
  const cache = cacheOf([
    makeNode('plain'),
    makeNode('master', { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] }),
    makeNode('soft', { taints: [{ key: 'spot', value: 'yes', effect: 'PreferNoSchedule' }] }),
  ]);

  it('rejects untolerated NoSchedule taints with kube 1.35 wording', () => {
    const status = runFilter(taintTolerationPlugin, makePod('p'), cache, 'master');
    assert.equal(status?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(status?.reasons, ['node(s) had untolerated taint(s)']);
    assert.equal(runFilter(taintTolerationPlugin, makePod('p'), cache, 'soft'), undefined);
  });

  it('scores nodes with untolerated PreferNoSchedule taints lower', () => {
    const scores = runScore(taintTolerationPlugin, makePod('p'), cache);
    assert.equal(scores.get('plain'), 100);
    assert.equal(scores.get('soft'), 0);
    const tolerating = runScore(taintTolerationPlugin, makePod('p', { tolerations: [{ key: 'spot', operator: 'Exists' }] }), cache);
    assert.equal(tolerating.get('soft'), 100);
  });
});
