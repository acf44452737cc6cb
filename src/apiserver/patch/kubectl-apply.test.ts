// kubectl apply (client-side) against the real type facts catalogue. The patch bodies below are
// what kubectl 1.35 sent (recorded by a stub server) for these edits of the last-applied manifest;
// the last-applied annotation's value is shortened, it is opaque to the merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeFacts } from '../../api/index.js';
import { applyPatch } from './index.js';

const SMP = 'application/strategic-merge-patch+json';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const apply = (current: unknown, patch: unknown, typeName: string): unknown =>
  applyPatch(SMP, current, JSON.stringify(patch), typeName, typeFacts, { fieldValidation: 'Strict' });

test('deployment: label removed, finalizer removed, Recreate strategy, port removed, container added', () => {
  const current = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      labels: { app: 'web', tier: 'front' },
      finalizers: ['example.com/a', 'example.com/b'],
      annotations: { [LAST_APPLIED]: 'old', 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1',
              ports: [
                { containerPort: 80, protocol: 'TCP' },
                { containerPort: 443, protocol: 'TCP' },
              ],
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
        },
      },
      revisionHistoryLimit: 10,
    },
    status: { replicas: 2 },
  };
  const patch = {
    metadata: {
      '$deleteFromPrimitiveList/finalizers': ['example.com/b'],
      '$setElementOrder/finalizers': ['example.com/a'],
      annotations: { [LAST_APPLIED]: 'new' },
      labels: { tier: null },
    },
    spec: {
      strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
          containers: [
            { '$setElementOrder/ports': [{ containerPort: 80 }], name: 'app', ports: [{ $patch: 'delete', containerPort: 443 }] },
            { image: 'busybox', name: 'sidecar' },
          ],
        },
      },
    },
  };
  const out = apply(current, patch, 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(out, {
    ...current,
    metadata: {
      ...current.metadata,
      labels: { app: 'web' },
      finalizers: ['example.com/a'],
      annotations: { [LAST_APPLIED]: 'new', 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      ...current.spec,
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' },
            { name: 'sidecar', image: 'busybox' },
          ],
          restartPolicy: 'Always',
        },
      },
    },
  });
});

test('deployment: server-defaulted rollingUpdate goes away through $retainKeys alone', () => {
  const current = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
  const out = apply(current, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(out, { spec: { strategy: { type: 'Recreate' } } });
});

test('service: one port removed, another changed, a selector key removed', () => {
  const current = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', annotations: { [LAST_APPLIED]: 'old' } },
    spec: {
      selector: { app: 'web', tier: 'front' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
      ],
      type: 'ClusterIP',
      clusterIP: '10.43.0.10',
    },
  };
  const patch = {
    metadata: { annotations: { [LAST_APPLIED]: 'new' } },
    spec: {
      '$setElementOrder/ports': [{ port: 80 }],
      ports: [
        { port: 80, targetPort: 9090 },
        { $patch: 'delete', port: 443 },
      ],
      selector: { tier: null },
    },
  };
  const out = apply(current, patch, 'io.k8s.api.core.v1.Service');
  assert.deepEqual(out, {
    ...current,
    metadata: { ...current.metadata, annotations: { [LAST_APPLIED]: 'new' } },
    spec: { ...current.spec, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 9090, protocol: 'TCP' }] },
  });
});

test('pod: a container added in front, an env var removed, args replaced, server-added container kept last', () => {
  const current = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', annotations: { [LAST_APPLIED]: 'old' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          args: ['--x', '--y'],
          imagePullPolicy: 'Always',
        },
        { name: 'injected', image: 'proxy' },
      ],
      nodeName: 'n1',
    },
  };
  const patch = {
    metadata: { annotations: { [LAST_APPLIED]: 'new' } },
    spec: {
      '$setElementOrder/containers': [{ name: 'first' }, { name: 'app' }],
      containers: [
        { image: 'busybox', name: 'first' },
        { '$setElementOrder/env': [{ name: 'B' }], args: ['--y'], env: [{ $patch: 'delete', name: 'A' }], image: 'nginx:2', name: 'app' },
      ],
    },
  };
  const out = apply(current, patch, 'io.k8s.api.core.v1.Pod');
  assert.deepEqual(out, {
    ...current,
    metadata: { ...current.metadata, annotations: { [LAST_APPLIED]: 'new' } },
    spec: {
      containers: [
        { name: 'first', image: 'busybox' },
        { name: 'app', image: 'nginx:2', env: [{ name: 'B', value: '2' }], args: ['--y'], imagePullPolicy: 'Always' },
        { name: 'injected', image: 'proxy' },
      ],
      nodeName: 'n1',
    },
  });
});

test('pod volumes carry merge,retainKeys: a volume switching source drops the old one', () => {
  const current = {
    spec: {
      volumes: [
        { name: 'data', configMap: { name: 'cm', defaultMode: 420 } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
  const patch = {
    spec: {
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'tmp' }],
      volumes: [{ $retainKeys: ['name', 'secret'], name: 'data', secret: { secretName: 's' } }],
    },
  };
  const out = apply(current, patch, 'io.k8s.api.core.v1.Pod');
  assert.deepEqual(out, {
    spec: {
      volumes: [
        { name: 'data', secret: { secretName: 's' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  });
});

test('a custom resource cannot take a strategic merge patch', () => {
  assert.throws(
    () => applyPatch(SMP, {}, '{}', undefined, typeFacts),
    (err: unknown) => err instanceof Error && (err as { code?: number }).code === 415,
  );
});
