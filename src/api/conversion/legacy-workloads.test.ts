import assert from 'node:assert/strict';
import { test } from 'node:test';
import { legacyWorkloadConverter } from './legacy-workloads.js';

type Obj = Record<string, unknown>;

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

function admit(version: 'extensions/v1beta1' | 'apps/v1beta1' | 'apps/v1beta2', kind: string, obj: Obj): Obj {
  const c = legacyWorkloadConverter(version, kind);
  c.defaults?.(obj);
  return c.toStorage(obj);
}

test('extensions Deployments take the selector and labels from the template and keep every revision', () => {
  const stored = admit('extensions/v1beta1', 'Deployment', { metadata: { name: 'd' }, spec: { template: structuredClone(template) } });
  const spec = stored.spec as Obj;
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
  assert.deepEqual((stored.metadata as Obj).labels, { app: 'web' });
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } });
  assert.equal(spec.revisionHistoryLimit, 2147483647);
  assert.equal(spec.progressDeadlineSeconds, 2147483647);
});

test('each apps version keeps its own Deployment history limit; only the old ones default the selector', () => {
  const beta1 = admit('apps/v1beta1', 'Deployment', { metadata: { name: 'd' }, spec: { template: structuredClone(template) } }).spec as Obj;
  assert.equal(beta1.revisionHistoryLimit, 2);
  assert.equal(beta1.progressDeadlineSeconds, 600);
  assert.deepEqual(beta1.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.deepEqual(beta1.selector, { matchLabels: { app: 'web' } });
  const beta2 = admit('apps/v1beta2', 'Deployment', { metadata: { name: 'd' }, spec: { template: structuredClone(template) } }).spec as Obj;
  assert.equal(beta2.revisionHistoryLimit, 10);
  assert.equal(beta2.selector, undefined);
});

test('explicit values win over the old defaults', () => {
  const spec = admit('extensions/v1beta1', 'Deployment', {
    metadata: { name: 'd', labels: { tier: 'front' } },
    spec: { selector: { matchLabels: { tier: 'front' } }, revisionHistoryLimit: 3, strategy: { type: 'Recreate' }, template: structuredClone(template) },
  });
  assert.deepEqual((spec.metadata as Obj).labels, { tier: 'front' });
  assert.deepEqual((spec.spec as Obj).selector, { matchLabels: { tier: 'front' } });
  assert.deepEqual((spec.spec as Obj).strategy, { type: 'Recreate' });
  assert.equal((spec.spec as Obj).revisionHistoryLimit, 3);
});

test('rollbackTo round-trips through the apps/v1 annotation', () => {
  for (const version of ['extensions/v1beta1', 'apps/v1beta1'] as const) {
    const c = legacyWorkloadConverter(version, 'Deployment');
    const original: Obj = { metadata: { name: 'd', annotations: { keep: 'me' } }, spec: { replicas: 2, rollbackTo: { revision: 4 } } };
    const stored = c.toStorage(structuredClone(original));
    assert.deepEqual(stored.metadata, { name: 'd', annotations: { keep: 'me', 'deprecated.deployment.rollback.to': '4' } });
    assert.equal((stored.spec as Obj).rollbackTo, undefined);
    const frozen = structuredClone(stored);
    assert.deepEqual(c.fromStorage(stored), original);
    assert.deepEqual(stored, frozen, 'fromStorage leaves the stored object alone');
  }
  // Without rollbackTo a stale annotation goes away.
  const c = legacyWorkloadConverter('extensions/v1beta1', 'Deployment');
  const stored = c.toStorage({ metadata: { name: 'd', annotations: { 'deprecated.deployment.rollback.to': '2' } }, spec: {} });
  assert.deepEqual(stored.metadata, { name: 'd' });
});

test('extensions DaemonSets default to OnDelete and keep templateGeneration in the annotation', () => {
  const c = legacyWorkloadConverter('extensions/v1beta1', 'DaemonSet');
  const ds: Obj = { metadata: { name: 'ds' }, spec: { template: structuredClone(template), templateGeneration: 2 } };
  c.defaults?.(ds);
  const spec = ds.spec as Obj;
  assert.deepEqual(spec.updateStrategy, { type: 'OnDelete' });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
  const stored = c.toStorage(structuredClone(ds));
  assert.equal(((stored.metadata as Obj).annotations as Obj)['deprecated.daemonset.template.generation'], '2');
  assert.equal((stored.spec as Obj).templateGeneration, undefined);
  assert.deepEqual(c.fromStorage(stored), ds);
  const rolling: Obj = { spec: { updateStrategy: { type: 'RollingUpdate' }, template: structuredClone(template) } };
  c.defaults?.(rolling);
  assert.deepEqual((rolling.spec as Obj).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
});

test('apps/v1beta1 StatefulSets update on delete; apps/v1beta2 ones are apps/v1 in all but name', () => {
  const beta1 = admit('apps/v1beta1', 'StatefulSet', { metadata: { name: 's' }, spec: { serviceName: 's', template: structuredClone(template) } }).spec as Obj;
  assert.deepEqual(beta1.updateStrategy, { type: 'OnDelete' });
  assert.equal(beta1.podManagementPolicy, 'OrderedReady');
  assert.equal(beta1.revisionHistoryLimit, 10);
  assert.deepEqual(beta1.selector, { matchLabels: { app: 'web' } });
  const c = legacyWorkloadConverter('apps/v1beta2', 'StatefulSet');
  const sts: Obj = { metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { app: 'web' } }, template } };
  assert.deepEqual(c.fromStorage(c.toStorage(structuredClone(sts))), sts);
});

test('extensions ReplicaSets default replicas and the selector', () => {
  const spec = admit('extensions/v1beta1', 'ReplicaSet', { metadata: { name: 'rs' }, spec: { template: structuredClone(template) } }).spec as Obj;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
});
