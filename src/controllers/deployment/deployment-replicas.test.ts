import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeOrLatest, maxSurge, maxUnavailable, newReplicaSetReplicas, proportionalSizes, resolveFenceposts } from './deployment-replicas.js';
import type { DeploymentObject, ReplicaSetObject } from '../shared/index.js';

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', type = 'RollingUpdate'): DeploymentObject {
  return {
    metadata: { name: 'web', namespace: 'ns' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {},
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
    },
  };
}

function rs(name: string, replicas: number, created: string, annotations: Record<string, string> = {}): ReplicaSetObject {
  return { metadata: { name, namespace: 'ns', creationTimestamp: created, annotations }, spec: { replicas }, status: { replicas } };
}

test('percentages round up for surge and down for unavailable', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), [3, 2]);
  assert.deepEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
  // Both zero would deadlock a rollout: one may be unavailable.
  assert.deepEqual(resolveFenceposts(0, '10%', 5), [0, 1]);
});

test('maxSurge and maxUnavailable of a Deployment; Recreate has neither', () => {
  assert.equal(maxSurge(deployment(10)), 3);
  assert.equal(maxUnavailable(deployment(10)), 2);
  assert.equal(maxUnavailable(deployment(3, 0, 5)), 3, 'never more than the replicas');
  assert.equal(maxUnavailable(deployment(0)), 0);
  assert.equal(maxSurge(deployment(10, 1, 1, 'Recreate')), 0);
});

test('the new ReplicaSet grows by the surge left over, never past the desired count', () => {
  const d = deployment(10);
  const old = rs('old', 10, '2026-01-01T00:00:00Z');
  const fresh = rs('new', 0, '2026-01-02T00:00:00Z');
  assert.equal(newReplicaSetReplicas(d, [old, fresh], fresh), 3);
  const grown = rs('new', 3, '2026-01-02T00:00:00Z');
  assert.equal(newReplicaSetReplicas(d, [old, grown], grown), 3, 'total at 13: no room');
  const shrunk = rs('old', 2, '2026-01-01T00:00:00Z');
  assert.equal(newReplicaSetReplicas(d, [shrunk, grown], grown), 10);
  assert.equal(newReplicaSetReplicas(deployment(4, 1, 1, 'Recreate'), [old, fresh], fresh), 4);
});

test('activeOrLatest: the only active ReplicaSet, else the newest when none is active', () => {
  const a = rs('a', 0, '2026-01-01T00:00:00Z');
  const b = rs('b', 0, '2026-01-02T00:00:00Z');
  const c = rs('c', 2, '2026-01-03T00:00:00Z');
  assert.equal(activeOrLatest(undefined, [a, b])?.metadata.name, 'b');
  assert.equal(activeOrLatest(c, [a, b])?.metadata.name, 'c');
  assert.equal(activeOrLatest(c, [rs('d', 1, '2026-01-01T00:00:00Z')]), undefined);
});

test('proportional scaling spreads a resize over the active ReplicaSets by size', () => {
  // 10 replicas mid-rollout (max 13): old 8, new 5; scaled to 20 (max 25): 12 more to place.
  const d = deployment(20);
  const old = rs('old', 8, '2026-01-01T00:00:00Z', { 'deployment.kubernetes.io/max-replicas': '13' });
  const fresh = rs('new', 5, '2026-01-02T00:00:00Z', { 'deployment.kubernetes.io/max-replicas': '13' });
  const sizes = proportionalSizes(d, [old, fresh]);
  assert.equal((sizes.get('old') ?? 0) + (sizes.get('new') ?? 0), 25);
  assert.deepEqual([sizes.get('old'), sizes.get('new')], [15, 10]);
  // Scaling to zero empties everything.
  const zero = proportionalSizes(deployment(0), [old, fresh]);
  assert.deepEqual([zero.get('old'), zero.get('new')], [0, 0]);
});
