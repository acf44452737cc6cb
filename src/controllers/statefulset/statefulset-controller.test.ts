import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced, running, until, writes } from '../shared/fake-cluster.test-support.js';
import { StatefulSetController } from './statefulset-controller.js';

const set = (spec: Record<string, unknown>) =>
  namespaced('ns', 'db', {
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } },
      ...spec,
    },
  });

async function syncOnce(spec: Record<string, unknown>) {
  const { ctx, actions, informers } = fakeCluster({
    '/apis/apps/v1/statefulsets': [set(spec)],
    '/api/v1/pods': [],
    '/apis/apps/v1/controllerrevisions': [],
    '/api/v1/persistentvolumeclaims': [],
  });
  const controller = new StatefulSetController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    () => until('a status write', () => actions.some((a) => a.path.endsWith('/statefulsets/db/status'))),
  );
  return writes(actions);
}

test('an OrderedReady StatefulSet creates its first revision and only the pod of ordinal 0', async () => {
  const actions = await syncOnce({});
  const posts = actions.filter((a) => a.method === 'POST');
  assert.deepEqual(
    posts.map((a) => [a.path, (a.body as KubeObject).metadata.name]),
    [
      ['/apis/apps/v1/namespaces/ns/controllerrevisions', (posts[0]!.body as KubeObject).metadata.name],
      ['/api/v1/namespaces/ns/pods', 'db-0'],
    ],
  );
  assert.match((posts[0]!.body as KubeObject).metadata.name, /^db-[a-z0-9]+$/);
  const pod = posts[1]!.body as KubeObject & { spec: { hostname?: string; subdomain?: string } };
  assert.equal(pod.spec.hostname, 'db-0');
  assert.equal(pod.spec.subdomain, 'db');
  assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-0');
});

test('a Parallel StatefulSet creates every ordinal at once', async () => {
  const actions = await syncOnce({ podManagementPolicy: 'Parallel' });
  const pods = actions.filter((a) => a.method === 'POST' && a.path.endsWith('/pods')).map((a) => (a.body as KubeObject).metadata.name);
  assert.deepEqual(pods.sort(), ['db-0', 'db-1', 'db-2']);
});
