import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced as obj, running, until } from '../shared/fake-cluster.test-support.js';
import { ServiceAccountController } from './service-account-controller.js';

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
