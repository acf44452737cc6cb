import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { desiredEndpoints, reconcileSlices, type DesiredEndpoint } from './slice-reconciler.js';

const svc: Service = {
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { tier: 'front' } },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

function pod(i: number, ready = true, deleting = false): Pod {
  return {
    metadata: { name: `p${i}`, namespace: 'ns', uid: `uid-${i}`, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const desired = (pods: Pod[]) => new Map([['IPv4' as const, desiredEndpoints(svc, pods, 'IPv4', () => 'zone-1')]]);

test('endpoint conditions: terminating pods are never ready, serving follows readiness', () => {
  const d: DesiredEndpoint[] = desiredEndpoints(svc, [pod(1), pod(2, false), pod(3, true, true)], 'IPv4', () => undefined);
  assert.deepEqual(
    d.map((e) => e.endpoint.conditions),
    [
      { ready: true, serving: true, terminating: false },
      { ready: false, serving: false, terminating: false },
      { ready: false, serving: true, terminating: true },
    ],
  );
  assert.deepEqual(d[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
});

test('new slices hold at most 100 endpoints, labelled and owned by the service', () => {
  const plan = reconcileSlices(svc, [], desired(Array.from({ length: 250 }, (_, i) => pod(i))), '2026-01-01T00:00:00Z');
  assert.deepEqual(
    plan.create.map((s) => s.endpoints.length),
    [100, 100, 50],
  );
  const s = plan.create[0]!;
  assert.equal(s.metadata?.generateName, 'web-');
  assert.deepEqual(s.metadata?.labels, {
    tier: 'front',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
  assert.deepEqual(s.metadata?.annotations, { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z' });
  assert.equal(s.metadata?.ownerReferences?.[0]?.uid, 'svc-uid');
  assert.equal(s.addressType, 'IPv4');
});

test('existing slices are kept, updated in place and filled before new ones are made', () => {
  const first = reconcileSlices(svc, [], desired([pod(1), pod(2)]), undefined).create[0]!;
  const existing: EndpointSlice = { ...first, metadata: { ...first.metadata, name: 'web-abcde', resourceVersion: '7' } };
  assert.deepEqual(reconcileSlices(svc, [existing], desired([pod(1), pod(2)]), undefined), { create: [], update: [], delete: [] });
  const plan = reconcileSlices(svc, [existing], desired([pod(1, false), pod(3)]), undefined);
  assert.deepEqual(plan.create, []);
  assert.deepEqual(plan.delete, []);
  assert.deepEqual(
    plan.update[0]?.endpoints.map((e) => `${e.addresses[0]} ${e.conditions?.ready}`),
    ['10.0.0.2 false', '10.0.0.4 true'],
  );
  assert.equal(plan.update[0]?.metadata?.name, 'web-abcde');
});

test('a service without endpoints keeps one placeholder slice', () => {
  const plan = reconcileSlices(svc, [], desired([]), undefined);
  assert.deepEqual(
    plan.create.map((s) => [s.endpoints, s.ports]),
    [[[], []]],
  );
  const placeholder = { ...plan.create[0]!, metadata: { ...plan.create[0]!.metadata, name: 'web-xyz12' } };
  assert.deepEqual(reconcileSlices(svc, [placeholder], desired([]), undefined), { create: [], update: [], delete: [] });
  const filled = reconcileSlices(svc, [placeholder], desired([pod(1)]), undefined);
  assert.equal(filled.create.length, 1);
  assert.deepEqual(filled.delete, [placeholder]);
});
