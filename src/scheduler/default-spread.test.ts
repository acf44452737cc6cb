import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import { defaultSpreadSelector, type SpreadListers } from './default-spread.js';
import { newPodInfo } from './pod-info.js';
import { makePod } from './test-objects.test-support.js';

const listers = (services: Service[], rsSelector?: Record<string, unknown>): SpreadListers => ({
  services: (ns) => services.filter((s) => (s.metadata?.namespace ?? 'default') === ns),
  replicationController: () => undefined,
  replicaSet: (_ns, name) => (name === 'web-1' && rsSelector ? { spec: { selector: rsSelector } } : undefined),
  statefulSet: () => undefined,
});

const service = (selector?: Record<string, string>): Service => ({ metadata: { name: 's', namespace: 'default' }, spec: selector ? { selector } : {} });

test('the selectors of matching Services and of the controlling ReplicaSet, merged', () => {
  const pod = makePod('p', { labels: { app: 'web', tier: 'front', 'pod-template-hash': 'abc' } });
  pod.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }];
  const selector = defaultSpreadSelector(
    newPodInfo(pod),
    listers([service({ tier: 'front' }), service({ app: 'other' }), service()], { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }),
  );
  assert.equal(selector?.toString(), 'app=web,pod-template-hash=abc,tier=front');
});

test('nothing when no Service matches and no known controller owns the pod', () => {
  const pod = makePod('p', { labels: { app: 'web' } });
  assert.equal(defaultSpreadSelector(newPodInfo(pod), listers([service({ app: 'other' })])), undefined);
});
