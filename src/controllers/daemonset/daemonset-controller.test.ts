import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced, running, until, writes } from '../shared/fake-cluster.test-support.js';
import { DaemonSetController } from './daemonset-controller.js';

const node = (name: string, taints: object[] = []) => ({ metadata: { name, uid: name, resourceVersion: '1' }, spec: { taints } }) as KubeObject;

test('the DaemonSet controller puts one pod on each node that fits, pinned there by affinity', async () => {
  const { ctx, actions, informers } = fakeCluster({
    '/apis/apps/v1/daemonsets': [
      namespaced('ns', 'agent', {
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent' }] } },
        },
      }),
    ],
    '/api/v1/pods': [],
    '/api/v1/nodes': [node('a'), node('b'), node('tainted', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }])],
    '/apis/apps/v1/controllerrevisions': [],
  });
  const controller = new DaemonSetController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    async () => {
      await until('a status write', () => actions.some((a) => a.path.endsWith('/daemonsets/agent/status')));
      const pods = writes(actions)
        .filter((a) => a.method === 'POST' && a.path === '/api/v1/namespaces/ns/pods')
        .map(
          (a) =>
            a.body as KubeObject & {
              spec: {
                affinity?: {
                  nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { values: string[] }[] }[] } };
                };
              };
            },
        );
      const nodes = pods.map(
        (p) => p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values[0],
      );
      assert.deepEqual(nodes.sort(), ['a', 'b']);
      for (const p of pods)
        assert.deepEqual(
          p.metadata.ownerReferences?.map((r) => r.kind),
          ['DaemonSet'],
        );
      const status = (actions.find((a) => a.path.endsWith('/status'))!.body as { status: { desiredNumberScheduled: number } }).status;
      assert.equal(status.desiredNumberScheduled, 2);
    },
  );
});
