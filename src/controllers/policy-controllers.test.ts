import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../client/index.js';
import { DisruptionController } from './disruption-controller.js';
import { fakeCluster, until } from './fake-cluster.test-support.js';
import { ResourceQuotaController } from './resource-quota-controller.js';
import { ServiceAccountController } from './service-account-controller.js';

const obj = (namespace: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { namespace, name, uid: `${namespace}-${name}`, resourceVersion: '1' },
  ...extra,
});
const readyPod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
  ({
    ...obj('ns', name),
    metadata: { ...obj('ns', name).metadata, labels },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  }) as KubeObject;

const empty = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, [] as KubeObject[]]));
const core = [
  '/api/v1/pods',
  '/api/v1/services',
  '/api/v1/persistentvolumeclaims',
  '/api/v1/configmaps',
  '/api/v1/secrets',
  '/api/v1/replicationcontrollers',
  '/api/v1/resourcequotas',
];
const scalables = ['/api/v1/replicationcontrollers', '/apis/apps/v1/replicasets', '/apis/apps/v1/deployments', '/apis/apps/v1/statefulsets'];

async function running(run: (signal: AbortSignal) => Promise<void>, startInformers: (signal: AbortSignal) => void, body: () => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const done = run(stop.signal);
  startInformers(stop.signal);
  try {
    await body();
  } finally {
    stop.abort();
    await done;
  }
}

describe('policy controllers against a fake API', () => {
  test('the quota controller writes status.hard and status.used counted from the informers', async () => {
    const { ctx, actions, informers } = fakeCluster({
      ...empty(...core),
      '/api/v1/resourcequotas': [obj('ns', 'q', { spec: { hard: { pods: '5', 'requests.cpu': '2000m', 'count/configmaps': '3' } } })],
      '/api/v1/pods': [
        obj('ns', 'a', { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '250m' } } }] }, status: { phase: 'Running' } }),
        obj('ns', 'done', { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] }, status: { phase: 'Succeeded' } }),
        obj('other', 'b', { spec: { containers: [{ name: 'c' }] } }),
      ],
      '/api/v1/configmaps': [obj('ns', 'x'), obj('ns', 'y')],
    });
    const controller = new ResourceQuotaController(ctx);
    await running(
      (s) => controller.run(s),
      (s) => informers.start(s),
      async () => {
        await until('a status write', () => actions.length > 0);
        assert.equal(actions[0]!.method, 'PUT');
        assert.equal(actions[0]!.path, '/api/v1/namespaces/ns/resourcequotas/q/status');
        assert.deepEqual((actions[0]!.body as { status: unknown }).status, {
          hard: { 'count/configmaps': '3', pods: '5', 'requests.cpu': '2' },
          used: { 'count/configmaps': '2', pods: '1', 'requests.cpu': '250m' },
        });
      },
    );
  });

  test('the ServiceAccount controller creates default only where it is missing', async () => {
    const ns = (name: string, phase = 'Active') => ({ metadata: { name, uid: name, resourceVersion: '1' }, status: { phase } }) as KubeObject;
    const { ctx, actions, informers } = fakeCluster({
      '/api/v1/namespaces': [ns('has'), ns('lacks'), ns('going', 'Terminating')],
      '/api/v1/serviceaccounts': [obj('has', 'default')],
    });
    const controller = new ServiceAccountController(ctx);
    await running(
      (s) => controller.run(s),
      (s) => informers.start(s),
      async () => {
        await until('a create', () => actions.length > 0);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(
          actions.map((a) => [a.method, a.path, (a.body as KubeObject).metadata.name]),
          [['POST', '/api/v1/namespaces/lacks/serviceaccounts', 'default']],
        );
      },
    );
  });

  test('the disruption controller counts healthy pods against maxUnavailable and the owner scale', async () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true };
    const pods = [
      readyPod('web-a', { app: 'web' }),
      readyPod('web-b', { app: 'web' }),
      { ...readyPod('web-c', { app: 'web' }), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } } as KubeObject,
      readyPod('other', { app: 'db' }),
    ].map((p) => ({ ...p, metadata: { ...p.metadata, ownerReferences: [owner] } }));
    const { ctx, actions, informers } = fakeCluster({
      ...empty(...scalables),
      '/api/v1/pods': pods,
      '/apis/apps/v1/replicasets': [
        {
          metadata: {
            namespace: 'ns',
            name: 'web-1',
            uid: 'rs-uid',
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }],
          },
        },
      ],
      '/apis/apps/v1/deployments': [{ metadata: { namespace: 'ns', name: 'web', uid: 'd-uid' }, spec: { replicas: 4 } } as KubeObject],
      '/apis/policy/v1/poddisruptionbudgets': [obj('ns', 'web', { spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } } })],
    });
    const controller = new DisruptionController(ctx);
    await running(
      (s) => controller.run(s),
      (s) => informers.start(s),
      async () => {
        await until('a status write', () => actions.some((a) => a.method === 'PUT'));
        const write = actions.find((a) => a.method === 'PUT')!;
        assert.equal(write.path, '/apis/policy/v1/namespaces/ns/poddisruptionbudgets/web/status');
        const status = (write.body as { status: Record<string, unknown> }).status;
        assert.deepEqual(
          { ...status, conditions: (status.conditions as Array<Record<string, unknown>>).map((c) => [c.type, c.status, c.reason]) },
          {
            disruptionsAllowed: 0,
            currentHealthy: 2,
            desiredHealthy: 3,
            expectedPods: 4,
            observedGeneration: 0,
            conditions: [['DisruptionAllowed', 'False', 'InsufficientPods']],
          },
        );
      },
    );
  });
});
