import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  newCondition,
  setCondition,
  type Status,
} from './deployment-status.js';
import type { DeploymentObject, ReplicaSetObject } from '../shared/index.js';

const deployment = (status: Status = {}, generation = 2): DeploymentObject => ({
  metadata: { name: 'web', namespace: 'ns', generation },
  spec: {
    replicas: 4,
    progressDeadlineSeconds: 600,
    selector: {},
    template: {},
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  },
  status,
});

const rs = (name: string, replicas: number, available: number): ReplicaSetObject => ({
  metadata: { name, namespace: 'ns' },
  spec: { replicas },
  status: { replicas, readyReplicas: available, availableReplicas: available },
});

test('status sums the ReplicaSets and sets Available against maxUnavailable', () => {
  const d = deployment();
  const s = calculateStatus(d, [rs('old', 2, 2), rs('new', 3, 1)], rs('new', 3, 1));
  assert.equal(s.replicas, 5);
  assert.equal(s.updatedReplicas, 3);
  assert.equal(s.availableReplicas, 3);
  assert.equal(s.unavailableReplicas, 2);
  assert.equal(s.observedGeneration, 2);
  const available = s.conditions?.find((c) => c.type === 'Available');
  assert.deepEqual([available?.status, available?.reason, available?.message], ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
  const short = calculateStatus(d, [rs('new', 4, 2)], undefined);
  assert.deepEqual(
    short.conditions?.map((c) => [c.status, c.reason]),
    [['False', 'MinimumReplicasUnavailable']],
  );
});

test('setCondition keeps lastTransitionTime while the status holds, and ignores a repeat', () => {
  const s: Status = {};
  setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'Created', Date.parse('2026-01-01T00:00:00Z')));
  setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'progressing', Date.parse('2026-01-01T00:05:00Z')));
  assert.equal(s.conditions?.length, 1);
  assert.equal(s.conditions?.[0]?.reason, 'ReplicaSetUpdated');
  assert.equal(s.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(s.conditions?.[0]?.lastUpdateTime, '2026-01-01T00:05:00Z');
  setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'again', Date.parse('2026-01-01T00:09:00Z')));
  assert.equal(s.conditions?.[0]?.lastUpdateTime, '2026-01-01T00:05:00Z');
  setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'late', Date.parse('2026-01-01T00:10:00Z')));
  assert.equal(s.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:10:00Z');
});

test('complete, progressing and timed out', () => {
  const d = deployment({ replicas: 4, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 });
  assert.ok(deploymentComplete(d, { replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 2 }));
  assert.ok(!deploymentComplete(d, { replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 1 }));
  assert.ok(deploymentProgressing(d, { replicas: 4, updatedReplicas: 3, availableReplicas: 2, readyReplicas: 2 }));
  assert.ok(!deploymentProgressing(d, { replicas: 4, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 }));
  const start = Date.parse('2026-01-01T00:00:00Z');
  const s: Status = {};
  setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', start));
  assert.ok(!deploymentTimedOut(d, s, start + 599_000));
  assert.ok(deploymentTimedOut(d, s, start + 601_000));
  const done: Status = {};
  setCondition(done, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'x', start));
  assert.ok(!deploymentTimedOut(d, done, start + 10_000_000));
});
