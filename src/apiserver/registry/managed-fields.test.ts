// A small check of managedFields for Update operations as the module records them today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from './context.js';
import { recordManagedFields } from './managed-fields.js';

const ctx = (fieldManager: string): RequestContext => ({ user: { name: 'u', groups: [] }, dryRun: false, fieldManager, apiVersion: 'v1', warnings: [] });

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const entries = (obj: Record<string, unknown>) => (obj.metadata as { managedFields?: Entry[] }).managedFields ?? [];

test('the writer owns what it set; a later writer takes over the fields it changed', () => {
  const created = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'a' } }, data: { k: '1', j: '2' } };
  recordManagedFields(ctx('kubectl'), created, undefined);
  const [first] = entries(created);
  assert.equal(entries(created).length, 1);
  assert.equal(first?.manager, 'kubectl');
  assert.equal(first?.operation, 'Update');
  assert.equal(first?.fieldsType, 'FieldsV1');
  assert.deepEqual(first?.fieldsV1, { 'f:data': { '.': {}, 'f:j': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });

  const next = structuredClone(created);
  next.data = { k: '9', j: '2' };
  recordManagedFields(ctx('controller'), next, created);
  const byManager = Object.fromEntries(entries(next).map((e) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager.controller, { 'f:data': { 'f:k': {} } });
  assert.deepEqual((byManager.kubectl as { 'f:data': unknown })['f:data'], { '.': {}, 'f:j': {} });

  // Writing nothing new leaves the entries as they were.
  const same = structuredClone(next);
  recordManagedFields(ctx('other'), same, next);
  assert.deepEqual(entries(same), entries(next));

  // Status writes are recorded under their subresource.
  const status = structuredClone(next) as Record<string, unknown>;
  (status.data as Record<string, string>).s = 'x';
  recordManagedFields(ctx('kubelet'), status, next, 'status');
  assert.equal(entries(status).find((e) => e.manager === 'kubelet')?.subresource, 'status');
});

test('a create owns what the zero value lacks as nodes: omitempty lists and maps, pointer structs; not containers or plain structs', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      labels: { app: 'a' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
      finalizers: ['f'],
    },
    spec: {
      containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, securityContext: { privileged: false } }],
      nodeSelector: { disk: 'ssd' },
    },
  };
  recordManagedFields(ctx('kube-controller-manager'), pod, undefined);
  // As kube-apiserver writes it for a ReplicaSet's pod.
  assert.deepEqual(entries(pod)[0]?.fieldsV1, {
    'f:metadata': {
      'f:finalizers': { '.': {}, 'v:"f"': {} },
      'f:labels': { '.': {}, 'f:app': {} },
      'f:ownerReferences': { '.': {}, 'k:{"uid":"u1"}': {} },
    },
    'f:spec': {
      'f:containers': {
        'k:{"name":"web"}': {
          '.': {},
          'f:image': {},
          'f:name': {},
          'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          'f:resources': {},
          'f:securityContext': { '.': {}, 'f:privileged': {} },
        },
      },
      'f:nodeSelector': {},
    },
  });
});
