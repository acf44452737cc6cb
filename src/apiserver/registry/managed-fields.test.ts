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
