import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { conditionTaints, reconcileTaints, tolerationSeconds, unknownConditions, zoneStates } from './node-health.js';

const healthy: Node = {
  metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z' },
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: 'h', lastTransitionTime: 't' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: 'h', lastTransitionTime: 't' },
      { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', lastTransitionTime: 't' },
    ],
  },
};

test('a silent node has its kubelet conditions turned Unknown, missing ones added as never updated', () => {
  const conditions = unknownConditions(healthy, 'now')!;
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]),
    [
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', 'h', 'now'],
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', 'h', 'now'],
      ['NetworkUnavailable', 'False', 'RouteCreated', undefined, undefined, 't'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', '2026-01-01T00:00:00Z', 'now'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', '2026-01-01T00:00:00Z', 'now'],
    ],
  );
  assert.equal(unknownConditions({ ...healthy, status: { conditions } }, 'later'), undefined, 'already Unknown: nothing to write');
});

test('taints follow the conditions', () => {
  const withReady = (status: string, extra: Node['spec'] = {}): Node => ({
    metadata: { name: 'n' },
    spec: extra,
    status: {
      conditions: [
        { type: 'Ready', status },
        { type: 'DiskPressure', status: 'True' },
      ],
    },
  });
  assert.deepEqual(conditionTaints(withReady('True')), [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }]);
  assert.deepEqual(conditionTaints(withReady('Unknown', { unschedulable: true })), [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
  ]);
  assert.deepEqual(
    conditionTaints(withReady('False')).map((t) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute'],
  );
});

test('reconciling taints keeps foreign ones, stamps new NoExecute ones and drops stale managed ones', () => {
  const existing = [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'before' },
  ];
  const desired = [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
  ];
  assert.deepEqual(reconcileTaints(existing, desired, 'now'), [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'now' },
  ]);
  assert.equal(reconcileTaints(existing, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], 'now'), undefined);
  assert.deepEqual(reconcileTaints(existing, [], 'now'), [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
});

test('a pod may stay for the smallest tolerationSeconds it uses; not at all when a taint is not tolerated', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
  const pod = (tolerations: NonNullable<NonNullable<Pod['spec']>['tolerations']>): Pod => ({ spec: { containers: [], tolerations } });
  assert.equal(tolerationSeconds(pod([]), [unreachable]), 0);
  assert.equal(tolerationSeconds(pod([{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), [unreachable]), 300);
  assert.equal(tolerationSeconds(pod([{ operator: 'Exists' }]), [unreachable, notReady]), Infinity);
  assert.equal(
    tolerationSeconds(pod([{ operator: 'Exists' }, { key: unreachable.key, operator: 'Exists', tolerationSeconds: 2 }]), [unreachable, notReady]),
    2,
  );
  assert.equal(tolerationSeconds(pod([{ operator: 'Exists', tolerationSeconds: -5 }]), [notReady]), 0);
  assert.equal(tolerationSeconds(pod([{ key: unreachable.key, operator: 'Exists' }]), [unreachable, notReady]), 0);
});

test('zones are judged by how many of their nodes are ready', () => {
  const node = (zone: string, ready: string): Node => ({
    metadata: { name: 'n', labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  });
  const states = zoneStates([
    node('', 'True'),
    node('', 'Unknown'),
    node('a', 'Unknown'),
    node('a', 'False'),
    node('b', 'True'),
    ...['Unknown', 'Unknown', 'Unknown', 'True', 'True'].map((s) => node('c', s)),
    ...['Unknown', 'Unknown', 'True', 'True', 'True'].map((s) => node('d', s)),
  ]);
  assert.deepEqual(Object.fromEntries([...states].map(([z, s]) => [z.replace(':\0:', '/'), s])), {
    '': 'Normal',
    '/a': 'FullDisruption',
    '/b': 'Normal',
    '/c': 'PartialDisruption',
    '/d': 'Normal',
  });
});
