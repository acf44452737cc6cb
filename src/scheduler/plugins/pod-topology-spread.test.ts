import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.js';
import { podTopologySpreadPlugin } from './pod-topology-spread.js';

const zone = 'topology.kubernetes.io/zone';
const nodes = [makeNode('a1', { labels: { [zone]: 'a' } }), makeNode('b1', { labels: { [zone]: 'b' } }), makeNode('nozone')];
const spread = (when: string, maxSkew = 1): TopologySpreadConstraint[] => [
  { maxSkew, topologyKey: zone, whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } } },
];

describe('PodTopologySpread filter (DoNotSchedule)', () => {
  const cache = cacheOf(nodes, [makePod('w1', { nodeName: 'a1', labels: { app: 'web' } })]);

  it('rejects the domain that would exceed maxSkew over the emptiest one', () => {
    const pod = makePod('w2', { labels: { app: 'web' }, spread: spread('DoNotSchedule') });
    const status = runFilter(podTopologySpreadPlugin, pod, cache, 'a1');
    assert.equal(status?.code, 'Unschedulable');
    assert.deepEqual(status?.reasons, ["node(s) didn't match pod topology spread constraints"]);
    assert.equal(runFilter(podTopologySpreadPlugin, pod, cache, 'b1'), undefined);
  });

  it('rejects nodes without the topology key unresolvably', () => {
    const pod = makePod('w2', { labels: { app: 'web' }, spread: spread('DoNotSchedule') });
    const status = runFilter(podTopologySpreadPlugin, pod, cache, 'nozone');
    assert.equal(status?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(status?.reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"]);
  });

  it('allows the skew when maxSkew is larger', () => {
    const pod = makePod('w2', { labels: { app: 'web' }, spread: spread('DoNotSchedule', 2) });
    assert.equal(runFilter(podTopologySpreadPlugin, pod, cache, 'a1'), undefined);
  });
});

describe('PodTopologySpread score (ScheduleAnyway)', () => {
  it('prefers the domain with fewer matching pods', () => {
    const cache = cacheOf(nodes, [makePod('w1', { nodeName: 'a1', labels: { app: 'web' } }), makePod('w2', { nodeName: 'a1', labels: { app: 'web' } })]);
    const scores = runScore(podTopologySpreadPlugin, makePod('w3', { labels: { app: 'web' }, spread: spread('ScheduleAnyway') }), cache);
    assert.equal(scores.get('b1'), 100);
    assert.ok((scores.get('a1') ?? 100) < 100);
    assert.equal(scores.get('nozone'), 0);
  });
});
