import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { replicationControllerStrategy, podTemplateStrategy } from './core-workloads.js';
import { deploymentStrategy, replicaSetStrategy, statefulSetStrategy, daemonSetStrategy, controllerRevisionStrategy } from './apps.js';
import type { Strategy } from './strategy.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);

function create(strategy: Strategy, obj: Obj): Obj {
  strategy.default(obj);
  strategy.prepareForCreate(obj);
  return obj;
}

const nginxTemplate = (): Obj => ({
  metadata: { labels: { app: 'nginx' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
});

const defaultedTemplateSpec = {
  containers: [
    {
      name: 'nginx',
      image: 'nginx',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    },
  ],
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
  schedulerName: 'default-scheduler',
};

test('the nginx ReplicationController is stored as kube stores it', () => {
  const rc = create(replicationControllerStrategy, { metadata: { name: 'nginx', namespace: 'default' }, spec: { replicas: 3, template: nginxTemplate() } });
  assert.deepEqual(rc['spec'], { replicas: 3, selector: { app: 'nginx' }, template: { metadata: { labels: { app: 'nginx' } }, spec: defaultedTemplateSpec } });
  assert.deepEqual((rc['metadata'] as Obj)['labels'], { app: 'nginx' });
  assert.equal((rc['metadata'] as Obj)['generation'], 1);
  assert.deepEqual(rc['status'], { replicas: 0 });
  assert.deepEqual(replicationControllerStrategy.validate(rc), []);
});

test('ReplicationController selector must match the template', () => {
  const rc = create(replicationControllerStrategy, { metadata: { name: 'x' }, spec: { selector: { app: 'other' }, template: nginxTemplate() } });
  assert.deepEqual(messages(replicationControllerStrategy.validate(rc)), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
  ]);
});

test('PodTemplates get pod spec defaults', () => {
  const pt = create(podTemplateStrategy, { metadata: { name: 'pt' }, template: nginxTemplate() });
  assert.deepEqual((pt['template'] as Obj)['spec'], defaultedTemplateSpec);
});

test('Deployment defaults', () => {
  const d = create(deploymentStrategy, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'nginx' } }, template: nginxTemplate() } });
  const spec = d['spec'] as Obj;
  assert.equal(spec['replicas'], 1);
  assert.deepEqual(spec['strategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.equal(spec['progressDeadlineSeconds'], 600);
  assert.deepEqual((spec['template'] as Obj)['spec'], defaultedTemplateSpec);
  assert.deepEqual(d['status'], {});
  assert.deepEqual(deploymentStrategy.validate(d), []);
});

test('Deployment mistakes', () => {
  const noSelector = create(deploymentStrategy, { metadata: { name: 'web' }, spec: { template: nginxTemplate() } });
  assert.deepEqual(messages(deploymentStrategy.validate(noSelector)), ['spec.selector: Required value']);
  const mismatch = create(deploymentStrategy, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'x' } }, template: nginxTemplate() } });
  assert.deepEqual(messages(deploymentStrategy.validate(mismatch)), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
  ]);
  const template = nginxTemplate();
  (template['spec'] as Obj)['restartPolicy'] = 'Never';
  const zero = create(deploymentStrategy, {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'nginx' } }, template, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } },
  });
  assert.deepEqual(messages(deploymentStrategy.validate(zero)), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
  ]);
  // kube caps maxUnavailable at 100% but lets a Deployment surge past it.
  const surge = create(deploymentStrategy, {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'nginx' } }, template: nginxTemplate(), strategy: { rollingUpdate: { maxSurge: '200%', maxUnavailable: '101%' } } },
  });
  assert.deepEqual(messages(deploymentStrategy.validate(surge)), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
  ]);
});

test('Deployment selector is immutable and spec changes bump generation', () => {
  const old = create(deploymentStrategy, {
    metadata: { name: 'web', generation: 7 },
    spec: { selector: { matchLabels: { app: 'nginx' } }, template: nginxTemplate() },
  });
  const scaled = structuredClone(old);
  (scaled['spec'] as Obj)['replicas'] = 3;
  scaled['status'] = { replicas: 99 };
  deploymentStrategy.prepareForUpdate(scaled, old);
  assert.equal((scaled['metadata'] as Obj)['generation'], 2);
  assert.deepEqual(scaled['status'], {});
  const relabelled = structuredClone(old);
  ((relabelled['spec'] as Obj)['selector'] as Obj)['matchLabels'] = { app: 'nginx', tier: 'web' };
  (((relabelled['spec'] as Obj)['template'] as Obj)['metadata'] as Obj)['labels'] = { app: 'nginx', tier: 'web' };
  const errs = deploymentStrategy.validateUpdate(relabelled, old);
  assert.deepEqual(
    errs.map((e) => [e.field, e.detail]),
    [['spec.selector', 'field is immutable']],
  );
});

test('ReplicaSet defaults and status', () => {
  const rs = create(replicaSetStrategy, { metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'nginx' } }, template: nginxTemplate() } });
  assert.equal((rs['spec'] as Obj)['replicas'], 1);
  assert.deepEqual(rs['status'], { replicas: 0 });
  assert.deepEqual(replicaSetStrategy.validate(rs), []);
  const empty = create(replicaSetStrategy, { metadata: { name: 'rs' }, spec: { selector: {}, template: nginxTemplate() } });
  assert.deepEqual(messages(replicaSetStrategy.validate(empty)), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

test('StatefulSet defaults, claim templates and update restrictions', () => {
  const sts = create(statefulSetStrategy, {
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'nginx' } },
      template: nginxTemplate(),
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  const spec = sts['spec'] as Obj;
  assert.equal(spec['podManagementPolicy'], 'OrderedReady');
  assert.deepEqual(spec['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } });
  assert.deepEqual(spec['persistentVolumeClaimRetentionPolicy'], { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(spec['revisionHistoryLimit'], 10);
  assert.equal(spec['replicas'], 1);
  assert.deepEqual(spec['volumeClaimTemplates'], [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    },
  ]);
  assert.deepEqual(statefulSetStrategy.validate(sts), []);
  const changed = structuredClone(sts);
  (changed['spec'] as Obj)['serviceName'] = 'other';
  assert.deepEqual(messages(statefulSetStrategy.validateUpdate(changed, sts)), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  const scaled = structuredClone(sts);
  (scaled['spec'] as Obj)['replicas'] = 5;
  assert.deepEqual(statefulSetStrategy.validateUpdate(scaled, sts), []);
});

test('DaemonSet defaults', () => {
  const ds = create(daemonSetStrategy, { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'nginx' } }, template: nginxTemplate() } });
  assert.deepEqual((ds['spec'] as Obj)['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal((ds['spec'] as Obj)['revisionHistoryLimit'], 10);
  assert.deepEqual(ds['status'], { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
  assert.deepEqual(daemonSetStrategy.validate(ds), []);
  assert.deepEqual((ds['metadata'] as Obj)['annotations'], { 'deprecated.daemonset.template.generation': '1' });
  const changed = structuredClone(ds);
  (((changed['spec'] as Obj)['template'] as Obj)['metadata'] as Obj)['labels'] = { app: 'nginx', v: '2' };
  daemonSetStrategy.prepareForUpdate(changed, ds);
  assert.deepEqual((changed['metadata'] as Obj)['annotations'], { 'deprecated.daemonset.template.generation': '2' });
  assert.equal((changed['metadata'] as Obj)['generation'], 2);
});

test('ControllerRevision data is required and immutable', () => {
  assert.deepEqual(messages(controllerRevisionStrategy.validate({ metadata: { name: 'r' }, revision: 1 })), ['data: Required value: data is mandatory']);
  const old = { metadata: { name: 'r' }, revision: 1, data: { a: 1 } };
  assert.deepEqual(messages(controllerRevisionStrategy.validateUpdate({ ...old, data: { a: 2 } }, old)), ['data: Invalid value: {"a":2}: field is immutable']);
});

test('workloads warn about their pod templates', () => {
  const template = nginxTemplate();
  (template['spec'] as Obj)['nodeSelector'] = { 'beta.kubernetes.io/os': 'linux' };
  ((template['spec'] as { containers: Obj[] }).containers[0] as Obj)['ports'] = [{ containerPort: 80 }, { containerPort: 80 }];
  const d = create(deploymentStrategy, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'nginx' } }, template } });
  assert.deepEqual(deploymentStrategy.warnings(d), [
    'spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead',
    'spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
  ]);
});
