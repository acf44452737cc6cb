import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../api/index.js';
import { serverSideApply, type ApplyInput, type ManagedFieldsEntry } from './apply.js';
import type { FieldSet } from './field-set.js';
import { factsSchema, structuralSchema } from './schema.js';
import { fieldSetOf, mergeValue } from './walk.js';

const deployment = factsSchema('io.k8s.api.apps.v1.Deployment');
const configMap = factsSchema('io.k8s.api.core.v1.ConfigMap');

function dep(containers: unknown[], replicas?: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers } } },
  };
}

function apply(overrides: Partial<ApplyInput> & Pick<ApplyInput, 'config'>): Record<string, unknown> {
  return serverSideApply({
    live: undefined,
    manager: 'mgr',
    force: false,
    apiVersion: 'apps/v1',
    schema: deployment,
    ownable: (f) => f !== 'status',
    now: '2026-01-01T00:00:00Z',
    ...overrides,
  });
}

const entries = (obj: Record<string, unknown>) => (obj.metadata as { managedFields: ManagedFieldsEntry[] }).managedFields;

describe('field sets of applied configurations', () => {
  test('list items are members keyed by their map keys, key defaults filled in; structs are not members', () => {
    const set = fieldSetOf(dep([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }]), deployment.root());
    assert.deepEqual((set.children.get('f:spec') as FieldSet).toFieldsV1(), {
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"app"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    });
  });

  test('atomic structs are leaves', () => {
    const set = fieldSetOf({ spec: { selector: { matchLabels: { app: 'web' } } } }, deployment.root());
    assert.deepEqual(set.toFieldsV1(), { 'f:spec': { 'f:selector': {} } });
  });
});

describe('merge by list type', () => {
  test('keyed lists merge item by item; atomic lists are replaced', () => {
    const live = dep([
      { name: 'a', image: 'x', args: ['1', '2'] },
      { name: 'b', image: 'y' },
    ]);
    const merged = mergeValue(
      live,
      dep([
        { name: 'b', image: 'z' },
        { name: 'c', image: 'w' },
        { name: 'a', args: ['3'] },
      ]),
      deployment.root(),
    ) as ReturnType<typeof dep>;
    assert.deepEqual((merged.spec as { template: { spec: { containers: unknown } } }).template.spec.containers, [
      { name: 'a', image: 'x', args: ['3'] },
      { name: 'b', image: 'z' },
      { name: 'c', image: 'w' },
    ]);
  });
});

describe('serverSideApply', () => {
  test('creates with one Apply entry', () => {
    const obj = apply({ config: dep([{ name: 'app', image: 'nginx' }], 2) });
    assert.deepEqual(entries(obj), [
      {
        manager: 'mgr',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
        },
      },
    ]);
  });

  test('a changed value owned by another manager conflicts; the same value is shared', () => {
    const live = apply({ config: dep([{ name: 'app', image: 'nginx' }], 2) });
    const shared = apply({ live, manager: 'other', config: dep([], 2) });
    assert.equal(entries(shared).length, 2);
    assert.throws(
      () => apply({ live, manager: 'other', config: dep([{ name: 'app', image: 'httpd' }], 3) }),
      (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, 409);
        assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "mgr":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image');
        assert.deepEqual(err.details?.causes, [
          { reason: 'FieldManagerConflict', message: 'conflict with "mgr"', field: '.spec.replicas' },
          { reason: 'FieldManagerConflict', message: 'conflict with "mgr"', field: '.spec.template.spec.containers[name="app"].image' },
        ]);
        return true;
      },
    );
  });

  test('force moves ownership; the update manager is named with its version', () => {
    const live = apply({ config: dep([], 2) });
    (live.metadata as { managedFields: ManagedFieldsEntry[] }).managedFields.push({
      manager: 'kubectl-scale',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    assert.throws(
      () => apply({ live, manager: 'x', config: dep([], 5) }),
      /^ApiError: Apply failed with 2 conflicts: conflicts with "kubectl-scale" using apps\/v1:\n- \.spec\.replicas\nconflicts with "mgr":\n- \.spec\.replicas$/,
    );
    const forced = apply({ live, manager: 'x', force: true, config: dep([], 5) });
    assert.deepEqual(
      entries(forced).map((e) => e.manager),
      ['x'],
    );
    assert.equal((forced.spec as { replicas: number }).replicas, 5);
  });

  test('fields the applier stops applying are removed unless another manager owns them', () => {
    const live = apply({
      config: dep(
        [
          { name: 'a', image: 'x', ports: [{ containerPort: 80 }] },
          { name: 'b', image: 'y' },
        ],
        2,
      ),
    });
    const shared = apply({ live, manager: 'other', config: dep([{ name: 'b', image: 'y' }]) });
    const after = apply({ live: shared, config: dep([{ name: 'a', image: 'x' }]) });
    assert.deepEqual((after.spec as { template: { spec: { containers: unknown } } }).template.spec.containers, [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ]);
    assert.equal((after.spec as { replicas?: number }).replicas, undefined);
  });

  test('re-applying the same configuration keeps the entry time', () => {
    const live = apply({ config: dep([], 1) });
    const again = apply({ live, config: dep([], 1), now: '2026-02-02T00:00:00Z' });
    assert.equal(entries(again)[0]!.time, '2026-01-01T00:00:00Z');
  });

  test('kubectl apply over client-side apply: conflicts the last-applied configuration covers go through', () => {
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            apiVersion: 'v1',
            time: '2026-01-01T00:00:00Z',
            fieldsType: 'FieldsV1' as const,
            fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
          },
        ],
      },
      data: { a: '1' },
    };
    const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '2' } };
    const input = { live, config: cfg, apiVersion: 'v1', schema: configMap, ownable: () => true };
    assert.throws(() => apply({ ...input, manager: 'someone' }), /conflict with "kubectl-client-side-apply" using v1: \.data\.a/);
    const obj = apply({ ...input, manager: 'kubectl' });
    assert.deepEqual(obj.data, { a: '2' });
    assert.equal(
      (obj.metadata as { annotations: Record<string, string> }).annotations['kubectl.kubernetes.io/last-applied-configuration'],
      '{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"name":"c"}}\n',
    );
  });
});

describe('custom resources apply by their CRD schema', () => {
  const schema = structuralSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          targets: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  });
  const cr = (spec: Record<string, unknown>) => ({ apiVersion: 'demo.dev/v1', kind: 'Thing', metadata: { name: 't', namespace: 'default' }, spec });
  const applyCr = (config: Record<string, unknown>, live: Record<string, unknown> | undefined, manager: string) =>
    serverSideApply({ live, manager, force: false, apiVersion: 'demo.dev/v1', schema, ownable: (f) => f !== 'status', now: '2026-01-01T00:00:00Z', config });

  test('map lists merge by their keys, sets by value, untyped lists are atomic; each manager owns its items', () => {
    const a = applyCr(cr({ targets: [{ name: 'x', port: 1 }], tags: ['a'], args: ['one'], labels: { k1: 'v' } }), undefined, 'a');
    const b = applyCr(cr({ targets: [{ name: 'y', port: 2 }], tags: ['b'], labels: { k2: 'v' } }), a, 'b');
    assert.deepEqual(b.spec, {
      targets: [
        { name: 'x', port: 1 },
        { name: 'y', port: 2 },
      ],
      tags: ['a', 'b'],
      args: ['one'],
      labels: { k1: 'v', k2: 'v' },
    });
    const owned = entries(b).find((e) => e.manager === 'b')!.fieldsV1 as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(owned['f:spec']!).sort(), ['f:labels', 'f:tags', 'f:targets']);
    assert.ok('k:{"name":"y"}' in (owned['f:spec']!['f:targets'] as Record<string, unknown>));
    // The atomic list belongs to its one applier: a second applier changing it conflicts.
    assert.throws(
      () => applyCr(cr({ args: ['two'] }), b, 'b'),
      (err: unknown) => err instanceof ApiError && err.code === 409,
    );
  });
});
