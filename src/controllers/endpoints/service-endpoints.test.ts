import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { endpointSubsets, findPort, shouldPodBeInEndpoints } from './service-endpoints.js';
import { TriggerTimeTracker } from './trigger-time-tracker.js';

function pod(name: string, ip: string, ready: boolean, extra: { phase?: string; deleting?: boolean; hostname?: string; subdomain?: string } = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' }, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'node-a',
      ...(extra.hostname ? { hostname: extra.hostname } : {}),
      ...(extra.subdomain ? { subdomain: extra.subdomain } : {}),
      containers: [
        {
          name: 'c',
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
          ],
        },
      ],
    },
    status: {
      phase: extra.phase ?? 'Running',
      podIP: ip,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:05Z' }],
    },
  };
}

const service = (spec: Service['spec']): Service => ({
  metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ...spec },
});

test('ports resolve by number or by container port name and protocol', () => {
  const p = pod('a', '10.0.0.1', true);
  assert.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080);
  assert.equal(findPort(p, { port: 80, targetPort: 'dns' }), undefined, 'dns is UDP');
  assert.equal(findPort(p, { port: 53, protocol: 'UDP', targetPort: 'dns' }), 53);
  assert.equal(findPort(p, { port: 81 }), 81);
});

test('terminal, address-less and (unless tolerated) terminating pods are left out', () => {
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', true, { phase: 'Succeeded' }), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '', true), true), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', true, { deleting: true }), false), false);
  assert.equal(shouldPodBeInEndpoints(pod('a', '10.0.0.1', true, { deleting: true }), true), true);
});

test('subsets group addresses by the ports they serve, ready apart from not ready, sorted by IP', () => {
  const svc = service({
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'alt', port: 81, targetPort: 'alt' },
    ],
  });
  const other = pod('c', '10.0.0.3', true);
  other.spec!.containers[0]!.ports!.push({ name: 'alt', containerPort: 8081 });
  const subsets = endpointSubsets(svc, [pod('b', '10.0.0.10', false), pod('a', '10.0.0.2', true), other, pod('gone', '10.0.0.9', true, { deleting: true })]);
  const ref = (n: string) => ({ kind: 'Pod', namespace: 'ns', name: n, uid: `uid-${n}` });
  assert.deepEqual(subsets, [
    {
      addresses: [{ ip: '10.0.0.2', nodeName: 'node-a', targetRef: ref('a') }],
      notReadyAddresses: [{ ip: '10.0.0.10', nodeName: 'node-a', targetRef: ref('b') }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    {
      addresses: [{ ip: '10.0.0.3', nodeName: 'node-a', targetRef: ref('c') }],
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'alt', port: 8081, protocol: 'TCP' },
      ],
    },
  ]);
});

test('publishNotReadyAddresses and hostnames for the service subdomain', () => {
  const svc = service({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 8080 }] });
  const subsets = endpointSubsets(svc, [
    pod('a', '10.0.0.1', false, { hostname: 'a', subdomain: 'web' }),
    pod('b', '10.0.0.2', false, { hostname: 'b', subdomain: 'other' }),
  ]);
  assert.deepEqual(
    subsets[0]?.addresses?.map((a) => [a.ip, a.hostname]),
    [
      ['10.0.0.1', 'a'],
      ['10.0.0.2', undefined],
    ],
  );
  // A headless service without ports still lists its pods.
  assert.equal(endpointSubsets(service({ clusterIP: 'None' }), [pod('a', '10.0.0.1', true)])[0]?.addresses?.[0]?.ip, '10.0.0.1');
  assert.deepEqual(endpointSubsets(service({}), [pod('a', '10.0.0.1', true)]), [], 'a service with a cluster IP and no ports gets none');
});

test('the trigger time is the service creation first, then the earliest readiness change not yet written', () => {
  const t = new TriggerTimeTracker();
  const svc = service({});
  assert.equal(t.compute('ns/web', svc, [pod('a', '10.0.0.1', true)]), '2026-01-01T00:00:00Z');
  assert.equal(t.compute('ns/web', svc, [pod('a', '10.0.0.1', true)]), undefined);
  const later = pod('b', '10.0.0.2', true);
  later.status!.conditions![0]!.lastTransitionTime = '2026-01-01T00:01:00.5Z';
  assert.equal(t.compute('ns/web', svc, [pod('a', '10.0.0.1', true), later]), '2026-01-01T00:01:00.5Z');
});
