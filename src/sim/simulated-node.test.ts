import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthyConditions, nodeLease, simulatedNode, simulatedNodeIp } from './simulated-node.js';

const t0 = Date.parse('2026-11-22T10:00:00Z');

test('a simulated node registers as a kubelet does', () => {
  const node = simulatedNode('sim-3', 3, { cpu: '8', memory: '32Gi', pods: '110', ephemeralStorage: '100Gi' }, t0);
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'sim-3');
  assert.equal(node.metadata?.labels?.['type'], 'skiff-sim');
  assert.deepEqual(node.status?.allocatable, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' });
  assert.deepEqual(node.status?.addresses, [
    { type: 'InternalIP', address: '172.16.0.4' },
    { type: 'Hostname', address: 'sim-3' },
  ]);
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.35.0');
  assert.equal(node.status?.conditions?.map((c) => `${c.type}=${c.status}`).join(' '), 'MemoryPressure=False DiskPressure=False PIDPressure=False Ready=True');
});

test('node IPs skip the network and broadcast addresses', () => {
  assert.deepEqual([0, 253, 254, 5000].map(simulatedNodeIp), ['172.16.0.1', '172.16.0.254', '172.16.1.1', '172.16.19.175']);
});

test('heartbeats move on while transition times stay, unless the status changed', () => {
  const before = healthyConditions(t0);
  const unknown = before.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c));
  unknown.push({ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' });
  const after = healthyConditions(t0 + 60_000, unknown);
  const ready = after.find((c) => c.type === 'Ready')!;
  const memory = after.find((c) => c.type === 'MemoryPressure')!;
  assert.deepEqual([ready.lastHeartbeatTime, ready.lastTransitionTime], ['2026-11-22T10:01:00Z', '2026-11-22T10:01:00Z']);
  assert.deepEqual([memory.lastHeartbeatTime, memory.lastTransitionTime], ['2026-11-22T10:01:00Z', '2026-11-22T10:00:00Z']);
  assert.equal(after.at(-1)?.type, 'NetworkUnavailable');
});

test('the lease is owned by its node and renewed with microsecond time', () => {
  const lease = nodeLease('sim-0', 'uid-1', t0 + 123);
  assert.deepEqual(lease.spec, { holderIdentity: 'sim-0', leaseDurationSeconds: 40, renewTime: '2026-11-22T10:00:00.123000Z' });
  assert.deepEqual(lease.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'sim-0', uid: 'uid-1' }]);
  assert.equal(lease.metadata?.namespace, 'kube-node-lease');
});
