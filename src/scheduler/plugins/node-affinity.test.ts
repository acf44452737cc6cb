import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.test-support.js';
import { nodeAffinityPlugin } from './node-affinity.js';

describe('NodeAffinity', () => {
  const cache = cacheOf([makeNode('ssd', { labels: { disk: 'ssd', gen: '5' } }), makeNode('hdd', { labels: { disk: 'hdd', gen: '3' } })]);
  const reason = "node(s) didn't match Pod's node affinity/selector";

  it('applies nodeSelector', () => {
    const pod = makePod('p', { nodeSelector: { disk: 'ssd' } });
    assert.equal(runFilter(nodeAffinityPlugin, pod, cache, 'ssd'), undefined);
    assert.deepEqual(runFilter(nodeAffinityPlugin, pod, cache, 'hdd')?.reasons, [reason]);
  });

  it('ORs required terms and ANDs their expressions, with Gt, NotIn and matchFields', () => {
    const pod = makePod('p', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['nowhere'] }] },
            ],
          },
        },
      },
    });
    assert.equal(runFilter(nodeAffinityPlugin, pod, cache, 'ssd'), undefined);
    assert.equal(runFilter(nodeAffinityPlugin, pod, cache, 'hdd')?.code, 'UnschedulableAndUnresolvable');
    const notIn = makePod('q', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'disk', operator: 'NotIn', values: ['ssd'] },
                  { key: 'zone', operator: 'DoesNotExist' },
                ],
              },
            ],
          },
        },
      },
    });
    assert.equal(runFilter(nodeAffinityPlugin, notIn, cache, 'hdd'), undefined);
    assert.ok(runFilter(nodeAffinityPlugin, notIn, cache, 'ssd'));
  });

  it('scores preferred terms by weight, scaled to the best node', () => {
    const pod = makePod('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            { weight: 5, preference: { matchExpressions: [{ key: 'gen', operator: 'Exists' }] } },
          ],
        },
      },
    });
    const scores = runScore(nodeAffinityPlugin, pod, cache);
    assert.equal(scores.get('ssd'), 100);
    assert.equal(scores.get('hdd'), 20);
  });
});
