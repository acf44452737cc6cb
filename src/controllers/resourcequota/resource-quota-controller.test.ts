import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyLists, fakeCluster, namespaced as obj, running, until } from '../shared/fake-cluster.test-support.js';
import { ResourceQuotaController } from './resource-quota-controller.js';

const core = [
  '/api/v1/pods',
  '/api/v1/services',
  '/api/v1/persistentvolumeclaims',
  '/api/v1/configmaps',
  '/api/v1/secrets',
  '/api/v1/replicationcontrollers',
  '/api/v1/resourcequotas',
];
test('the quota controller writes status.hard and status.used counted from the informers', async () => {
  const { ctx, actions, informers } = fakeCluster({
    ...emptyLists(...core),
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
