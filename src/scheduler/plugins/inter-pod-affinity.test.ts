import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheOf, makeNode, makePod, runFilter, runScore } from '../test-objects.test-support.js';
import { interPodAffinityPlugin } from './inter-pod-affinity.js';

const zone = 'topology.kubernetes.io/zone';
const nodes = [
  makeNode('a1', { labels: { [zone]: 'a' } }),
  makeNode('a2', { labels: { [zone]: 'a' } }),
  makeNode('b1', { labels: { [zone]: 'b' } }),
  makeNode('nozone'),
];
const term = (app: string, topologyKey: string) => ({ labelSelector: { matchLabels: { app } }, topologyKey });

describe('InterPodAffinity filter', () => {
  const cache = cacheOf(nodes, [makePod('db', { nodeName: 'a1', labels: { app: 'db' } })]);

  it('requires a matching pod in the same topology domain', () => {
    const pod = makePod('web', { labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone)] } } });
    assert.equal(runFilter(interPodAffinityPlugin, pod, cache, 'a2'), undefined);
    const status = runFilter(interPodAffinityPlugin, pod, cache, 'b1');
    assert.equal(status?.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(status?.reasons, ["node(s) didn't match pod affinity rules"]);
    assert.ok(runFilter(interPodAffinityPlugin, pod, cache, 'nozone'));
  });

  it('lets the first pod of a self-selecting group go anywhere with the topology key', () => {
    const pod = makePod('first', {
      labels: { app: 'cache' },
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', zone)] } },
    });
    assert.equal(runFilter(interPodAffinityPlugin, pod, cache, 'b1'), undefined);
    assert.ok(runFilter(interPodAffinityPlugin, pod, cache, 'nozone'));
  });

  it('keeps a pod away from domains holding pods its anti-affinity selects', () => {
    const pod = makePod('db2', {
      labels: { app: 'db' },
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone)] } },
    });
    assert.deepEqual(runFilter(interPodAffinityPlugin, pod, cache, 'a2')?.reasons, ["node(s) didn't match pod anti-affinity rules"]);
    assert.equal(runFilter(interPodAffinityPlugin, pod, cache, 'b1'), undefined);
  });

  it("honours existing pods' anti-affinity against the incoming pod", () => {
    const guarded = cacheOf(nodes, [
      makePod('lonely', {
        nodeName: 'b1',
        labels: { app: 'lonely' },
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('noisy', 'kubernetes.io/hostname')] } },
      }),
    ]);
    const noisy = makePod('noisy', { labels: { app: 'noisy' } });
    const status = runFilter(interPodAffinityPlugin, noisy, guarded, 'b1');
    assert.equal(status?.code, 'Unschedulable');
    assert.deepEqual(status?.reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
    assert.equal(runFilter(interPodAffinityPlugin, noisy, guarded, 'a1'), undefined);
  });

  it('looks only in the namespaces a term names', () => {
    const pod = makePod('web', {
      namespace: 'other',
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term('db', zone), namespaces: ['default'] }] } },
    });
    assert.equal(runFilter(interPodAffinityPlugin, pod, cache, 'a2'), undefined);
    const ownNamespace = makePod('web', {
      namespace: 'other',
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone)] } },
    });
    assert.ok(runFilter(interPodAffinityPlugin, ownNamespace, cache, 'a2'));
  });
});

describe('InterPodAffinity score', () => {
  it('scores domains by preferred affinity weights, normalized between the worst and best node', () => {
    const cache = cacheOf(nodes, [makePod('db', { nodeName: 'a1', labels: { app: 'db' } }), makePod('noisy', { nodeName: 'b1', labels: { app: 'noisy' } })]);
    const pod = makePod('web', {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', zone) }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('noisy', zone) }] },
      },
    });
    const scores = runScore(interPodAffinityPlugin, pod, cache);
    assert.equal(scores.get('a1'), 100);
    assert.equal(scores.get('a2'), 100);
    assert.equal(scores.get('nozone'), 50);
    assert.equal(scores.get('b1'), 0);
  });
});
