import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced, running, until, writes } from '../shared/fake-cluster.test-support.js';
import { ReplicaSetController } from './replicaset-controller.js';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'ns-web', controller: true, blockOwnerDeletion: true };
const replicaSet = (replicas: number) =>
  namespaced('ns', 'web', {
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
const pod = (name: string, ready: boolean, ownerReferences?: (typeof owner)[]) =>
  ({
    ...namespaced('ns', name),
    metadata: {
      ...namespaced('ns', name).metadata,
      labels: { app: 'web' },
      creationTimestamp: '2025-01-01T00:00:00Z',
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
  }) as KubeObject;

test('the ReplicaSet controller creates the missing replicas from its template, owned by it, then writes status', async () => {
  const { ctx, actions, informers } = fakeCluster({ '/apis/apps/v1/replicasets': [replicaSet(3)], '/api/v1/pods': [pod('web-a', true, [owner])] });
  const controller = new ReplicaSetController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    async () => {
      await until('a status write', () => actions.some((a) => a.path.endsWith('/status')));
      const creates = writes(actions).filter((a) => a.method === 'POST');
      assert.equal(creates.length, 2);
      for (const c of creates) {
        const body = c.body as KubeObject & { spec: unknown };
        assert.equal(c.path, '/api/v1/namespaces/ns/pods');
        assert.equal(body.metadata.generateName, 'web-');
        assert.deepEqual(body.metadata.labels, { app: 'web' });
        assert.deepEqual(body.metadata.ownerReferences, [owner]);
        assert.deepEqual(body.spec, { containers: [{ name: 'c', image: 'nginx' }] });
      }
      const status = actions.find((a) => a.path.endsWith('/status'))!;
      assert.equal(status.path, '/apis/apps/v1/namespaces/ns/replicasets/web/status');
      // The new pods are not in the cache yet: status counts what was observed.
      assert.equal((status.body as { status: { replicas: number } }).status.replicas, 1);
    },
  );
});

test('the ReplicaSet controller adopts a matching orphan and deletes the surplus, not-ready pod first', async () => {
  const { ctx, actions, informers } = fakeCluster({
    '/apis/apps/v1/replicasets': [replicaSet(1)],
    '/api/v1/pods': [pod('web-a', true, [owner]), pod('web-b', false)],
  });
  const controller = new ReplicaSetController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    async () => {
      await until('a delete', () => actions.some((a) => a.method === 'DELETE'));
      const [adopt, ...rest] = writes(actions);
      assert.equal(adopt!.method, 'PATCH');
      assert.equal(adopt!.path, '/api/v1/namespaces/ns/pods/web-b');
      assert.deepEqual((adopt!.body as KubeObject).metadata.ownerReferences, [owner]);
      const deletes = rest.filter((a) => a.method === 'DELETE');
      assert.deepEqual(
        deletes.map((a) => a.path),
        ['/api/v1/namespaces/ns/pods/web-b'],
      );
      assert.ok(!writes(actions).some((a) => a.method === 'POST'), 'nothing is created');
    },
  );
});
