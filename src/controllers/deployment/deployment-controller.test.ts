import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced, running, until, writes } from '../shared/fake-cluster.test-support.js';
import { DeploymentController } from './deployment-controller.js';
import { podTemplateHash, podTemplateHashLabel } from './pod-template-hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
const deployment = namespaced('ns', 'web', {
  metadata: { namespace: 'ns', name: 'web', uid: 'd-uid', resourceVersion: '1', generation: 1 },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
});

test('the Deployment controller creates its first ReplicaSet at full size, named and labelled by template hash', async () => {
  const { ctx, actions, informers } = fakeCluster({ '/apis/apps/v1/deployments': [deployment], '/apis/apps/v1/replicasets': [], '/api/v1/pods': [] });
  const controller = new DeploymentController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    async () => {
      await until('a status write', () => actions.some((a) => a.path.endsWith('/deployments/web/status')));
      const creates = writes(actions).filter((a) => a.method === 'POST');
      assert.equal(creates.length, 1);
      const hash = podTemplateHash(template);
      const rs = creates[0]!.body as KubeObject & { spec: { replicas: number; selector: { matchLabels: Record<string, string> } } };
      assert.equal(creates[0]!.path, '/apis/apps/v1/namespaces/ns/replicasets');
      assert.equal(rs.metadata.name, `web-${hash}`);
      assert.equal(rs.metadata.labels?.[podTemplateHashLabel], hash);
      assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', [podTemplateHashLabel]: hash });
      assert.equal(rs.spec.replicas, 3);
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
      assert.deepEqual(rs.metadata.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true },
      ]);
    },
  );
});
