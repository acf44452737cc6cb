import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../client/index.js';
import { fakeCluster, namespaced, running, until, writes } from '../shared/fake-cluster.test-support.js';
import { completionIndexKey, JobController, jobTrackingFinalizer } from './job-controller.js';

const job = (spec: Record<string, unknown>) =>
  namespaced('ns', 'pi', {
    spec: {
      parallelism: 2,
      completions: 3,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'ns-pi' } },
      template: {
        metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'ns-pi' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'perl' }] },
      },
      ...spec,
    },
  });

async function syncOnce(spec: Record<string, unknown>) {
  const { ctx, actions, informers } = fakeCluster({ '/apis/batch/v1/jobs': [job(spec)], '/api/v1/pods': [] });
  const controller = new JobController(ctx);
  await running(
    (s) => controller.run(s),
    (s) => informers.start(s),
    () => until('a status write', () => actions.some((a) => a.path.endsWith('/jobs/pi/status'))),
  );
  return writes(actions);
}

test('the Job controller starts parallelism pods, each tracked by a finalizer, and counts them active', async () => {
  const actions = await syncOnce({});
  const creates = actions.filter((a) => a.method === 'POST');
  assert.equal(creates.length, 2);
  for (const c of creates) {
    const pod = c.body as KubeObject;
    assert.equal(c.path, '/api/v1/namespaces/ns/pods');
    assert.equal(pod.metadata.generateName, 'pi-');
    assert.deepEqual(pod.metadata.finalizers, [jobTrackingFinalizer]);
    assert.deepEqual(pod.metadata.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'ns-pi', controller: true, blockOwnerDeletion: true },
    ]);
  }
  const status = (actions.find((a) => a.path.endsWith('/status'))!.body as { status: { active: number; startTime?: string } }).status;
  assert.equal(status.active, 2);
  assert.ok(status.startTime, 'the start time is recorded');
});

test('an Indexed Job gives each pod its completion index, in name, label, annotation and env', async () => {
  const actions = await syncOnce({ completionMode: 'Indexed', parallelism: 3, completions: 2 });
  const pods = actions
    .filter((a) => a.method === 'POST')
    .map((a) => a.body as KubeObject & { spec: { hostname?: string; containers: { env?: { name: string }[] }[] } });
  assert.deepEqual(pods.map((p) => p.metadata.generateName).sort(), ['pi-0-', 'pi-1-']);
  for (const p of pods) {
    const index = p.metadata.annotations?.[completionIndexKey];
    assert.equal(p.metadata.labels?.[completionIndexKey], index);
    assert.equal(p.spec.hostname, `pi-${index}`);
    assert.ok(p.spec.containers[0]!.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX'));
  }
});

test('a suspended Job starts nothing and says so in a condition', async () => {
  const actions = await syncOnce({ suspend: true });
  assert.ok(!actions.some((a) => a.method === 'POST'));
  const status = (actions.find((a) => a.path.endsWith('/status'))!.body as { status: { conditions: { type: string; status: string; reason: string }[] } })
    .status;
  assert.deepEqual(
    status.conditions.map((c) => [c.type, c.status, c.reason]),
    [['Suspended', 'True', 'JobSuspended']],
  );
});
