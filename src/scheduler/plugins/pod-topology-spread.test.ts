import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { FieldPath, labelSelectorFromObject } from '../../api/index.js';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.test-support.js';
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

describe('PodTopologySpread system defaults (pods without constraints)', () => {
  const owned = (name: string, nodeName?: string) => {
    const pod = makePod(name, { labels: { app: 'web' }, ...(nodeName ? { nodeName } : {}) });
    pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true }];
    return pod;
  };

  it('spreads a ReplicaSet pod away from the node and zone holding its siblings', () => {
    const cache = cacheOf([...nodes, makeNode('a2', { labels: { [zone]: 'a' } })], [owned('w1', 'a1'), owned('w2', 'a1')]);
    cache.spreadSelectors = () => labelSelectorFromObject({ matchLabels: { app: 'web' } }, FieldPath.root('selector')).selector;
    const scores = runScore(podTopologySpreadPlugin, owned('w3'), cache);
    // b1 is in the empty zone and holds no sibling; a2 shares a1's zone; a1 holds both siblings.
    const [a1, a2, b1, nozone] = ['a1', 'a2', 'b1', 'nozone'].map((n) => scores.get(n) ?? -1) as [number, number, number, number];
    assert.ok(b1 > a2 && a2 > a1, JSON.stringify([...scores]));
    // Without a zone label a node still takes part, by hostname alone (with the pod's own constraints it would score 0).
    assert.ok(nozone > a1, JSON.stringify([...scores]));
  });

  it('skips a pod nothing selects', () => {
    const cache = cacheOf(nodes, [owned('w1', 'a1')]);
    cache.spreadSelectors = () => undefined;
    assert.equal(runScore(podTopologySpreadPlugin, owned('w2'), cache).size, 0);
  });
});
