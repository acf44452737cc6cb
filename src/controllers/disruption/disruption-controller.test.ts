import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { emptyLists, fakeCluster, namespaced as obj, running, until } from '../shared/fake-cluster.test-support.js';
import { DisruptionController } from './disruption-controller.js';

const readyPod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
  ({
    ...obj('ns', name),
    metadata: { ...obj('ns', name).metadata, labels },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  }) as KubeObject;

const scalables = ['/api/v1/replicationcontrollers', '/apis/apps/v1/replicasets', '/apis/apps/v1/deployments', '/apis/apps/v1/statefulsets'];

test('the disruption controller counts healthy pods against maxUnavailable and the owner scale', async () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true };
  const pods = [
    readyPod('web-a', { app: 'web' }),
    readyPod('web-b', { app: 'web' }),
    { ...readyPod('web-c', { app: 'web' }), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } } as KubeObject,
    readyPod('other', { app: 'db' }),
  ].map((p) => ({ ...p, metadata: { ...p.metadata, ownerReferences: [owner] } }));
  const { ctx, actions, informers } = fakeCluster({
    ...emptyLists(...scalables),
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
